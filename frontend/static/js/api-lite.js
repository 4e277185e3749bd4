// A tiny JSON API helper for the page scripts: the CSRF header on writes, problem documents as
// errors (ApiError with status, detail and the first field named), and uploads with progress.

function csrfToken() {
  const fromCookie = document.cookie.split("; ").find((c) => c.startsWith("rw_csrf="));
  if (fromCookie) return decodeURIComponent(fromCookie.slice("rw_csrf=".length));
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

export class ApiError extends Error {
  constructor(status, body) {
    // a failed job answers {error: {title, detail, field}}; the API answers problem documents
    if (body && body.error && typeof body.error === "object" && !body.detail) {
      body = { title: body.error.title, detail: body.error.detail, errors: body.error.field ? [{ field: body.error.field }] : [] };
    }
    const detail = (body && (body.detail || body.title)) || `HTTP ${status}`;
    super(detail);
    this.status = status;
    this.body = body || {};
    this.detail = detail;
    const errors = Array.isArray(this.body.errors) ? this.body.errors : [];
    this.field = (errors[0] && errors[0].field) || this.body.field || null;
  }
}

async function parse(response) {
  const text = await response.text();
  if (!text) return null;
  try { return JSON.parse(text); } catch { return { detail: text.slice(0, 200) }; }
}

/** fetch + JSON; throws ApiError for 4xx/5xx and a TypeError when the network is down. */
export async function apiJson(method, url, body) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") headers["X-CSRF-Token"] = csrfToken();
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url, {
    method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await parse(response);
  if (!response.ok) throw new ApiError(response.status, data);
  return { status: response.status, data };
}

/** POST multipart form data with upload progress (0..1) through XMLHttpRequest. */
export function uploadForm(url, formData, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("X-CSRF-Token", csrfToken());
    xhr.setRequestHeader("Accept", "application/json");
    xhr.responseType = "text";
    xhr.upload.addEventListener("progress", (e) => { if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total); });
    xhr.addEventListener("load", () => {
      let data = null;
      try { data = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch { data = { detail: xhr.responseText.slice(0, 200) }; }
      if (xhr.status >= 200 && xhr.status < 300) resolve({ status: xhr.status, data });
      else reject(new ApiError(xhr.status, data));
    });
    xhr.addEventListener("error", () => reject(new TypeError("network error")));
    xhr.addEventListener("abort", () => reject(new TypeError("aborted")));
    xhr.send(formData);
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
