// Upload a floor-plan photo and follow the vectorize job until it is done.
import { ApiError, api, sleep } from "../api.js";

/**
 * Poll a job until it finishes. `onProgress(percent, message)`; resolves with the job result,
 * rejects with an ApiError carrying the job's error (title, detail, field).
 */
export async function followJob(job, onProgress) {
  let current = job;
  let delay = 300;
  while (current.status === "queued" || current.status === "running") {
    onProgress(current.progress || 0, current.message || "");
    await sleep(delay);
    delay = Math.min(1500, delay * 1.4);
    current = await api.get(`/api/jobs/${encodeURIComponent(current.id)}`);
  }
  if (current.status === "failed") throw new ApiError(422, { error: current.error || {} });
  onProgress(100, current.message || "");
  return current.result;
}

/** Upload: onUpload(fraction) while sending, onWork(percent, message) while vectorizing. */
export async function uploadAndVectorize(file, { onUpload, onWork }) {
  const form = new FormData();
  form.append("file", file, file.name || "plan.jpg");
  const job = await api.upload("/api/floorplans", form, onUpload);
  return followJob(job, onWork);
}
