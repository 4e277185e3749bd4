// The 3D view: the scene GLB from the server (three.js GLTFLoader), orbit controls, a first-person
// walk mode (keyboard + drag to look), picking by raycast on the node that carries a cabinet id.
// Renders on demand (after a change), so an idle editor costs no CPU.

import * as THREE from "three";
import { GLTFLoader } from "three/addons/loaders/GLTFLoader.js";
import { OrbitControls } from "three/addons/controls/OrbitControls.js";
import { SceneLook } from "../viewer/look.js";
import { browserQuality } from "../viewer/quality.js";
import { frameBox, framingBox } from "../viewer/camera.js";
import { holeGroup } from "../machining-overlay.js";

const EYE_HEIGHT = 1.6;
const WALK_SPEED = 1.4; // m/s
const TURN_SPEED = 1.6; // rad/s
const TINTS = { selected: 0x1f6fd6, error: 0xc0262d, warning: 0xd98b00, hover: 0xd98b00 };

export class SceneView {
  /** onSelect(id, kind): a cabinet or wall clicked ("cabinet" | "wall"), or (null) the background;
   * onHover(id): what the pointer is over, for the plan to highlight it too. */
  constructor(canvas, { onSelect, onHover, onWalkChange }) {
    this.canvas = canvas;
    this.onSelect = onSelect;
    this.onHover = onHover || (() => {});
    this.walls = new Map();
    this.selectedWall = null;
    this.hovered = null;
    this._hoverQueued = false;
    this.onWalkChange = onWalkChange;
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
    this.scene = new THREE.Scene();
    this.camera = new THREE.PerspectiveCamera(50, 1, 0.05, 200);
    this.camera.position.set(6, 6, 9);
    // lights, materials' environment, shadows, ambient occlusion, fading walls, opening fronts
    this.shading = new SceneLook(this.renderer, this.scene, this.camera,
      { quality: browserQuality(this.renderer.getContext()).quality, onChange: () => this.requestRender() });
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.enableDamping = false;
    this.controls.maxPolarAngle = Math.PI * 0.495;
    this.controls.addEventListener("change", () => this.requestRender());
    this.root = null;
    this.cabinets = new Map();
    this.tinted = [];
    this.selected = null;
    this.flags = new Map();
    this.walking = false;
    this.keys = new Set();
    this.look = null;
    this.framed = false;
    this.raycaster = new THREE.Raycaster();
    this._renderQueued = false;
    this._lastTime = 0;
    this._down = null;
    canvas.addEventListener("pointerdown", (e) => this._pointerDown(e));
    canvas.addEventListener("pointermove", (e) => this._pointerMove(e));
    canvas.addEventListener("pointerup", (e) => this._pointerUp(e));
    canvas.addEventListener("pointerleave", () => { if (this.hovered) { this.setHover(null); this.onHover(null); } });
    canvas.addEventListener("keydown", (e) => this._keyDown(e));
    canvas.addEventListener("keyup", (e) => this.keys.delete(e.key.toLowerCase()));
    canvas.addEventListener("blur", () => this.keys.clear());
    new ResizeObserver(() => this.resize()).observe(canvas.parentElement);
    this.resize();
  }

  resize() {
    const box = this.canvas.parentElement.getBoundingClientRect();
    const width = Math.max(Math.floor(box.width), 50), height = Math.max(Math.floor(box.height), 50);
    this.renderer.setSize(width, height, false);
    this.shading.resize(width, height);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.requestRender();
  }

  /** Replace the scene with a GLB (ArrayBuffer). */
  load(buffer) {
    return new Promise((resolve, reject) => {
      new GLTFLoader().parse(buffer, "/static/", (gltf) => { // texture URIs are relative to /static/
        if (this.root) {
          this.scene.remove(this.root);
          this._dispose(this.root);
        }
        this.root = gltf.scene;
        this.cabinets = new Map();
        this.walls = new Map();
        this.tinted = [];
        this.root.traverse((obj) => {
          if (obj.userData && obj.userData.kind === "cabinet") this.cabinets.set(obj.userData.id || obj.name, obj);
          if (obj.userData && obj.userData.kind === "wall") this.walls.set(obj.userData.id || obj.name, obj);
        });
        this.scene.add(this.root);
        this.shading.attach(this.root);
        if (!this.framed) { this.frame(); this.framed = true; }
        this._applyTints();
        this.requestRender();
        resolve(gltf);
      }, reject);
    });
  }

  /** Show the machining (cabinet id → holes in the cabinet's frame, as /api/designs/{id}/holes gives them)
   * as small cylinders inside their cabinets; null hides it. Returns how many holes are shown. */
  showMachining(byCabinet) {
    for (const group of this.machining || []) {
      group.parent?.remove(group);
      this._dispose(group);
    }
    this.machining = [];
    let count = 0;
    for (const [id, holes] of Object.entries(byCabinet || {})) {
      const node = this.cabinets.get(id);
      if (!node) continue;
      const group = holeGroup(holes);
      group.visible = true;
      node.add(group);
      this.machining.push(group);
      count += group.children.length;
    }
    this.requestRender();
    return count;
  }

  _dispose(root) {
    root.traverse((obj) => {
      if (obj.geometry) obj.geometry.dispose();
      if (obj.material) obj.material.dispose();
      if (obj.userData.baseMaterial) obj.userData.baseMaterial.dispose();
    });
  }

  /** Aim the orbit camera at the room being designed: its cabinets and the room they stand in
   * (the whole plan when there are none), from the room's open side. */
  frame() {
    if (!this.root) return;
    this.setWalk(false);
    frameBox(this.camera, this.controls, framingBox(this.root));
    this.requestRender();
  }

  setSelection(id) {
    this.selected = id;
    this._applyTints();
  }

  setWallSelection(id) {
    this.selectedWall = id;
    this._applyTints();
  }

  /** Highlight a cabinet or wall (what the pointer is over, here or in the plan). */
  setHover(id) {
    if (id === this.hovered) return;
    this.hovered = id;
    this._applyTints();
  }

  setFindings(findings) {
    this.flags = new Map();
    for (const f of findings) {
      for (const id of f.object_ids) if (this.flags.get(id) !== "error") this.flags.set(id, f.severity);
    }
    this._applyTints();
  }

  _applyTints() {
    for (const mesh of this.tinted) {
      mesh.material.dispose();
      mesh.material = mesh.userData.baseMaterial;
      delete mesh.userData.baseMaterial;
    }
    this.tinted = [];
    const nodes = [...this.cabinets, ...[...this.walls].filter(([id]) => id === this.selectedWall || id === this.hovered)];
    for (const [id, node] of nodes) {
      const kind = id === this.selected || id === this.selectedWall ? "selected" : id === this.hovered ? "hover" : this.flags.get(id);
      if (!kind) continue;
      node.traverse((mesh) => {
        if (!mesh.isMesh) return;
        mesh.userData.baseMaterial = mesh.material;
        const tinted = mesh.material.clone();
        tinted.emissive = new THREE.Color(TINTS[kind]);
        tinted.emissiveIntensity = kind === "selected" ? 0.45 : kind === "hover" ? 0.3 : 0.35;
        mesh.material = tinted;
        this.tinted.push(mesh);
      });
    }
    this.requestRender();
  }

  /** What is under a client point: { kind: "cabinet" | "wall", id }, or null. */
  pickAt(clientX, clientY) {
    if (!this.root) return null;
    const rect = this.canvas.getBoundingClientRect();
    const ndc = new THREE.Vector2(((clientX - rect.left) / rect.width) * 2 - 1, -((clientY - rect.top) / rect.height) * 2 + 1);
    this.raycaster.setFromCamera(ndc, this.camera);
    for (const hit of this.raycaster.intersectObject(this.root, true)) {
      if (this.shading.faded.has(hit.object)) continue; // a faded wall is looked through
      let obj = hit.object;
      while (obj && !(obj.userData && (obj.userData.kind === "cabinet" || obj.userData.kind === "wall"))) obj = obj.parent;
      if (obj) return { kind: obj.userData.kind, id: obj.userData.id || obj.name };
    }
    return null;
  }

  /** The cabinet id under a client point, or null. */
  pick(clientX, clientY) {
    const hit = this.pickAt(clientX, clientY);
    return hit && hit.kind === "cabinet" ? hit.id : null;
  }

  /** The door or drawer front under a client point (it opens on click), or null. */
  frontAt(clientX, clientY) {
    if (!this.root) return null;
    const rect = this.canvas.getBoundingClientRect();
    const ndc = new THREE.Vector2(((clientX - rect.left) / rect.width) * 2 - 1, -((clientY - rect.top) / rect.height) * 2 + 1);
    this.raycaster.setFromCamera(ndc, this.camera);
    const hit = this.raycaster.intersectObject(this.root, true).find((h) => !this.shading.faded.has(h.object));
    return hit ? this.shading.frontOf(hit.object) : null;
  }

  /** Screen position (client px) of a cabinet's (or wall's) centre, for tests and tooltips. */
  screenPoint(id) {
    const node = this.cabinets.get(id) || this.walls.get(id);
    if (!node) return null;
    const centre = new THREE.Box3().setFromObject(node).getCenter(new THREE.Vector3()).project(this.camera);
    const rect = this.canvas.getBoundingClientRect();
    return [rect.left + (centre.x + 1) / 2 * rect.width, rect.top + (1 - centre.y) / 2 * rect.height];
  }

  // -- walk mode ---------------------------------------------------------------------------------

  setWalk(on, startAt = null) {
    if (on === this.walking) return;
    this.walking = on;
    this.controls.enabled = !on;
    if (on) {
      // keep looking the way the orbit camera looks (forward is (-sin yaw, 0, -cos yaw)), standing
      // a step back from the room's centre
      const start = startAt || this.controls.target;
      const dx = this.controls.target.x - this.camera.position.x, dz = this.controls.target.z - this.camera.position.z;
      this.yaw = Math.hypot(dx, dz) > 0.01 ? Math.atan2(-dx, -dz) : 0;
      this.pitch = -0.2;
      this.camera.position.set(start.x + Math.sin(this.yaw) * 0.8, EYE_HEIGHT, start.z + Math.cos(this.yaw) * 0.8);
      this._orientWalk();
      this.canvas.focus();
    } else {
      this.keys.clear();
      this.camera.position.set(this.controls.target.x + 4, this.controls.target.y + 4, this.controls.target.z + 5);
      this.controls.update();
    }
    this.onWalkChange(on);
    this.requestRender();
  }

  _orientWalk() {
    this.camera.rotation.set(this.pitch, this.yaw, 0, "YXZ");
  }

  _keyDown(event) {
    if (!this.walking) return;
    const key = event.key.toLowerCase();
    if (key === "escape") { this.setWalk(false); return; }
    if (["w", "a", "s", "d", "q", "e", "arrowup", "arrowdown", "arrowleft", "arrowright"].includes(key)) {
      event.preventDefault();
      this.keys.add(key);
      this.requestRender();
    }
  }

  /** Hold a movement key from an on-screen button (touch screens have no keyboard). */
  hold(key, down) {
    if (!this.walking) return;
    if (down) { this.keys.add(key); this.requestRender(); } else this.keys.delete(key);
  }

  _step(dt) {
    if (!this.walking || !this.keys.size) return false;
    const k = this.keys;
    if (k.has("arrowleft") || k.has("q")) this.yaw += TURN_SPEED * dt;
    if (k.has("arrowright") || k.has("e")) this.yaw -= TURN_SPEED * dt;
    const forward = (k.has("w") || k.has("arrowup") ? 1 : 0) - (k.has("s") || k.has("arrowdown") ? 1 : 0);
    const strafe = (k.has("d") ? 1 : 0) - (k.has("a") ? 1 : 0);
    const sin = Math.sin(this.yaw), cos = Math.cos(this.yaw);
    this.camera.position.x += (-sin * forward + cos * strafe) * WALK_SPEED * dt;
    this.camera.position.z += (-cos * forward - sin * strafe) * WALK_SPEED * dt;
    this._orientWalk();
    return true;
  }

  // -- pointer -----------------------------------------------------------------------------------

  _pointerDown(event) {
    this._down = { x: event.clientX, y: event.clientY, id: event.pointerId };
    if (this.walking) {
      this.look = { x: event.clientX, y: event.clientY, yaw: this.yaw, pitch: this.pitch };
      this.canvas.setPointerCapture(event.pointerId);
    }
  }

  _pointerMove(event) {
    if (!this.walking && !this._down) this._queueHover(event.clientX, event.clientY);
    if (!this.walking || !this.look) return;
    this.yaw = this.look.yaw - (event.clientX - this.look.x) * 0.005;
    this.pitch = Math.max(-1.2, Math.min(1.2, this.look.pitch - (event.clientY - this.look.y) * 0.005));
    this._orientWalk();
    this.requestRender();
  }

  _pointerUp(event) {
    this.look = null;
    const down = this._down;
    this._down = null;
    if (!down || Math.hypot(event.clientX - down.x, event.clientY - down.y) > 6) return;
    const front = this.frontAt(event.clientX, event.clientY);
    if (front) this.shading.toggle(front);
    const hit = this.pickAt(event.clientX, event.clientY);
    this.onSelect(hit ? hit.id : null, hit ? hit.kind : null);
  }

  /** Hover picking, at most once a frame (a raycast per pointer event would be wasted work). */
  _queueHover(x, y) {
    this._hoverAt = [x, y];
    if (this._hoverQueued) return;
    this._hoverQueued = true;
    requestAnimationFrame(() => {
      this._hoverQueued = false;
      const hit = this.pickAt(...this._hoverAt);
      const id = hit ? hit.id : null;
      if (id !== this.hovered) { this.setHover(id); this.onHover(id); }
    });
  }

  // -- rendering ---------------------------------------------------------------------------------

  requestRender() {
    if (this._renderQueued) return;
    this._renderQueued = true;
    requestAnimationFrame((time) => {
      this._renderQueued = false;
      const dt = this._lastTime ? Math.min((time - this._lastTime) / 1000, 0.1) : 0;
      this._lastTime = time;
      const walking = this._step(dt);
      const animating = this.shading.render(this.walking ? null : this.controls.target, time);
      if (walking || animating) this.requestRender();
      else this._lastTime = 0;
    });
  }
}
