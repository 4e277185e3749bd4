// The design page's Render button: starts a Cycles render of the current 3D view (or a named
// view) as a job, shows its progress, and adds the finished image to the gallery.
import { api } from "../api.js";
import { followJob } from "../plan/jobs.js";

const $ = (id) => document.getElementById(id);

/** The editor's current camera in the scene's frame (metres, y up), or null without a 3D view. */
export function currentCamera(view) {
  if (!view || !view.camera) return null;
  const target = view.controls && !view.walking ? view.controls.target
    : view.camera.getWorldDirection(view.camera.position.clone()).multiplyScalar(2).add(view.camera.position);
  const p = view.camera.position;
  return { position: [p.x, p.y, p.z], target: [target.x, target.y, target.z], fov_deg: view.camera.fov };
}

/** The request body for a camera choice and a "WxH" size. */
export function renderBody(choice, size, view) {
  const [width, height] = size.split("x").map(Number);
  const camera = choice === "current" ? currentCamera(view) || "room" : choice;
  return { camera, width, height };
}

function addToGallery(result, width, height) {
  const empty = $("render-empty");
  if (empty) empty.remove();
  const figure = Object.assign(document.createElement("figure"), { className: "current" });
  figure.dataset.revision = String(result.revision);
  const link = Object.assign(document.createElement("a"), { href: result.url, target: "_blank", rel: "noopener" });
  const img = Object.assign(document.createElement("img"), { src: result.url, width, height, alt: "" });
  img.alt = $("renders-heading").textContent;
  link.append(img);
  const caption = document.createElement("figcaption");
  caption.textContent = `r${result.revision} · ${width} × ${height}`;
  figure.append(link, caption);
  $("render-gallery").prepend(figure);
}

async function start() {
  const button = $("render-start");
  const section = $("renders");
  button.disabled = true;
  $("render-error").hidden = true;
  $("render-progress").hidden = false;
  const body = renderBody($("render-camera").value, $("render-size").value,
    window.roomwrightEditor && window.roomwrightEditor.view3d());
  try {
    const job = await api.post(`/api/designs/${encodeURIComponent(section.dataset.design)}/renders`, body);
    const result = await followJob(job, (percent, message) => {
      $("render-bar").value = percent;
      $("render-message").textContent = `${percent}% ${message}`;
    });
    addToGallery(result, body.width, body.height);
    section.dataset.lastRender = result.url;
  } catch (err) {
    $("render-error").textContent = err.message;
    $("render-error").hidden = false;
  } finally {
    button.disabled = false;
    $("render-progress").hidden = true;
  }
}

if ($("render-start")) $("render-start").addEventListener("click", start);
