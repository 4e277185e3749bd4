// The one fetch caller of the pages: JSON in and out, the CSRF header on writes, uploads with
// progress, and problem documents (RFC 9457) turned into an ApiError whose messages can be shown
// next to their fields. Every request counts in document.body.dataset.requests while in flight
// (the browser tests wait for 0 before leaving a page).

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** A problem document as an error: status (0 when the server could not be reached), message, fields. */
export class ApiError extends Error {
  constructor(status, problem) {
    // a failed job answers {error: {title, detail, field}}; the API answers problem documents
    if (problem && problem.error && typeof problem.error === "object" && !problem.detail) {
      const e = problem.error;
      problem = { title: e.title, detail: e.detail, errors: e.field ? [{ field: e.field }] : [] };
    }
    problem = problem || {};
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
    if (!this.errors.length && problem.field) this.errors = [{ field: problem.field, message: this.message }];
  }

  /** The problem's text (detail, else title). */
  get detail() { return this.message; }

  /** The first field the problem names, or null. */
  get field() { return (this.errors[0] && this.errors[0].field) || null; }

  /** True when the server could not be reached at all. */
  get network() { return this.status === 0; }

  /** The message for one field ("width_mm" also matches "command.width_mm"), or null. */
  fieldMessage(field) {
    for (const err of this.errors) {
      const name = String(err.field || "");
      if (name === field || name.endsWith("." + field)) return err.message || this.message;
    }
    return null;
  }
}

const networkError = () => new ApiError(0, {
  title: "Network error", detail: "the server could not be reached; check the connection and try again",
});

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && meta.content) return meta.content;
  const match = document.cookie.match(/(?:^|;\s*)rw_csrf=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

let pending = 0;
const listeners = new Set();

/** Subscribe to the number of requests in flight (for progress indicators). */
export function onBusy(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function busy(delta) {
  pending += delta;
  if (typeof document !== "undefined" && document.body) document.body.dataset.requests = String(pending);
  for (const listener of listeners) listener(pending);
}

/** A response body as JSON when it is JSON (a short text otherwise, null when empty). */
function parseBody(text, type) {
  if (!text) return null;
  if (type.includes("json")) {
    try { return JSON.parse(text); } catch { /* fall through */ }
  }
  return { detail: text.slice(0, 200) };
}

/** Fetch and answer the parsed body; raise ApiError for problem documents or network failures. */
export async function request(method, url, { body, accept = "application/json", signal } = {}) {
  busy(1);
  try {
    return await send(method, url, { body, accept, signal });
  } finally {
    busy(-1);  // after the body is read: the request is over only then
  }
}

async function send(method, url, { body, accept, signal }) {
  const headers = { Accept: accept };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (UNSAFE.has(method)) headers["X-CSRF-Token"] = csrfToken();
  let response;
  try {
    response = await fetch(url, {
      method, headers, signal, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    throw networkError();
  }
  const type = response.headers.get("content-type") || "";
  if (!response.ok) {
    let problem = null;
    try { problem = parseBody(await response.text(), type); } catch { /* keep the generic message */ }
    throw new ApiError(response.status, problem && typeof problem === "object" ? problem : { title: response.statusText });
  }
  if (accept !== "application/json") return response.arrayBuffer();
  if (response.status === 204) return null;
  return type.includes("json") ? response.json() : response.text();
}

/** POST multipart form data with upload progress (onProgress gets 0..1); answers the parsed body. */
export function upload(url, formData, onProgress) {
  busy(1);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("X-CSRF-Token", csrfToken());
    xhr.setRequestHeader("Accept", "application/json");
    xhr.responseType = "text";
    xhr.upload.addEventListener("progress", (e) => { if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total); });
    xhr.addEventListener("load", () => {
      const data = parseBody(xhr.responseText, xhr.getResponseHeader("content-type") || "json");
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(new ApiError(xhr.status, data));
    });
    xhr.addEventListener("error", () => reject(networkError()));
    xhr.addEventListener("abort", () => reject(networkError()));
    xhr.send(formData);
  }).finally(() => busy(-1));
}

export const api = {
  get: (url, options) => request("GET", url, options),
  post: (url, body, options) => request("POST", url, { ...options, body }),
  put: (url, body, options) => request("PUT", url, { ...options, body }),
  binary: (url, options) => request("GET", url, { ...options, accept: "model/gltf-binary" }),
  upload,
};

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
