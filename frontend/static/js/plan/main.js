// The floor-plan page: upload → progress → correct over the photo → use the plan in the design.
import { ApiError, api } from "../api.js";
import { enclosedFaceAt } from "./faces.js";
import { PhotoFrame, areaM2, dist, projectOnSegment, wallLength } from "../geometry.js";
import { uploadAndVectorize } from "./jobs.js";
import { PlanEditor, stretchedHomography } from "./model.js";
import { T, fmt } from "../text.js";
import { LOW_CONFIDENCE, OverlayView } from "./view.js";

const $ = (id) => document.getElementById(id);
const page = JSON.parse($("page-data").textContent);
const DRAFT_KEY = `roomwright:plan-draft:${page.design_id}`;
const NUDGE_MM = 10;
const NUDGE_BIG_MM = 100;

const SCALE_NOTICES = new Set(["scale_guessed", "area_mismatch"]);
let meta = null;        // {uploadId, homography, wallConfidence, notices}
let editor = null;      // PlanEditor
let view = null;        // OverlayView
let selection = null;   // {kind: "wall"|"opening", id}
let mode = "select";
let pending = [];       // clicks collected by the current tool (plan mm for walls and room corners, photo px for the scale)
let drag = null;        // {pointerId, kind, mover, ...}
let hover = null;       // plan mm under the pointer while drawing a wall or a room outline
let frameCache = null;

// ---------------------------------------------------------------------------------- helpers
function show(node, visible) { node.hidden = !visible; }

function fieldError(input, box, message) {
  box.textContent = message || "";
  show(box, Boolean(message));
  if (input) {
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }
}

function errorText(err) {
  if (err instanceof ApiError && !err.network) return err.detail;
  return T.network;
}

function notice(message, { discard = false } = {}) {
  $("plan-notice-text").textContent = message || "";
  show($("discard-draft"), discard);
  show($("plan-notice"), Boolean(message));
}

function hint(message) { $("hint").textContent = message || ""; }

function frame() {
  const k = editor.state.mmPerPlanPx;
  const stretch = editor.state.yStretch || 1;
  if (!frameCache || frameCache.mmPerPlanPx !== k || frameCache.yStretch !== stretch) {
    frameCache = new PhotoFrame(stretchedHomography(meta.homography, stretch), k);
    frameCache.yStretch = stretch;
  }
  return frameCache;
}

function roomName(room, i) { return room.name || fmt(T.unnamed, { n: i + 1 }); }

// ----------------------------------------------------------------------------------- upload
const fileInput = $("plan-file");
const cameraInput = $("plan-camera");
const fileError = $("plan-file-error");

/** percent null: working, amount unknown (an indeterminate bar). */
function setProgress(label, percent) {
  show($("upload-progress"), true);
  $("progress-label").textContent = label;
  const bar = $("progress-bar");
  if (percent === null) {
    bar.removeAttribute("value");
    $("progress-text").textContent = "";
  } else {
    bar.value = Math.max(0, Math.min(100, percent));
    $("progress-text").textContent = `${Math.round(percent)}%`;
  }
}

async function startUpload(file) {
  fieldError(fileInput, fileError, "");
  if (!file) return;
  if (file.type && !file.type.startsWith("image/")) { fieldError(fileInput, fileError, T.not_image); return; }
  if (file.size > page.max_upload_bytes) {
    fieldError(fileInput, fileError, fmt(T.too_big, { mb: Math.round(page.max_upload_bytes / 1048576) }));
    return;
  }
  fileInput.disabled = true;
  cameraInput.disabled = true;
  $("dropzone").classList.add("busy");
  setProgress(fmt(T.uploading, { percent: 0 }), 0);
  try {
    const result = await uploadAndVectorize(file, {
      // once the bytes are sent the server is already working (quick photos answer when done)
      onUpload: (f) => (f < 1 ? setProgress(fmt(T.uploading, { percent: Math.round(f * 100) }), f * 100)
        : setProgress(T.tracing_wait, null)),
      onWork: (p) => setProgress(fmt(T.tracing, { percent: Math.round(p) }), p),
    });
    startEditing(result);
  } catch (err) {
    fieldError(fileInput, fileError, errorText(err));
    show($("upload-progress"), false);
  } finally {
    fileInput.disabled = false;
    cameraInput.disabled = false;
    fileInput.value = "";
    cameraInput.value = "";
    $("dropzone").classList.remove("busy");
  }
}

fileInput.addEventListener("change", () => startUpload(fileInput.files[0]));
cameraInput.addEventListener("change", () => startUpload(cameraInput.files[0]));
const dropzone = $("dropzone");
for (const type of ["dragenter", "dragover"]) {
  dropzone.addEventListener(type, (e) => { e.preventDefault(); dropzone.classList.add("over"); });
}
for (const type of ["dragleave", "drop"]) {
  dropzone.addEventListener(type, () => dropzone.classList.remove("over"));
}
dropzone.addEventListener("drop", (e) => {
  e.preventDefault();
  const file = e.dataTransfer && e.dataTransfer.files[0];
  if (file) startUpload(file);
});

// ------------------------------------------------------------------------------- editing
function startEditing(result, restored = null) {
  meta = restored ? restored.meta : {
    uploadId: result.upload_id,
    homography: result.homography,
    wallConfidence: result.wall_confidence || {},
    notices: result.notices || [],
    blank: Boolean(result.blank),
  };
  const state = restored ? restored.state : { plan: result.plan, mmPerPlanPx: result.mm_per_plan_px };
  frameCache = null;  // a new photo has its own homography
  editor = new PlanEditor(state, page.rules, restored ? new Set(restored.baseline) : undefined);
  if (restored) {
    editor.undoStack = restored.undo || [];
    editor.redoStack = restored.redo || [];
  }
  editor.onChange((kind) => {
    if (selection && !(selection.kind === "wall" ? editor.wall(selection.id) : editor.opening(selection.id))) selection = null;
    if (kind === "move") renderSoon();  // while dragging: at most one redraw per frame
    else { renderAll(); saveDraft(); }
  });
  selection = null;
  setMode("select");
  show($("upload-step"), false);
  show($("correct-step"), true);
  show($("upload-progress"), false);
  const photo = $("photo");
  // data-photo-ready: the photo is laid out and the overlay sized to it (before that the stage is
  // 0 x 0 and a click on it reaches nothing); browser tests wait for it before clicking on the photo
  $("stage").dataset.photoReady = "false";
  photo.onload = () => {
    view.setSize(photo.naturalWidth, photo.naturalHeight);
    renderAll();
    $("stage").dataset.photoReady = "true";
  };
  photo.onerror = () => notice(T.photo_failed);
  photo.src = meta.blank ? blankSheet() : `/api/uploads/${encodeURIComponent(meta.uploadId)}/content`;
  if (photo.complete && photo.naturalWidth) photo.onload();
  saveDraft();
  if (!editor.plan.walls.length) notice(T.no_walls);
  // the upload step (and the focused file input) is gone: move the focus to the new step's heading
  $("correct-title").focus();
}

// ------------------------------------------------------------------------- a blank sheet
// Drawing the walls without a photo: the "photo" is a sheet of BLANK_MM with a line every metre,
// one pixel per BLANK_MM_PER_PX millimetres (the homography is the identity), so lengths are right
// from the first wall drawn.
const BLANK_MM = { width: 15000, height: 10000 };
const BLANK_MM_PER_PX = 10;

function blankSheet() {
  const canvas = document.createElement("canvas");
  canvas.width = BLANK_MM.width / BLANK_MM_PER_PX;
  canvas.height = BLANK_MM.height / BLANK_MM_PER_PX;
  const g = canvas.getContext("2d");
  g.fillStyle = "#ffffff";
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.strokeStyle = "#d8dee4";
  g.lineWidth = 1;
  const step = 1000 / BLANK_MM_PER_PX;
  for (let x = step; x < canvas.width; x += step) { g.beginPath(); g.moveTo(x + 0.5, 0); g.lineTo(x + 0.5, canvas.height); g.stroke(); }
  for (let y = step; y < canvas.height; y += step) { g.beginPath(); g.moveTo(0, y + 0.5); g.lineTo(canvas.width, y + 0.5); g.stroke(); }
  return canvas.toDataURL("image/png");
}

function startBlank() {
  startEditing({
    upload_id: null, blank: true, homography: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], wall_confidence: {}, notices: [],
    plan: { walls: [], rooms: [], source: { scale: { method: "manual", mm_per_px: BLANK_MM_PER_PX, confidence: 1 } } },
    mm_per_plan_px: BLANK_MM_PER_PX,
  });
  notice(T.blank_started);
  setMode("wall");
  saveDraft();
}
$("draw-blank").addEventListener("click", startBlank);

view = new OverlayView($("overlay"), { text: T, roomName });

let frameRequested = false;
function renderSoon() {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(() => { frameRequested = false; renderAll(); });
}

function renderAll() {
  if (!editor || !$("photo").naturalWidth) return;
  const report = editor.roomReport();
  view.render(editor, frame(), {
    selection, wallConfidence: meta.wallConfidence, rooms: report,
    scalePoints: mode === "scale" ? pending : [],
    draftWall: mode === "wall" && pending.length === 1 && hover ? { a: pending[0], b: hover } : null,
    draftRoom: mode === "room" && pending.length ? { points: pending, hover } : null,
  });
  renderScale();
  renderSelection();
  renderRooms(report);
  const doors = editor.plan.walls.reduce((n, w) => n + w.openings.filter((o) => o.kind === "door").length, 0);
  const windows = editor.plan.walls.reduce((n, w) => n + w.openings.filter((o) => o.kind === "window").length, 0);
  $("counts").textContent = fmt(T.counts, { walls: editor.plan.walls.length, doors, windows, rooms: editor.plan.rooms.length });
  $("undo").disabled = !editor.canUndo();
  $("redo").disabled = !editor.canRedo();
}

// How sure the scale is along each axis: both exact once two lines across each other fitted them; one
// line is exact along itself only (the other axis follows the photo's proportions, which a cropped or
// tilted photo can stretch); a printed or guessed scale is as sure along both.
function axesText(scale) {
  if (editor.state.axesFitted) return T.axes_both;
  const lastLine = editor.state.scaleLine;
  if (scale && scale.method === "user_line" && lastLine) {
    const f = frame(), a = f.toPlan(lastLine.points[0]), b = f.toPlan(lastLine.points[1]);
    return Math.abs(b.x - a.x) >= Math.abs(b.y - a.y) ? T.axes_x_only : T.axes_y_only;
  }
  return T.axes_same;
}

function renderScale() {
  const scale = editor.plan.source && editor.plan.source.scale;
  const box = $("scale-status");
  box.replaceChildren();
  const text = document.createElement("span");
  const method = scale ? scale.method : "none";
  text.textContent = T[`scale_${method}`] || T.scale_none;
  if (scale) text.textContent += ` (${fmt(T.confidence, { percent: Math.round(scale.confidence * 100) })})`;
  box.appendChild(text);
  const axes = document.createElement("span");
  axes.className = "scale-axes";
  axes.textContent = ` ${axesText(scale)}`;
  box.appendChild(axes);
  box.classList.toggle("warn", !scale || scale.method === "prior" || scale.confidence < LOW_CONFIDENCE);
  const low = editor.plan.walls.filter((w) => (meta.wallConfidence[w.id] ?? 1) < LOW_CONFIDENCE).length;
  if (low) {
    const p = document.createElement("span");
    p.className = "low-walls";
    p.textContent = ` ${fmt(T.low_walls, { count: low })}`;
    box.appendChild(p);
  }
  // The recognition's notes come as codes with parameters, shown in the page's language (the
  // English text when a code is new to the page). Once the person has drawn a scale line, the notes
  // about the scale it replaces are out of date and left out.
  const notes = (meta.notices || []).filter((n) => !(method === "user_line" && SCALE_NOTICES.has(n.code)));
  const list = $("warning-list");
  list.replaceChildren(...notes.map((n) => {
    const li = document.createElement("li");
    const template = T[`notice_${n.code}`];
    li.textContent = template ? fmt(template, n.params || {}) : n.text;
    return li;
  }));
  show($("warnings"), notes.length > 0);
}

function renderSelection() {
  const wall = selection && selection.kind === "wall" ? editor.wall(selection.id) : null;
  const found = selection && selection.kind === "opening" ? editor.opening(selection.id) : null;
  show($("sel-none"), !wall && !found);
  show($("sel-wall"), Boolean(wall));
  show($("sel-opening"), Boolean(found));
  if (wall) {
    const n = editor.plan.walls.indexOf(wall) + 1;
    let text = fmt(T.wall_text, { n, length: Math.round(wallLength(wall)), thickness: Math.round(wall.thickness_mm) });
    if ((meta.wallConfidence[wall.id] ?? 1) < LOW_CONFIDENCE) text += ` ${T.wall_conf_low}`;
    $("sel-wall-text").textContent = text;
    setIfIdle($("wall-thickness"), Math.round(wall.thickness_mm));
  }
  if (found) {
    const o = found.opening;
    $("sel-opening-text").textContent = fmt(o.kind === "door" ? T.door_label : T.window_label, { width: Math.round(o.width_mm) });
    setIfIdle($("opening-width"), Math.round(o.width_mm));
    show($("door-fields"), o.kind === "door");
    if (o.kind === "door") { setIfIdle($("door-hinge"), o.hinge); setIfIdle($("door-swing"), o.swing); }
  }
}

function setIfIdle(input, value) {
  if (document.activeElement !== input) input.value = String(value);
}

function renderRooms(report) {
  const list = $("room-list");
  show($("rooms-empty"), report.length === 0);
  const keep = new Set(report.map((r) => r.room.id));
  for (const li of [...list.children]) if (!keep.has(li.dataset.room)) li.remove();
  let total = 0;
  report.forEach(({ room, area, problems }, i) => {
    total += area;
    let li = list.querySelector(`li[data-room="${CSS.escape(room.id)}"]`);
    if (!li) li = makeRoomItem(room.id);
    list.appendChild(li);  // keeps the plan's order
    const n = i + 1;
    const name = li.querySelector("input");
    const type = li.querySelector("select");
    name.setAttribute("aria-label", fmt(T.room_name, { n }));
    name.placeholder = fmt(T.unnamed, { n });
    type.setAttribute("aria-label", fmt(T.room_type, { n }));
    li.querySelector("button").setAttribute("aria-label", fmt(T.room_delete, { n }));
    setIfIdle(name, room.name || "");
    setIfIdle(type, room.type || "other");
    li.querySelector(".area").textContent = `${area.toFixed(1)} m²`;
    const msg = problems.map((p) => T[`room_${p}`]).join(" ");
    li.querySelector(".room-problem").textContent = msg;
    li.classList.toggle("bad", problems.length > 0);
  });
  $("rooms-total").textContent = report.length ? fmt(T.total_area, { area: total.toFixed(1) }) : "";
}

function makeRoomItem(id) {
  const li = document.createElement("li");
  li.dataset.room = id;
  const row = document.createElement("div");
  row.className = "room-row";
  const name = document.createElement("input");
  name.type = "text";
  name.maxLength = 120;
  name.className = "room-name";
  name.addEventListener("change", () => editor.setRoom(id, { name: name.value.trim() }));
  name.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); name.blur(); } });
  const type = document.createElement("select");
  type.className = "room-type";
  for (const [value, label] of Object.entries(page.room_types)) {
    const opt = document.createElement("option");
    opt.value = value;
    opt.textContent = label;
    type.appendChild(opt);
  }
  type.addEventListener("change", () => editor.setRoom(id, { type: type.value }));
  const area = document.createElement("span");
  area.className = "area";
  const del = document.createElement("button");
  del.type = "button";
  del.className = "icon danger";
  del.textContent = "×";
  del.addEventListener("click", () => { editor.deleteRoom(id); hint(T.deleted); });
  row.append(name, type, area, del);
  const problem = document.createElement("p");
  problem.className = "room-problem";
  li.append(row, problem);
  return li;
}

// --------------------------------------------------------------------------------- tools
function setMode(next) {
  mode = next;
  pending = [];
  hover = null;
  for (const r of document.querySelectorAll('input[name="mode"]')) r.checked = r.value === next;
  $("overlay").dataset.mode = next;
  show($("scale-form"), false);
  fieldError($("scale-length"), $("scale-error"), "");
  show($("room-draw-option"), next === "room");
  hint({ select: T.hint_select, wall: T.hint_wall_1, room: roomHint(), door: T.hint_door, window: T.hint_window, scale: T.hint_scale_1 }[next]);
  renderAll();
}

function roomHint() { return $("room-draw").checked ? T.hint_room_draw : T.hint_room; }
$("room-draw").addEventListener("change", () => { pending = []; hover = null; hint(roomHint()); renderAll(); });

for (const r of document.querySelectorAll('input[name="mode"]')) r.addEventListener("change", () => { if (r.checked) setMode(r.value); });

function planAt(clientX, clientY) { return frame().toPlan(view.toPhoto(clientX, clientY)); }

/** Plan millimetres per screen pixel around a photo point (for tolerances given in screen pixels). */
function mmPerScreenPx(photoPt) {
  const u = view.unit();
  const f = frame();
  return dist(f.toPlan(photoPt), f.toPlan({ x: photoPt.x + u, y: photoPt.y }));
}

/** A clicked point for a wall end: onto a wall end nearby, else onto the centreline of a wall it is on or next to. */
function snapWallEnd(p, tolMm, skipEnds = null, skipWalls = null) {
  const snapped = editor.snap(p, tolMm, skipEnds);
  if (snapped !== p) return snapped;
  return editor.snapToWall(p, tolMm / 2, skipWalls) || p;
}

/** Room corners snap to wall ends and to the corners of the rooms already there. */
function snapCorner(p, tolMm) {
  const snapped = editor.snap(p, tolMm);
  if (snapped !== p) return snapped;
  let best = null, bestD = tolMm;
  for (const r of editor.plan.rooms) for (const v of r.polygon) { const d = dist(v, p); if (d <= bestD) { best = v; bestD = d; } }
  return best ? { x: best.x, y: best.y } : p;
}

function splitHint(report, base) {
  if (!report) return base;
  if (report.blocked.length) return T.split_blocked;
  if (report.split.length) return T.split_done;
  return base;
}

/** Add a room with this outline (mm), or say why not; true when added. */
function tryAddRoom(polygon) {
  const result = editor.addRoom(polygon);
  if (result.refused) {
    const { reason, room } = result.refused;
    if (reason === "overlap") {
      const r = editor.room(room);
      hint(fmt(T.room_refused_overlap, { room: roomName(r, editor.plan.rooms.indexOf(r)) }));
    } else hint(reason === "small" ? T.room_refused_small : T.room_refused_crossing);
    return false;
  }
  const room = editor.room(result.id);
  hint(fmt(T.room_added, { room: roomName(room, editor.plan.rooms.indexOf(room)), area: areaM2(room.polygon).toFixed(1) }));
  return true;
}

function finishOutline() {
  if (pending.length < 3) { hint(T.room_need_corners); return; }
  const outline = pending;
  if (tryAddRoom(outline)) { pending = []; hover = null; }
  renderAll();
}

function cancelOutline() {
  pending = [];
  hover = null;
  hint(T.room_outline_cancelled);
  renderAll();
}

function nearestWall(p, tolMm) {
  let best = null;
  for (const w of editor.plan.walls) {
    const pr = projectOnSegment(p, w.start, w.end);
    const limit = w.thickness_mm / 2 + tolMm;
    if (pr.distance <= limit && (!best || pr.distance < best.distance)) best = { wall: w, s: pr.t * wallLength(w), distance: pr.distance };
  }
  return best;
}

const svg = $("overlay");

svg.addEventListener("pointerdown", (e) => {
  if (!editor || mode !== "select" || e.button > 0) return;
  const target = e.target.closest("[data-kind]");
  if (!target) { if (selection) { selection = null; renderAll(); } return; }
  const kind = target.dataset.kind;
  const id = target.dataset.id;
  const start = planAt(e.clientX, e.clientY);
  if (kind === "end") {
    drag = { kind, mover: editor.beginEndpointMove(id, target.dataset.end) };
    selection = { kind: "wall", id };
  } else if (kind === "wall") {
    drag = { kind, mover: editor.beginWallMove(id), start };
    selection = { kind: "wall", id };
  } else if (kind === "opening") {
    const found = editor.opening(id);
    const s = projectOnSegment(start, found.wall.start, found.wall.end).t * wallLength(found.wall);
    drag = { kind, mover: editor.beginOpeningMove(id), grab: s - found.opening.offset_mm, wallId: found.wall.id };
    selection = { kind: "opening", id };
  }
  drag.pointerId = e.pointerId;
  drag.startClient = { x: e.clientX, y: e.clientY };
  svg.setPointerCapture(e.pointerId);
  e.preventDefault();
  if (target.focus) target.focus({ preventScroll: true });
  renderAll();
});

svg.addEventListener("pointermove", (e) => {
  if (!editor) return;
  if (drag && drag.pointerId === e.pointerId) {
    // a few pixels of slack so that a tap selects without moving anything
    if (!drag.live && Math.hypot(e.clientX - drag.startClient.x, e.clientY - drag.startClient.y) < 4) return;
    drag.live = true;
    const p = planAt(e.clientX, e.clientY);
    if (drag.kind === "end") {
      // an end dropped next to another wall's end joins it; dropped on another wall, it ends there
      const tol = 10 * mmPerScreenPx(view.toPhoto(e.clientX, e.clientY));
      drag.mover.to(snapWallEnd(p, tol, drag.mover.group, drag.mover.walls));
    }
    else if (drag.kind === "wall") drag.mover.by(p.x - drag.start.x, p.y - drag.start.y);
    else if (drag.kind === "opening") {
      const w = editor.wall(drag.wallId);
      drag.mover.to(projectOnSegment(p, w.start, w.end).t * wallLength(w) - drag.grab);
    }
    return;
  }
  if ((mode === "wall" && pending.length === 1) || (mode === "room" && pending.length)) {
    const photoPt = view.toPhoto(e.clientX, e.clientY);
    const p = frame().toPlan(photoPt);
    hover = mode === "room" ? snapCorner(p, 10 * mmPerScreenPx(photoPt)) : p;
    renderAll();
  }
});

function endDrag(e) {
  if (!drag || drag.pointerId !== e.pointerId) return;
  const moved = drag.mover.moved();
  // a wall end released on another wall's middle splits that wall (in the move's undo step)
  const report = moved && drag.kind === "end" ? drag.mover.finish() : null;
  drag = null;
  if (svg.hasPointerCapture(e.pointerId)) svg.releasePointerCapture(e.pointerId);
  if (report && (report.split.length || report.blocked.length)) hint(splitHint(report, ""));
  if (moved) { saveDraft(); renderAll(); }
}
svg.addEventListener("pointerup", endDrag);
svg.addEventListener("pointercancel", endDrag);

svg.addEventListener("click", (e) => {
  if (!editor || mode === "select") return;
  const photoPt = view.toPhoto(e.clientX, e.clientY);
  const p = frame().toPlan(photoPt);
  const tol = 14 * mmPerScreenPx(photoPt);
  if (mode === "wall") {
    const snapped = snapWallEnd(p, tol);
    if (pending.length === 0) {
      pending = [snapped];
      hover = snapped;
      hint(T.hint_wall_2);
      renderAll();
    } else {
      const added = editor.addWall(pending[0], snapped);
      pending = [];
      hover = null;
      hint(splitHint(added, T.hint_wall_1));
      if (added) { selection = { kind: "wall", id: added.id }; renderAll(); focusSelection(); }
    }
  } else if (mode === "room") {
    if (pending.length || e.shiftKey || $("room-draw").checked) {
      // drawing the outline corner by corner; the first corner again closes it
      const corner = snapCorner(p, 10 * mmPerScreenPx(photoPt));
      if (pending.length >= 3 && dist(corner, pending[0]) <= 10 * mmPerScreenPx(photoPt)) { finishOutline(); return; }
      if (pending.length && dist(corner, pending[pending.length - 1]) < 1) return;  // a double click
      pending = [...pending, corner];
      hover = corner;
      hint(T.hint_room_draw);
      renderAll();
      return;
    }
    const face = enclosedFaceAt(editor.plan.walls, p);
    if (!face) { hint(T.room_not_enclosed); return; }
    tryAddRoom(face);
  } else if (mode === "door" || mode === "window") {
    const near = nearestWall(p, tol);
    if (!near) { hint(T.not_on_wall); return; }
    const id = editor.addOpening(near.wall.id, mode, near.s);
    if (!id) { hint(T.no_space); return; }
    selection = { kind: "opening", id };
    hint(mode === "door" ? T.hint_door : T.hint_window);
    renderAll();
    focusSelection();
  } else if (mode === "scale") {
    if (pending.length >= 2) { pending = []; show($("scale-form"), false); }
    pending.push(photoPt);
    if (pending.length === 1) hint(T.hint_scale_2);
    else {
      hint(T.hint_scale_3);
      show($("scale-form"), true);
      $("scale-length").focus();
    }
    renderAll();
  }
});

// The scale: two photo points and a typed length. We RESCALE THE CURRENT PLAN instead of running
// the recognition again with the scale line: a scale only multiplies lengths, so rescaling gives
// exactly what a re-run would for the scale while keeping every correction the person already made
// (a re-run would redraw the plan from the photo and throw them away), it is instant (no job, no
// waiting on a phone) and it is one undoable step. mm_per_plan_px is rescaled with the plan, so
// the overlay stays where it was on the photo; the plan records the scale as method "user_line".
// A second line across the first fits both directions (editor.rescaleAxes): the last line applied is
// kept in the editor's state (so undo forgets it too) in photo px, which do not move when the plan is
// rescaled: {points: [photo px, photo px], lengthMm}.
$("scale-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const input = $("scale-length");
  const length = Number(input.value);
  if (!(length > 0) || pending.length < 2) { fieldError(input, $("scale-error"), T.scale_bad); input.focus(); return; }
  const f = frame();
  const line = { points: [pending[0], pending[1]], lengthMm: length };
  const lastLine = editor.state.scaleLine;
  const both = lastLine && editor.rescaleAxes(
    { a: f.toPlan(lastLine.points[0]), b: f.toPlan(lastLine.points[1]), lengthMm: lastLine.lengthMm },
    { a: f.toPlan(line.points[0]), b: f.toPlan(line.points[1]), lengthMm: length });
  if (both) {
    input.value = "";
    input.blur(); // the form goes away: Ctrl+Z right after Enter undoes the scale, not the field's text
    editor.state.scaleLine = line;
    setMode("select");
    hint(fmt(T.scale_done_axes, { kx: both.kx.toFixed(3), ky: both.ky.toFixed(3) }));
    return;
  }
  const k = editor.rescale(f.toPlan(pending[0]), f.toPlan(pending[1]), length);
  if (k === null) { fieldError(input, $("scale-error"), T.scale_bad); return; }
  input.value = "";
  input.blur();
  editor.state.scaleLine = line;
  setMode("select");
  hint(`${fmt(T.scale_done, { factor: k.toFixed(3) })} ${T.scale_second}`);
});
$("scale-cancel").addEventListener("click", () => setMode("select"));
$("scale-length").addEventListener("input", () => fieldError($("scale-length"), $("scale-error"), ""));

// ------------------------------------------------------------------------ selection panel
$("wall-thickness").addEventListener("change", (e) => {
  if (selection && selection.kind === "wall") editor.setWallThickness(selection.id, Number(e.target.value));
});
$("delete-wall").addEventListener("click", () => deleteSelection());
$("delete-opening").addEventListener("click", () => deleteSelection());
$("opening-width").addEventListener("change", (e) => {
  if (!selection || selection.kind !== "opening") return;
  const bad = editor.setOpening(selection.id, { width_mm: Number(e.target.value) });
  fieldError(e.target, $("opening-error"), bad ? T.width_bad : "");
});
$("door-hinge").addEventListener("change", (e) => { if (selection) editor.setOpening(selection.id, { hinge: e.target.value }); });
$("door-swing").addEventListener("change", (e) => { if (selection) editor.setOpening(selection.id, { swing: e.target.value }); });

/** Put the keyboard focus on the selected wall, door or window (so Delete and the arrows act on it). */
function focusSelection() {
  if (!selection) return;
  const node = svg.querySelector(`[data-key="${CSS.escape(`${selection.kind}:${selection.id}`)}"]`);
  if (node) node.focus({ preventScroll: true });
}

function deleteSelection() {
  if (!selection) return false;
  const done = selection.kind === "wall" ? editor.deleteWall(selection.id) : editor.removeOpening(selection.id);
  selection = null;
  if (done) hint(T.deleted);
  renderAll();
  return done;
}

function nudge(dx, dy) {
  if (!selection) return false;
  if (selection.kind === "wall") return editor.beginWallMove(selection.id).by(dx, dy);
  const found = editor.opening(selection.id);
  if (!found) return false;
  // along the wall: right/down move away from the wall's start, left/up towards it
  const step = Math.abs(dx) + Math.abs(dy);
  const sign = dx > 0 || dy > 0 ? 1 : -1;
  return editor.beginOpeningMove(selection.id).to(found.opening.offset_mm + sign * step);
}

// -------------------------------------------------------------------------------- history
function undo() { if (editor && editor.undo()) hint(T.undone); }
function redo() { if (editor && editor.redo()) hint(T.redone); }
$("undo").addEventListener("click", undo);
$("redo").addEventListener("click", redo);

document.addEventListener("keydown", (e) => {
  if (!editor || $("correct-step").hidden) return;
  // text fields keep their own keys (and their own undo); on a tool's radio button the arrows
  // switch tools, while Delete and Ctrl+Z still act on the plan
  const typing = e.target.closest && e.target.closest(
    'textarea, select, input:not([type="radio"]):not([type="checkbox"]):not([type="button"]):not([type="submit"])');
  const onRadio = e.target.matches && e.target.matches('input[type="radio"]');
  const mod = e.ctrlKey || e.metaKey;
  if (mod && !typing && (e.key === "z" || e.key === "Z")) {
    e.preventDefault();
    if (e.shiftKey) redo(); else undo();
    return;
  }
  if (mod && !typing && (e.key === "y" || e.key === "Y")) { e.preventDefault(); redo(); return; }
  const onButton = e.target.closest && e.target.closest("button, a, select, summary");
  if (mode === "room" && pending.length && !typing && !onButton) {
    // while drawing a room outline: Enter closes it, Esc drops it, Backspace takes back the last corner
    if (e.key === "Enter") { e.preventDefault(); finishOutline(); return; }
    if (e.key === "Escape") { e.preventDefault(); cancelOutline(); return; }
    if (e.key === "Backspace" || e.key === "Delete") { e.preventDefault(); pending = pending.slice(0, -1); renderAll(); return; }
  }
  if (e.key === "Escape") {
    if (mode !== "select") setMode("select");
    else if (selection) { selection = null; renderAll(); }
    return;
  }
  if (typing) return;
  if ((e.key === "Delete" || e.key === "Backspace") && selection) { e.preventDefault(); deleteSelection(); return; }
  const arrows = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  if (arrows[e.key] && selection && !onRadio) {
    e.preventDefault();
    const step = e.shiftKey ? NUDGE_BIG_MM : NUDGE_MM;
    nudge(arrows[e.key][0] * step, arrows[e.key][1] * step);
    saveDraft();
    return;
  }
  if ((e.key === "Enter" || e.key === " ") && e.target.closest && e.target.closest("#overlay [data-kind]")) {
    const t = e.target.closest("[data-kind]");
    e.preventDefault();
    selection = { kind: t.dataset.kind, id: t.dataset.id };
    renderAll();
  }
});

// Tabbing onto a wall, door or window selects it (so the keys act on what has the focus).
svg.addEventListener("focusin", (e) => {
  if (mode !== "select") return;  // a click with another tool focuses what it lands on: not a selection
  const t = e.target.closest && e.target.closest("[data-kind]");
  if (!t || (t.dataset.kind !== "wall" && t.dataset.kind !== "opening")) return;
  if (selection && selection.id === t.dataset.id) return;
  selection = { kind: t.dataset.kind, id: t.dataset.id };
  renderSelection();
  for (const g of svg.querySelectorAll(".selected")) g.classList.remove("selected");
  t.classList.add("selected");
});

// ------------------------------------------------------------------------------ zoom, size
$("zoom").addEventListener("change", (e) => {
  const stage = $("stage");
  const zoom = Number(e.target.value);
  stage.classList.remove("zoomed");
  if (zoom > 1) {
    const fitWidth = $("photo").getBoundingClientRect().width;  // measured at "fit"
    stage.style.setProperty("--zoom-width", `${Math.round(fitWidth * zoom)}px`);
    stage.classList.add("zoomed");
  }
  renderAll();
});
let resizeTimer = null;
window.addEventListener("resize", () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(renderAll, 100); });

// ------------------------------------------------------------------------------ the draft
// Every correction is kept in localStorage until the plan is used, so a reload (e.g. after a
// conflict), a closed tab or a dropped connection loses nothing.
function saveDraft() {
  if (!editor) return;
  try {
    localStorage.setItem(DRAFT_KEY, JSON.stringify({
      v: 1, meta, state: editor.state, baseline: [...editor.baseline],
      undo: editor.undoStack.slice(-10), redo: editor.redoStack.slice(-10), saved_at: Date.now(),
    }));
  } catch {
    // storage full or disabled: editing still works, only the safety net is missing
  }
}
function loadDraft() {
  try {
    const d = JSON.parse(localStorage.getItem(DRAFT_KEY) || "null");
    return d && d.v === 1 && d.meta && d.state ? d : null;
  } catch {
    return null;
  }
}
function clearDraft() { try { localStorage.removeItem(DRAFT_KEY); } catch { /* ignore */ } }

function backToUpload() {
  clearDraft();
  editor = null;
  meta = null;
  selection = null;
  show($("correct-step"), false);
  show($("upload-step"), true);
  notice("");
  fileInput.focus();
}

$("discard-draft").addEventListener("click", backToUpload);
$("start-over").addEventListener("click", () => { if (window.confirm(T.confirm_start_over)) backToUpload(); });

// ------------------------------------------------------------------------------- use plan
$("use-plan").addEventListener("click", async () => {
  const box = $("save-error");
  show(box, false);
  show($("reload"), false);
  const fail = (message, reload = false) => {
    $("save-error-text").textContent = message;
    show($("reload"), reload);
    show(box, true);
    $("save-status").textContent = "";
  };
  if (!editor.plan.walls.length) { fail(T.no_walls); return; }
  const blocking = editor.blockingProblems().filter((p) => p.kind === "room");
  if (blocking.length) {
    const names = blocking.map((p) => roomName(editor.room(p.id), editor.plan.rooms.indexOf(editor.room(p.id))));
    fail(fmt(T.blocked, { rooms: names.join(", ") }));
    return;
  }
  saveDraft();
  const button = $("use-plan");
  button.disabled = true;
  $("save-status").textContent = T.saving;
  try {
    const data = await api.post(`/api/designs/${encodeURIComponent(page.design_id)}/floorplan`,
      { base_revision: page.revision, plan: editor.planForSave() });
    clearDraft();
    $("save-status").textContent = fmt(T.saved, { revision: data.revision });
    window.location.assign(page.design_url);
  } catch (err) {
    button.disabled = false;
    if (err instanceof ApiError && err.status === 409) fail(T.conflict, true);
    else fail(errorText(err));
  }
});
$("reload").addEventListener("click", () => { saveDraft(); window.location.reload(); });

// ---------------------------------------------------------------------------------- start
const draft = loadDraft();
if (draft) {
  startEditing(null, draft);
  notice(T.draft_restored, { discard: true });
} else if (new URLSearchParams(window.location.search).get("draw") === "1") {
  startBlank();  // "Draw the walls yourself" on the design page
} else {
  setMode("select");
}
document.body.dataset.planReady = "true"; // every handler is attached (tests wait for this)
