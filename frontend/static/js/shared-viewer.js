// A small read-only 3D viewer for shared designs: loads the scene GLB, orbits, fits the view.
import * as THREE from "three";
import { GLTFLoader } from "three/addons/loaders/GLTFLoader.js";
import { OrbitControls } from "three/addons/controls/OrbitControls.js";

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
  scene.background = new THREE.Color(0xf4f1ea);
  scene.add(new THREE.HemisphereLight(0xffffff, 0x8a7f70, 2.2));
  const sun = new THREE.DirectionalLight(0xffffff, 1.6);
  sun.position.set(5, 10, 7);
  scene.add(sun);
  const camera = new THREE.PerspectiveCamera(45, 1, 0.05, 200);
  const controls = new OrbitControls(camera, canvas);

  function resize() {
    const width = canvas.clientWidth || 600;
    const height = canvas.clientHeight || 400;
    renderer.setSize(width, height, false);
    camera.aspect = width / height;
    camera.updateProjectionMatrix();
  }

  new GLTFLoader().setResourcePath("/static/").load(canvas.dataset.scene, (gltf) => {
    scene.add(gltf.scene);
    const box = new THREE.Box3().setFromObject(gltf.scene);
    const centre = box.getCenter(new THREE.Vector3());
    const size = box.getSize(new THREE.Vector3()).length();
    camera.position.copy(centre).add(new THREE.Vector3(size * 0.6, size * 0.5, size * 0.6));
    controls.target.copy(centre);
    controls.update();
    canvas.dataset.loaded = "true";
  });
  resize();
  window.addEventListener("resize", resize);
  renderer.setAnimationLoop(() => {
    controls.update();
    renderer.render(scene, camera);
  });
}

if (canvas) start();
