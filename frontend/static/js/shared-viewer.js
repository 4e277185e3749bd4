// A small read-only 3D viewer for shared designs and factory orders: loads the scene GLB, lights it
// (viewer/look.js, quality from the device), frames the furniture, orbits; fronts open on click.
import * as THREE from "three";
import { GLTFLoader } from "three/addons/loaders/GLTFLoader.js";
import { OrbitControls } from "three/addons/controls/OrbitControls.js";
import { SceneLook } from "./viewer/look.js";
import { browserQuality } from "./viewer/quality.js";
import { frameBox, framingBox } from "./viewer/camera.js";

const canvas = document.getElementById("shared-viewer");

function start() {
  let renderer;
  try {
    renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
  } catch (err) {
    canvas.replaceWith(Object.assign(document.createElement("p"), {
      className: "empty", textContent: canvas.getAttribute("aria-label") || "3D view unavailable",
    }));
    return;
  }
  const scene = new THREE.Scene();
  const camera = new THREE.PerspectiveCamera(45, 1, 0.05, 200);
  const controls = new OrbitControls(camera, canvas);
  controls.maxPolarAngle = Math.PI * 0.495;
  let dirty = true;
  const look = new SceneLook(renderer, scene, camera, { quality: browserQuality(renderer.getContext()).quality, onChange: () => { dirty = true; } });
  controls.addEventListener("change", () => { dirty = true; });

  function resize() {
    const width = canvas.clientWidth || 600;
    const height = canvas.clientHeight || 400;
    renderer.setSize(width, height, false);
    look.resize(width, height);
    camera.aspect = width / height;
    camera.updateProjectionMatrix();
    dirty = true;
  }

  new GLTFLoader().setResourcePath("/static/").load(canvas.dataset.scene, (gltf) => {
    scene.add(gltf.scene);
    look.attach(gltf.scene);
    frameBox(camera, controls, framingBox(gltf.scene));
    dirty = true;
    canvas.dataset.loaded = "true";
    canvas.dispatchEvent(new CustomEvent("scene-loaded", { detail: { root: gltf.scene } }));
  });
  let down = null;
  canvas.addEventListener("pointerdown", (e) => { down = [e.clientX, e.clientY]; });
  canvas.addEventListener("pointerup", (e) => {
    if (!down || Math.hypot(e.clientX - down[0], e.clientY - down[1]) > 6) return;
    const rect = canvas.getBoundingClientRect();
    const ray = new THREE.Raycaster();
    ray.setFromCamera(new THREE.Vector2(((e.clientX - rect.left) / rect.width) * 2 - 1,
      -((e.clientY - rect.top) / rect.height) * 2 + 1), camera);
    const hit = ray.intersectObject(scene, true).find((h) => !look.faded.has(h.object) && h.object.isMesh);
    const front = hit ? look.frontOf(hit.object) : null;
    if (front) look.toggle(front);
  });
  resize();
  window.addEventListener("resize", resize);
  window.roomwrightViewer = { look, camera, controls };
  renderer.setAnimationLoop((time) => {
    controls.update();
    if (!dirty && !look.moving.size) return; // idle: no CPU spent
    dirty = look.render(controls.target, time);
  });
}

if (canvas) start();
