// The toolbar's quality switch: shows the 3D view's quality and flips it (remembered per browser).
import { saveQuality } from "./quality.js";

const button = document.getElementById("quality-toggle");

function view() {
  return window.roomwrightEditor && window.roomwrightEditor.view3d ? window.roomwrightEditor.view3d() : null;
}

function show(quality) {
  button.textContent = quality === "fast" ? button.dataset.fast : button.dataset.rich;
  button.setAttribute("aria-pressed", quality === "rich" ? "true" : "false");
}

if (button) {
  show(document.documentElement.dataset.viewQuality || "rich");
  new MutationObserver(() => show(document.documentElement.dataset.viewQuality))
    .observe(document.documentElement, { attributes: true, attributeFilter: ["data-view-quality"] });
  button.addEventListener("click", () => {
    const scene = view();
    if (!scene) return;
    const next = scene.shading.quality === "rich" ? "fast" : "rich";
    saveQuality(next);
    scene.shading.setQuality(next);
  });
}
