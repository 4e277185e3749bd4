// How the 3D views look: image-based ambient light (RoomEnvironment through PMREM; a hemisphere light
// at the fast setting), the sun through
// a window and ceiling lights with soft shadows, ambient occlusion (GTAO), ACES filmic tone mapping and
// anti-aliasing (MSAA), at a "rich" or "fast" quality; walls between the camera and the room fade;
// doors and drawers open on click (from the `opens` extras the scene GLB gives their panels).
import * as THREE from "three";
import { RoomEnvironment } from "three/addons/environments/RoomEnvironment.js";
import { EffectComposer } from "three/addons/postprocessing/EffectComposer.js";
import { RenderPass } from "three/addons/postprocessing/RenderPass.js";
import { GTAOPass } from "three/addons/postprocessing/GTAOPass.js";
import { OutputPass } from "three/addons/postprocessing/OutputPass.js";
import { cabinetsBox, roomAround } from "./camera.js";

// decoded texture images are kept across scene reloads (the editor reloads the GLB after every edit;
// the images' URLs carry their content hash, so a cached one is never stale)
THREE.Cache.enabled = true;

const FADED_OPACITY = 0.12;
const RELIEF = new WeakMap(); // material → its relief maps and factors as loaded
const OPEN_SECONDS = 0.45;
const SETTINGS = {
  fast: { shadows: false, ao: false, pixelRatio: 1, ceilingShadows: 0, ceilingLights: 2, environment: 0.55,
    environmentSize: 64,
    reliefMaps: false },
  rich: { shadows: true, ao: true, pixelRatio: 2, ceilingShadows: 1, ceilingLights: 6, environment: 0.35,
    environmentSize: 256,
    reliefMaps: true },
};

export class SceneLook {
  /** `renderer` (WebGLRenderer), `scene`, `camera`; `onChange` asks the view for another frame. */
  constructor(renderer, scene, camera, { quality = "rich", onChange = () => {} } = {}) {
    this.renderer = renderer;
    this.scene = scene;
    this.camera = camera;
    this.onChange = onChange;
    this.quality = quality;
    this.walls = [];
    this.faded = new Set();
    this.fronts = new Map();
    this.moving = new Set();
    this.size = new THREE.Vector2(300, 150);
    renderer.outputColorSpace = THREE.SRGBColorSpace;
    renderer.toneMapping = THREE.ACESFilmicToneMapping;
    renderer.toneMappingExposure = 0.8;
    renderer.shadowMap.type = THREE.PCFSoftShadowMap;
    this.environment = null; // made on first use: PMREM filtering costs seconds on software WebGL
    scene.background = new THREE.Color(0xeef1f3);
    this.lights = new THREE.Group();
    this.lights.name = "look-lights";
    scene.add(this.lights);
    this.hemisphere = new THREE.HemisphereLight(0xffffff, 0x8d8272, 1.4); // the fast setting's ambient light
    this.lights.add(this.hemisphere);
    this.sun = new THREE.DirectionalLight(0xfff3e0, 2.0);
    this.sun.shadow.mapSize.set(2048, 2048);
    this.sun.shadow.radius = 4;
    this.sun.shadow.bias = -0.0004;
    this.sun.shadow.normalBias = 0.02;
    this.lights.add(this.sun, this.sun.target);
    this.ceiling = [];
    this.setQuality(quality);
  }

  /** Switch between "fast" and "rich" (shadows, ambient occlusion, pixel ratio). */
  setQuality(quality) {
    this.quality = SETTINGS[quality] ? quality : "rich";
    const s = SETTINGS[this.quality];
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, s.pixelRatio));
    this.renderer.shadowMap.enabled = s.shadows;
    this.sun.castShadow = s.shadows;
    this.ceiling.forEach((light, i) => {
      light.castShadow = s.shadows && i < s.ceilingShadows;
      light.visible = i < s.ceilingLights; // fewer lights: cheaper shaders on small devices
    });
    if (s.environment > 0 && (!this.environment || this.environmentSize < s.environmentSize)) {
      const pmrem = new THREE.PMREMGenerator(this.renderer); // a small one at the fast setting: cheap to filter
      if (this.environment) this.environment.dispose();
      this.environment = pmrem.fromScene(new RoomEnvironment(), 0.04, 0.1, 100, { size: s.environmentSize }).texture;
      this.environmentSize = s.environmentSize;
      pmrem.dispose();
    }
    this.scene.environment = s.environment > 0 ? this.environment : null;
    this.scene.environmentIntensity = s.environment;
    this.hemisphere.visible = s.environment === 0;
    this.scene.traverse((obj) => {
      if (!obj.material) return;
      this._reliefMaps(obj.material, s.reliefMaps);
      obj.material.needsUpdate = true;
    });
    if (this.composer) { this.composer.dispose(); this.composer = null; }
    if (s.ao) this._buildComposer();
    this.resize(this.size.x, this.size.y);
    document.documentElement.dataset.viewQuality = this.quality;
    this.onChange();
  }

  /** Roughness/metalness maps at the rich setting only (the fast one keeps the colour and normal
   * textures: the finish still shows, with cheaper shaders). */
  _reliefMaps(material, on) {
    if (!RELIEF.has(material)) {
      RELIEF.set(material, { normalMap: material.normalMap, roughnessMap: material.roughnessMap,
        metalnessMap: material.metalnessMap, roughness: material.roughness, metalness: material.metalness });
    }
    const keep = RELIEF.get(material);
    for (const name of ["roughnessMap", "metalnessMap"]) material[name] = on ? keep[name] : null;
    // without its map, a packed metallic-roughness texture's factors (1, 1) give way to the finish's own
    const plain = !on && keep.roughnessMap && material.userData.roughness !== undefined;
    material.roughness = plain ? material.userData.roughness : keep.roughness;
    material.metalness = plain ? material.userData.metallic : keep.metalness;
  }

  _buildComposer() {
    const target = new THREE.WebGLRenderTarget(this.size.x, this.size.y, { type: THREE.HalfFloatType, samples: 4 });
    this.composer = new EffectComposer(this.renderer, target);
    this.composer.addPass(new RenderPass(this.scene, this.camera));
    this.ao = new GTAOPass(this.scene, this.camera, this.size.x, this.size.y);
    this.ao.updateGtaoMaterial({ radius: 0.35, distanceExponent: 1.5, thickness: 1, scale: 1.1 });
    this.ao.blendIntensity = 0.9;
    this.composer.addPass(this.ao);
    this.composer.addPass(new OutputPass());
  }

  resize(width, height) {
    this.size.set(width, height);
    if (this.composer) {
      this.composer.setPixelRatio(this.renderer.getPixelRatio());
      this.composer.setSize(width, height);
    }
  }

  /** Light and prepare a freshly loaded scene root (shadows, walls that fade, fronts that open). */
  attach(root) {
    this.root = root;
    this.walls = [];
    this.faded.clear();
    this.fronts = new Map();
    this.moving.clear();
    root.traverse((obj) => {
      if (!obj.isMesh) return;
      const glass = obj.userData.role === "glass" || (obj.material && obj.material.transparent);
      obj.castShadow = !glass;
      obj.receiveShadow = true;
      if (obj.userData.kind === "wall") {
        obj.material = obj.material.clone(); // each wall fades on its own
        this.walls.push(obj);
      }
    });
    this._buildFronts(root);
    this._placeLights(root);
    this.setQuality(this.quality);
  }

  _placeLights(root) {
    for (const light of this.ceiling) this.lights.remove(light);
    this.ceiling = [];
    root.updateMatrixWorld(true);
    const all = new THREE.Box3().setFromObject(root);
    if (all.isEmpty()) return;
    const height = (root.userData && root.userData.ceiling_height_mm ? root.userData.ceiling_height_mm / 1000 : 2.7);
    const cabinets = cabinetsBox(root);
    const main = roomAround(root, cabinets);
    const rooms = [];
    root.traverse((obj) => { if (obj.isMesh && obj.userData.kind === "room") rooms.push(obj); });
    rooms.sort((a, b) => (a === main ? -1 : b === main ? 1 : 0));
    for (const room of rooms.slice(0, 6)) {
      const box = new THREE.Box3().setFromObject(room);
      const c = box.getCenter(new THREE.Vector3());
      const area = (box.max.x - box.min.x) * (box.max.z - box.min.z);
      const light = new THREE.PointLight(0xffe8cc, Math.min(3 + area * 0.8, 16), 0, 2);
      light.position.set(c.x, height - 0.15, c.z);
      light.shadow.mapSize.set(512, 512);
      light.shadow.radius = 6;
      light.shadow.bias = -0.002;
      this.lights.add(light);
      this.ceiling.push(light);
    }
    // the sun comes in through a window of the room with the cabinets (any window else)
    const focus = cabinets.isEmpty() ? all.getCenter(new THREE.Vector3()) : cabinets.getCenter(new THREE.Vector3());
    let opening = null;
    let best = Infinity;
    root.traverse((obj) => {
      if (obj.userData.kind !== "window") return;
      const c = new THREE.Box3().setFromObject(obj).getCenter(new THREE.Vector3());
      const d = c.distanceTo(focus);
      if (d < best) { best = d; opening = c; }
    });
    const inward = opening ? new THREE.Vector3(focus.x - opening.x, 0, focus.z - opening.z).normalize()
      : new THREE.Vector3(-0.5, 0, -0.8).normalize();
    const through = opening || focus;
    this.sun.position.copy(through).addScaledVector(inward, -8).add(new THREE.Vector3(0, 5, 0));
    this.sun.target.position.copy(through).addScaledVector(inward, 1.5).setY(0);
    const reach = all.getSize(new THREE.Vector3()).length() / 2 + 2;
    const cam = this.sun.shadow.camera;
    cam.left = cam.bottom = -reach;
    cam.right = cam.top = reach;
    cam.near = 0.5;
    cam.far = 30;
    cam.updateProjectionMatrix();
  }

  // -- walls between the camera and the room fade --------------------------------------------------

  /** Fade the walls that stand between the camera and what it looks at. */
  updateWalls(target) {
    if (!this.walls.length) return;
    const eye = this.camera.position;
    const points = [target.clone()];
    const cabinets = this.root ? cabinetsBox(this.root) : new THREE.Box3();
    if (!cabinets.isEmpty()) {
      const mid = (cabinets.min.y + cabinets.max.y) / 2;
      for (const x of [cabinets.min.x, cabinets.max.x]) {
        for (const z of [cabinets.min.z, cabinets.max.z]) points.push(new THREE.Vector3(x, mid, z));
      }
    }
    const ray = new THREE.Raycaster();
    const hidden = new Set();
    for (const p of points) {
      const dir = p.clone().sub(eye);
      const far = dir.length();
      ray.set(eye, dir.normalize());
      ray.far = far - 0.05;
      for (const hit of ray.intersectObjects(this.walls, false)) hidden.add(hit.object);
    }
    for (const wall of this.walls) {
      const fade = hidden.has(wall);
      if (fade === this.faded.has(wall)) continue;
      wall.material.transparent = fade;
      wall.material.opacity = fade ? FADED_OPACITY : 1;
      wall.material.depthWrite = !fade;
      wall.castShadow = true; // a faded wall still keeps the sun out
      wall.material.needsUpdate = true;
      if (fade) this.faded.add(wall); else this.faded.delete(wall);
    }
  }

  // -- doors and drawers ---------------------------------------------------------------------------

  _buildFronts(root) {
    const groups = new Map();
    root.traverse((obj) => {
      const opens = obj.userData && obj.userData.opens;
      if (!opens || !obj.parent) return;
      const key = `${obj.parent.uuid}:${opens.front}`;
      if (!groups.has(key)) groups.set(key, { cabinet: obj.parent, opens, members: [] });
      groups.get(key).members.push(obj);
    });
    for (const { cabinet, opens, members } of groups.values()) {
      const pivot = new THREE.Group();
      pivot.name = `${opens.front}/pivot`;
      if (opens.kind === "hinge") pivot.position.fromArray(opens.pivot);
      cabinet.add(pivot);
      pivot.updateMatrixWorld(true);
      for (const member of members) pivot.attach(member);
      this.fronts.set(opens.front, { pivot, opens, t: 0, goal: 0, base: pivot.position.clone() });
    }
  }

  /** The front id that a scene object belongs to (a door, a drawer's parts, their handles), or null. */
  frontOf(obj) {
    for (let o = obj; o; o = o.parent) {
      if (o.userData && o.userData.opens) return o.userData.opens.front;
    }
    return null;
  }

  /** Open a closed front, close an open one (animated). Returns true when `id` is a front. */
  toggle(id) {
    const front = this.fronts.get(id);
    if (!front) return false;
    front.goal = front.goal > 0.5 ? 0 : 1;
    this.moving.add(front);
    this._last = 0;
    this.onChange();
    return true;
  }

  /** Whether front `id` is (being) opened. */
  isOpen(id) {
    const front = this.fronts.get(id);
    return Boolean(front && front.goal > 0.5);
  }

  _animate(time) {
    if (!this.moving.size) return false;
    const dt = this._last ? Math.min((time - this._last) / 1000, 0.25) : 1 / 60;
    this._last = time;
    for (const front of [...this.moving]) {
      const step = dt / OPEN_SECONDS;
      front.t = front.goal > front.t ? Math.min(front.goal, front.t + step) : Math.max(front.goal, front.t - step);
      const eased = front.t * front.t * (3 - 2 * front.t);
      const { opens, pivot } = front;
      if (opens.kind === "hinge") {
        const axis = new THREE.Vector3().fromArray(opens.axis);
        pivot.quaternion.setFromAxisAngle(axis, THREE.MathUtils.degToRad(opens.angle_deg) * eased);
      } else {
        pivot.position.copy(front.base).addScaledVector(new THREE.Vector3().fromArray(opens.offset), eased);
      }
      if (front.t === front.goal) this.moving.delete(front);
    }
    return true;
  }

  // -- drawing -------------------------------------------------------------------------------------

  /** Draw one frame; returns true while something still moves (the view asks for another frame). */
  render(target, time = performance.now()) {
    const moving = this._animate(time);
    if (target) this.updateWalls(target);
    if (this.composer) this.composer.render();
    else this.renderer.render(this.scene, this.camera);
    if (!moving) this._last = 0;
    return this.moving.size > 0;
  }

  /** Frames per second drawing `frames` frames back to back (each waits for the GPU), for benchmarks. */
  measure(frames = 30, target = null) {
    const gl = this.renderer.getContext();
    const pixel = new Uint8Array(4);
    const start = performance.now();
    for (let i = 0; i < frames; i++) {
      this.camera.position.applyAxisAngle(new THREE.Vector3(0, 1, 0), 0.01);
      this.camera.lookAt(target || new THREE.Vector3());
      this.render(target);
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
    }
    return frames / ((performance.now() - start) / 1000);
  }
}
