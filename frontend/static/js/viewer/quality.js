// The 3D view's quality setting: "rich" (soft shadows, ambient occlusion, a shadowed ceiling light)
// for desktops and the store's big screen, "fast" (no shadows or post-processing) for phones and
// small machines. Chosen from the device, overridden by ?quality=rich|fast or the toolbar switch
// (kept in localStorage).

export const QUALITIES = ["fast", "rich"];
export const STORAGE_KEY = "roomwright.quality";

const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i;

/**
 * Pick the quality for a device. `device`: { search, stored, cores, memoryGb, width, height, touch,
 * gpu } (gpu: the WebGL renderer's name; software rendering gets the fast view).
 * Returns { quality, reason } where reason is "url", "saved" or "device".
 */
export function pickQuality(device) {
  const fromUrl = new URLSearchParams(device.search || "").get("quality");
  if (QUALITIES.includes(fromUrl)) return { quality: fromUrl, reason: "url" };
  if (QUALITIES.includes(device.stored)) return { quality: device.stored, reason: "saved" };
  const shortSide = Math.min(device.width || 0, device.height || 0);
  const phone = Boolean(device.touch) && shortSide > 0 && shortSide < 820;
  const small = (device.cores || 8) <= 4 && (device.memoryGb || 8) <= 4;
  const software = SOFTWARE_GL.test(device.gpu || "");
  return { quality: phone || small || software ? "fast" : "rich", reason: "device" };
}

/** The WebGL renderer's name (for spotting software rendering), or "". */
export function gpuName(gl) {
  try {
    const info = gl && gl.getExtension("WEBGL_debug_renderer_info");
    return info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : String(gl ? gl.getParameter(gl.RENDERER) : "");
  } catch { return ""; }
}

/** The quality for this browser (reads location, localStorage, navigator and the WebGL context `gl`). */
export function browserQuality(gl = null) {
  let stored = null;
  try { stored = window.localStorage.getItem(STORAGE_KEY); } catch { stored = null; }
  return pickQuality({
    search: window.location.search, stored,
    cores: navigator.hardwareConcurrency, memoryGb: navigator.deviceMemory,
    width: window.screen ? window.screen.width : window.innerWidth,
    height: window.screen ? window.screen.height : window.innerHeight,
    touch: "ontouchstart" in window || (navigator.maxTouchPoints || 0) > 0,
    gpu: gpuName(gl),
  });
}

/** Remember a choice made with the toolbar switch. */
export function saveQuality(quality) {
  try { window.localStorage.setItem(STORAGE_KEY, quality); } catch { /* private mode: this page only */ }
}
