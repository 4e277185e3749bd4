// The only fetch caller of the pages: JSON in and out, the CSRF header on writes, and problem
// documents (RFC 9457) turned into an ApiError whose messages can be shown next to their fields.

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
  }

  /** The message for one field ("width_mm" also matches "command.width_mm"), or null. */
  fieldMessage(field) {
    for (const err of this.errors) {
      const name = String(err.field || "");
      if (name === field || name.endsWith("." + field)) return err.message || this.message;
    }
    return null;
  }
}

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
  document.body.dataset.requests = String(pending);  // browser tests wait for 0 before leaving the page
  for (const listener of listeners) listener(pending);
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
    throw new ApiError(0, { title: "Network error", detail: "the server could not be reached; check the connection and try again" });
  }
  const type = response.headers.get("content-type") || "";
  if (!response.ok) {
    let problem = { title: response.statusText, detail: `HTTP ${response.status}` };
    if (type.includes("json")) {
      try { problem = await response.json(); } catch { /* keep the generic message */ }
    }
    throw new ApiError(response.status, problem);
  }
  if (accept !== "application/json") return response.arrayBuffer();
  if (response.status === 204) return null;
  return type.includes("json") ? response.json() : response.text();
}

export const api = {
  get: (url, options) => request("GET", url, options),
  post: (url, body, options) => request("POST", url, { ...options, body }),
  put: (url, body, options) => request("PUT", url, { ...options, body }),
  binary: (url, options) => request("GET", url, { ...options, accept: "model/gltf-binary" }),
};
