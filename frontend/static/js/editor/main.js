// The design editor: wires the 3D view, the 2D plan, the catalog, the selected cabinet's form,
// findings, price, undo/redo and auto-fill. Every change is a command sent to the server, which
// answers with the new revision and the command that undoes it.

import { api, ApiError, onBusy } from "../api.js";
import { AutofillDialog } from "./autofill.js";
import { centroid, footprint, frameOf, projectOnSegment, spansOverlap, wallFrame, wallLength, wallMap } from "../geometry.js";
import { ElevationView } from "./elevation.js";
import { Inspector } from "./inspector.js";
import { cabinetLabel, renderCabinetRows, renderCatalog, renderFindings, renderQuote, renderStyleBrowser } from "./panels.js";
import { PlanView } from "./plan2d.js";
import { T, fmt } from "../text.js";

const page = JSON.parse(document.getElementById("page-data").textContent);
// the core's rule numbers (backend/web/pages.py editor_rules): tolerance, snapping, elevations, room sides
const RULES = page.rules;
const state = {
  designId: page.design_id,
  revision: page.revision,
  doc: page.document,
  canEdit: !!page.can_edit,
  catalog: null,
  families: new Map(),
  selected: null,
  wall: null,
  room: null,
  findings: [],
  quote: null,
  // undo and redo survive a reload: the server keeps them with each revision (page.history)
  undo: page.history ? [...page.history.undo] : [],
  redo: page.history ? [...page.history.redo] : [],
  sending: false,
  elevationSeq: 0,
};

const $ = (id) => document.getElementById(id);
const familyOf = (code) => state.families.get(code) || null;
// walls as people name them (room, side, length; backend/design/walls.py), from the room worked in
const wallName = (id) => ((page.wall_names || {})[state.room || ""] || (page.wall_names || {})[""] || {})[id] || "";
let scene = null;
let plan = null;
let inspector = null;
let autofill = null;
let elevation = null;

// -- status, progress and errors --------------------------------------------------------------------

let statusTimer = null;
function setStatus(text, sticky = false) {
  clearTimeout(statusTimer);
  $("editor-status").textContent = text || "";
  if (text && !sticky) statusTimer = setTimeout(() => { $("editor-status").textContent = ""; }, 4000);
}

function showError(message, { reload = false } = {}) {
  const box = $("editor-error");
  box.replaceChildren(document.createTextNode(message || ""));
  if (reload) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "compact";
    button.textContent = T.reload;
    button.addEventListener("click", () => window.location.reload());
    box.append(" ", button);
  }
  box.hidden = !message;
}

onBusy((n) => {
  document.body.classList.toggle("busy", n > 0);
  $("editor").setAttribute("aria-busy", n > 0 ? "true" : "false");
});

// -- loading --------------------------------------------------------------------------------------------

async function loadScene() {
  if (!scene) return;
  const overlay = $("view3d-progress");
  overlay.hidden = false;
  try {
    const buffer = await api.binary(`/api/designs/${state.designId}/scene.glb?revision=${state.revision}`);
    await scene.load(buffer);
    $("view-3d").dataset.revision = String(state.revision);
    $("view-3d").dataset.loaded = "true";
    refreshMachining();
  } catch (err) {
    showError(err.message || String(err));
  } finally {
    overlay.hidden = true;
  }
}

/** The factory's holes drawn in the 3D view while "Show machining" is pressed (fetched for the revision shown). */
async function refreshMachining() {
  const button = $("machining-toggle");
  if (!scene || !button) return;
  const on = button.getAttribute("aria-pressed") === "true";
  if (!on) { scene.showMachining(null); delete $("view-3d").dataset.holes; return; }
  const revision = state.revision;
  try {
    const holes = await api.get(`/api/designs/${state.designId}/holes?revision=${revision}`);
    if (revision !== state.revision || button.getAttribute("aria-pressed") !== "true") return;
    $("view-3d").dataset.holes = String(scene.showMachining(holes));
  } catch (err) {
    showError(err.message);
  }
}

/** Every unit's hinged leaves, for the plan's faint door-swing arcs (fetched for the revision shown). */
async function refreshSwings() {
  if (!plan) return;
  const revision = state.revision;
  try {
    const answer = await api.get(`/api/designs/${state.designId}/swings?revision=${revision}`);
    if (revision === state.revision) plan.setAllSwings(answer.cabinets);
  } catch (err) {
    if (revision === state.revision) plan.setAllSwings({});  // the arcs are a help, not the design: leave them out
  }
}

async function refreshFindings() {
  try {
    const answer = await api.get(`/api/designs/${state.designId}/findings`);
    if (answer.revision === state.revision) setFindings(answer.findings);
  } catch (err) {
    showError(err.message);
  }
}

async function refreshQuote() {
  try {
    state.quote = await api.get(`/api/designs/${state.designId}/quote`);
    renderQuote($("quote-total"), $("quote-note"), state.quote);
    const orderLink = $("order-link");  // the order page shows a change from the price seen here
    if (orderLink) {
      orderLink.hidden = state.doc.cabinets.length === 0;  // cabinets added here can be ordered at once
      orderLink.href = `/designs/${state.designId}/order?seen_cents=${state.quote.total_cents}&seen_revision=${state.quote.revision}`;
    }
    renderRows();
    if (inspector) inspector.renderStored(state.findings, state.quote);
  } catch (err) {
    showError(err.message);
  }
}

/** A finding's Fix button: the server's ready command (a move or resize), undoable like any edit. */
function applyFix(f) {
  if (f.fix && f.fix.command) send(f.fix.command, { message: f.fix.description });
}

function setFindings(findings) {
  state.findings = findings;
  renderFindings($("findings-list"), $("findings-count"), findings, {
    canEdit: state.canEdit,
    onFocus: (f) => { const id = f.object_ids.find((x) => x.startsWith("cab-")); if (id) select(id); },
    onFix: applyFix,
  });
  if (plan) plan.setFindings(findings);
  if (scene) scene.setFindings(findings);
  if (inspector) inspector.renderStored(findings, state.quote);
}

function renderRows() {
  renderCabinetRows($("cabinet-rows"), state.doc, familyOf, state.quote, { onSelect: select, selected: state.selected, wallName });
}

// -- selection ------------------------------------------------------------------------------------------

const PHONE = window.matchMedia("(max-width: 600px)");

function select(id) {
  const cab = id ? state.doc.cabinets.find((c) => c.id === id) : null;
  const changed = (cab ? cab.id : null) !== state.selected;
  state.selected = cab ? cab.id : null;
  if (cab) showWall(null);
  showPlacement(cab);
  if (plan) plan.setSelection(state.selected);
  if (scene) scene.setSelection(state.selected);
  if (inspector) inspector.show(cab);
  loadElevation(cab);
  // on a phone the inspector sits below the view: a new selection brings it on screen
  if (cab && changed && PHONE.matches) {
    const form = $("cabinet-form");
    if (form) form.scrollIntoView({ block: "nearest" });
  }
  for (const row of document.querySelectorAll("#cabinet-rows tr")) row.classList.toggle("selected", row.dataset.id === state.selected);
}

/** Select a wall (or none): highlighted in the plan and the 3D view, named in the inspector. */
function selectWall(wallId) {
  if (wallId) select(null);
  showWall(wallId);
}

function showWall(wallId) {
  state.wall = wallId || null;
  if (plan) plan.setWallSelection(state.wall);
  if (scene) scene.setWallSelection(state.wall);
  const box = $("wall-info");
  if (!box) return;
  box.hidden = !state.wall;
  if (state.wall) {
    $("wall-name").textContent = wallName(state.wall);
    $("inspector-empty").hidden = true;
  } else if (!state.selected) $("inspector-empty").hidden = false;
}

/** What the pointer is over, in the plan or the 3D view: highlighted in both. */
function hover(id) {
  if (plan) plan.setHover(id);
  if (scene) scene.setHover(id);
}

/** The placement tools for the selected cabinet: stand it free, turn it (free-standing units). */
function showPlacement(cab) {
  const box = $("placement-tools");
  if (!box) return;
  box.hidden = !cab || !state.canEdit;
  if (!cab) return;
  const free = cab.placement.kind === "free";
  $("cab-free").hidden = free;
  $("rotation-field").hidden = !free;
  if (free) $("cab-rotation").value = String(Math.round(cab.placement.rotation_deg * 10) / 10);
}

/** The selected wall unit stands free where it is (same position and angle), to be moved and turned. */
function standFree(cab) {
  const frame = frameOf(cab.placement, cab.width_mm, wallMap(state.doc));
  if (!frame) return;
  const rotation = Math.round((Math.atan2(frame.ax.y, frame.ax.x) * 180) / Math.PI * 10) / 10;
  send({ kind: "move_cabinet", cabinet_id: cab.id, snap: false,
    placement: { kind: "free", x_mm: Math.round(frame.origin.x), y_mm: Math.round(frame.origin.y), rotation_deg: rotation } });
}

/** Turn a free-standing unit to ``deg`` about its centre (the server snaps it to walls and neighbours near it). */
function rotateTo(cab, deg) {
  if (cab.placement.kind !== "free" || !Number.isFinite(deg)) return;
  const turn = ((deg % 360) + 540) % 360 - 180;
  const fp = footprint(cab, wallMap(state.doc));
  const c = centroid(fp);
  const a = (turn * Math.PI) / 180;
  const ax = { x: Math.cos(a), y: Math.sin(a) }, ay = { x: -Math.sin(a), y: Math.cos(a) };
  const x = c.x - ax.x * cab.width_mm / 2 - ay.x * cab.depth_mm / 2;
  const y = c.y - ax.y * cab.width_mm / 2 - ay.y * cab.depth_mm / 2;
  send({ kind: "move_cabinet", cabinet_id: cab.id, snap: true,
    placement: { kind: "free", x_mm: Math.round(x * 10) / 10, y_mm: Math.round(y * 10) / 10, rotation_deg: turn } });
}

/** The selected cabinet's front elevation, as the server lays out its zones (after every saved change). */
async function loadElevation(cab) {
  if (plan && (!cab || !elevation)) plan.setSwings(null);
  if (!elevation) return;
  if (!cab) { elevation.hide(); return; }
  const seq = ++state.elevationSeq;
  try {
    const data = await api.get(`/api/designs/${state.designId}/cabinets/${encodeURIComponent(cab.id)}/elevation`);
    if (seq !== state.elevationSeq) return;
    elevation.show(data);
    if (plan) plan.setSwings(cab.id, data.fronts);  // the hinged leaves' arcs on the plan
  } catch (err) {
    if (seq === state.elevationSeq) { elevation.hide(); if (plan) plan.setSwings(null); }
  }
}

// -- commands -------------------------------------------------------------------------------------------

/** A quick swap for the store: every cabinet with fronts gets this front finish, as one undoable step. */
async function useFront(material) {
  const commands = state.doc.cabinets
    .filter((c) => (familyOf(c.family) || {}).has_fronts && c.front_material !== material.code)
    .map((c) => ({ kind: "change_cabinet", cabinet_id: c.id, changes: { front_material: material.code } }));
  if (!commands.length) return;
  const answer = await send({ kind: "batch", commands });
  if (answer) setStatus(fmt(T.fronts_swapped, { name: material.name }));
}

async function send(command, { record = "undo", message = null } = {}) {
  if (!state.canEdit) return null;
  if (state.sending) {  // one change at a time: drop this one and show the stored state again
    plan.render();
    return null;
  }
  state.sending = true;
  setStatus(T.saving, true);
  showError("");
  try {
    const answer = await api.post(`/api/designs/${state.designId}/commands`,
      { base_revision: state.revision, command, message, step: { undone: "undo", redo: "redo" }[record] || "edit" });
    state.revision = answer.revision;
    state.doc = answer.document;
    $("revision").textContent = String(answer.revision);
    // the page's forms (rename, restore a revision) save on top of the new revision
    for (const input of document.querySelectorAll('input[name="base_revision"]')) input.value = String(answer.revision);
    if (record === "undo") { state.undo.push(answer.inverse); state.redo = []; }
    else if (record === "redo") state.undo.push(answer.inverse);
    else if (record === "undone") state.redo.push(answer.inverse);
    updateHistoryButtons();
    if (state.selected && !state.doc.cabinets.some((c) => c.id === state.selected)) state.selected = null;
    plan.setDocument(state.doc);
    renderRows();
    select(state.selected);
    setFindings(answer.findings);
    setStatus(fmt(T.saved, { n: answer.revision }));
    addHistory(answer);
    loadScene();
    refreshQuote();
    refreshSwings();
    return answer;
  } catch (err) {
    setStatus("");
    if (err instanceof ApiError && err.status === 409) showError(T.stale, { reload: true });
    else if (err instanceof ApiError && err.errors.length && inspector && state.selected) {
      const byField = {};
      for (const e of err.errors) byField[String(e.field).replace(/^command\./, "")] = e.message;
      if (!inspector.showErrors(byField)) showError(err.message);
    } else showError(err.message || String(err));
    return null;
  } finally {
    state.sending = false;
  }
}

function addHistory(answer) {
  const list = document.querySelector("ol.revisions");
  if (!list) return;
  const item = document.createElement("li");
  const strong = document.createElement("strong");
  strong.textContent = `${T.revision} ${answer.revision}`;
  const time = document.createElement("time");
  const now = new Date();
  time.dateTime = now.toISOString();
  time.textContent = `${now.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  item.append(strong, ` · ${T.you} · `, time, answer.message ? ` · ${answer.message}` : "");
  list.prepend(item);
}

function updateHistoryButtons() {
  if ($("undo")) $("undo").disabled = !state.undo.length;
  if ($("redo")) $("redo").disabled = !state.redo.length;
}

async function undo() {
  const command = state.undo.pop();
  if (!command) return;
  const answer = await send(command, { record: "undone", message: "Undo" });
  if (answer) setStatus(T.undo_done);
  else state.undo.push(command);
  updateHistoryButtons();
}

async function redo() {
  const command = state.redo.pop();
  if (!command) return;
  const answer = await send(command, { record: "redo", message: "Redo" });
  if (answer) setStatus(T.redo_done);
  else state.redo.push(command);
  updateHistoryButtons();
}

function moveCabinet(cab, placement) {
  // a free-standing unit is snapped by the server (walls, room corners, neighbours at any angle)
  return send({ kind: "move_cabinet", cabinet_id: cab.id, placement, snap: placement.kind === "free" });
}

function newId() {
  const used = new Set(state.doc.cabinets.map((c) => c.id));
  let n = state.doc.cabinets.length + 1;
  while (used.has(`cab-${n}`)) n += 1;
  return `cab-${n}`;
}

/** A free stretch on a wall (same side, overlapping heights) for a unit of width w, or null. */
function freeOffset(wall, side, width, z0, z1, near = null, lo = null, hi = null) {
  const len = wallLength(wall);
  const from = lo ?? wall.thickness_mm, to = hi ?? len - wall.thickness_mm;
  const taken = state.doc.cabinets
    .filter((c) => c.placement.kind === "wall" && c.placement.wall_id === wall.id && c.placement.side === side
      && spansOverlap(z0, z1, c.elevation_mm, c.elevation_mm + c.height_mm, RULES.length_mm))
    .map((c) => [c.placement.offset_mm, c.placement.offset_mm + c.width_mm]);
  for (const op of wall.openings) if (op.kind === "door") taken.push([op.offset_mm, op.offset_mm + op.width_mm]);
  taken.sort((a, b) => a[0] - b[0]);
  const gaps = [];
  let cursor = from;
  for (const [a, b] of taken) {
    if (Math.min(a, to) - cursor >= width) gaps.push([cursor, Math.min(a, to)]);
    cursor = Math.max(cursor, b);
  }
  if (to - cursor >= width) gaps.push([cursor, to]);
  if (!gaps.length) return null;
  if (near === null) return gaps[0][0];
  gaps.sort((g1, g2) => Math.abs(g1[0] - near) - Math.abs(g2[0] - near));
  const [a, b] = gaps[0];
  return near >= a && near + width <= b ? near : (Math.abs(a - near) <= Math.abs(b - width - near) ? a : b - width);
}

/** The plan point (mm) in the middle of what the person looks at: the 3D view's target, else the plan's. */
function viewCentre() {
  const layout = $("editor").dataset.layout;
  if (scene && layout !== "2d") return { x: scene.controls.target.x * 1000, y: scene.controls.target.z * 1000 };
  return plan.centre();
}

/** The catalog grouped by room, filtered to the working room's groups unless "All rooms" is on. */
function showCatalog() {
  if (!state.catalog) return;
  const room = workingRoom();
  const all = $("catalog-all") ? $("catalog-all").checked : false;
  renderCatalog($("catalog-list"), state.catalog, { canEdit: state.canEdit, onAdd: addFamily, roomType: room ? room.type : null, all });
  const label = $("catalog-room");
  if (label) {
    const name = room ? room.name || (T.rooms || {})[room.type] || room.type : "";
    label.textContent = room && !all ? fmt(T.catalog_for, { room: name }) : "";
  }
}

/** The room new units go into: the one clicked on the plan, else the kitchen. */
function workingRoom() {
  const rooms = state.doc.plan.rooms;
  return rooms.find((r) => r.id === state.room) || rooms.find((r) => r.type === "kitchen") || null;
}

/** Where a unit goes in the working room: the free stretch of its walls (as the server found them,
 * facing that room) nearest the middle of the view. [wall, side, offset] or null. */
function roomSpot(width, z0, z1) {
  const room = workingRoom();
  const stretches = room ? (page.room_stretches || {})[room.id] || [] : [];
  const walls = wallMap(state.doc);
  const c = viewCentre();
  let best = null;
  for (const s of stretches) {
    const wall = walls.get(s.wall_id);
    if (!wall) continue;
    const hit = projectOnSegment(c, wall.start, wall.end);
    const near = hit.t * wallLength(wall) - width / 2;
    const offset = freeOffset(wall, s.side, width, z0, z1, near, s.start_mm, s.end_mm);
    if (offset === null) continue;
    const f = wallFrame(wall);
    const at = { x: wall.start.x + f.ux * (offset + width / 2), y: wall.start.y + f.uy * (offset + width / 2) };
    const d = Math.hypot(at.x - c.x, at.y - c.y);
    if (!best || d < best.d) best = { d, wall, side: s.side, offset };
  }
  return best;
}

function addFamily(fam, at = null) {
  const width = fam.width.default, height = fam.height.default;
  const elevation = RULES.default_elevation_mm[fam.code] ?? 0;
  const walls = wallMap(state.doc);
  const selected = state.doc.cabinets.find((c) => c.id === state.selected);
  const candidates = [];
  if (at) candidates.push([at.wall, at.side, at.offset]);
  else if (!selected || selected.placement.kind !== "wall") {
    const spot = roomSpot(width, elevation, elevation + height);
    if (spot) candidates.push([spot.wall, spot.side, spot.offset]);
  }
  if (!at && selected && selected.placement.kind === "wall") {
    candidates.push([walls.get(selected.placement.wall_id), selected.placement.side,
      selected.placement.offset_mm + selected.width_mm]);
  }
  const kitchenWalls = new Set(state.doc.cabinets.filter((c) => c.placement.kind === "wall").map((c) => c.placement.wall_id));
  for (const wall of state.doc.plan.walls) {
    if (kitchenWalls.has(wall.id)) candidates.push([wall, state.doc.cabinets.find((c) => c.placement.wall_id === wall.id).placement.side, null]);
  }
  for (const wall of state.doc.plan.walls) candidates.push([wall, RULES.room_side[wall.id] || "right", null]);
  for (const [wall, side, near] of candidates) {
    if (!wall) continue;
    const offset = freeOffset(wall, side, width, elevation, elevation + height, near);
    if (offset === null) continue;
    const id = newId();
    const cabinet = {
      id, family: fam.code, width_mm: width, height_mm: height, depth_mm: fam.depth.default, elevation_mm: elevation,
      placement: { kind: "wall", wall_id: wall.id, offset_mm: Math.round(offset), side }, options: {},
    };
    send({ kind: "add_cabinet", cabinet }).then((answer) => { if (answer) select(id); });
    return;
  }
  showError(T.no_space);
}

function duplicate(cab) {
  const walls = wallMap(state.doc);
  if (cab.placement.kind !== "wall") return;
  const wall = walls.get(cab.placement.wall_id);
  const offset = freeOffset(wall, cab.placement.side, cab.width_mm, cab.elevation_mm, cab.elevation_mm + cab.height_mm,
    cab.placement.offset_mm + cab.width_mm);
  if (offset === null) { showError(T.no_space); return; }
  const id = newId();
  send({ kind: "duplicate_cabinet", cabinet_id: cab.id, new_id: id,
    placement: { ...cab.placement, offset_mm: Math.round(offset) } }).then((answer) => { if (answer) select(id); });
}

function remove(cab) {
  send({ kind: "delete_cabinet", cabinet_id: cab.id }).then((answer) => { if (answer) setStatus(T.deleted); });
}

/** Live check of an unsaved change: findings and price for the design with the cabinet changed. */
async function preview(cab, values) {
  const cabinets = state.doc.cabinets.map((c) => (c.id === cab.id ? { ...c, ...values } : c));
  try {
    return await api.post("/api/findings", { document: { ...state.doc, cabinets } });
  } catch (err) {
    if (err instanceof ApiError) inspector.showErrors({ width_mm: err.message });
    return null;
  }
}

function roomLeft(cab, width) {
  if (cab.placement.kind !== "wall") return null;
  const wall = wallMap(state.doc).get(cab.placement.wall_id);
  return wall ? wallLength(wall) - (cab.placement.offset_mm + width) : null;
}

// -- layout and keyboard --------------------------------------------------------------------------------

function setLayout(layout) {
  $("editor").dataset.layout = layout;
  for (const b of document.querySelectorAll("[data-layout]")) {
    if (b.tagName === "BUTTON") b.setAttribute("aria-pressed", b.dataset.layout === layout ? "true" : "false");
  }
  if (scene) scene.resize();
}

function kitchenCentre() {
  const room = state.doc.plan.rooms.find((r) => r.type === "kitchen") || state.doc.plan.rooms[0];
  if (!room) return null;
  const c = centroid(room.polygon);
  return { x: c.x / 1000, z: c.y / 1000 };
}

/** A catalog unit dropped further than this (mm) from every wall stands free where it was dropped. */
const FREE_DROP_MM = 900;

/** A catalog unit dropped on the plan goes onto the wall nearest the drop point, on that side (or
 * stands free there, away from the walls). */
function dropFamily(code, point) {
  const fam = familyOf(code);
  if (!fam) return;
  let best = null;
  for (const wall of state.doc.plan.walls) {
    const hit = projectOnSegment(point, wall.start, wall.end);
    if (!best || hit.distance < best.hit.distance) best = { wall, hit };
  }
  if (!best || best.hit.distance > FREE_DROP_MM) {  // in the open: a free-standing unit (an island) there
    const id = newId();
    const elevation = RULES.default_elevation_mm[fam.code] ?? 0;
    const cabinet = { id, family: fam.code, width_mm: fam.width.default, height_mm: fam.height.default,
      depth_mm: fam.depth.default, elevation_mm: elevation, options: {},
      placement: { kind: "free", x_mm: Math.round(point.x - fam.width.default / 2), y_mm: Math.round(point.y - fam.depth.default / 2), rotation_deg: 0 } };
    send({ kind: "add_cabinet", cabinet }).then((answer) => { if (answer) select(id); });
    return;
  }
  const { wall, hit } = best;
  const f = wallFrame(wall);
  const side = (point.x - wall.start.x) * f.nx + (point.y - wall.start.y) * f.ny > 0 ? "left" : "right";
  const elevation = RULES.default_elevation_mm[fam.code] ?? 0;
  const near = hit.t * wallLength(wall) - fam.width.default / 2;
  const offset = freeOffset(wall, side, fam.width.default, elevation, elevation + fam.height.default, near, 0, wallLength(wall));
  if (offset === null) { showError(T.no_space); return; }
  addFamily(fam, { wall, side, offset });
}

function onKey(event) {
  const typing = event.target.closest && event.target.closest("input, select, textarea");
  const mod = event.ctrlKey || event.metaKey;
  if (mod && event.key.toLowerCase() === "z" && !typing) {
    event.preventDefault();
    if (event.shiftKey) redo(); else undo();
  } else if (mod && event.key.toLowerCase() === "y" && !typing) {
    event.preventDefault();
    redo();
  } else if ((event.key === "Delete" || event.key === "Backspace") && !typing && state.selected && state.canEdit
             && !(scene && scene.walking)) {
    event.preventDefault();
    const cab = state.doc.cabinets.find((c) => c.id === state.selected);
    if (cab) remove(cab);
  } else if (event.key === "Escape" && !typing && !(scene && scene.walking) && !document.querySelector("dialog[open]")) {
    select(null);
    selectWall(null);
  }
}

// -- start ----------------------------------------------------------------------------------------------

async function start() {
  plan = new PlanView($("plan-svg"), {
    canEdit: state.canEdit, familyOf, label: (cab) => cabinetLabel(cab, familyOf(cab.family)),
    snapMm: RULES.snap_mm, wallName,
    onSelect: select, onMove: moveCabinet, onSelectWall: selectWall, onHover: (id) => { if (scene) scene.setHover(id); },
    onDropFamily: dropFamily, onRoom: (id) => { state.room = id; showCatalog(); },
  });
  try {
    const { SceneView } = await import("./view3d.js");
    scene = new SceneView($("view3d-canvas"), {
      onSelect: (id, kind) => (kind === "wall" ? selectWall(id) : select(id)),
      onHover: (id) => { if (plan) plan.setHover(id); },
      onWalkChange: (on) => {
        $("walk-toggle").setAttribute("aria-pressed", on ? "true" : "false");
        $("walk-hint").hidden = !on;
        $("walk-pad").hidden = !on;
        $("orbit-hint").hidden = on;
      },
    });
  } catch (err) {
    scene = null;
    $("view3d-progress").hidden = true;
    $("view-3d").classList.add("no-webgl");
    $("orbit-hint").textContent = T.webgl_failed;
  }
  const catalogPromise = api.get("/api/catalog");
  loadScene();
  try {
    state.catalog = await catalogPromise;
  } catch (err) {
    showError(err.message);
    return;
  }
  state.families = new Map(state.catalog.families.map((f) => [f.code, f]));
  plan.setDocument(state.doc);
  refreshSwings();
  showCatalog();
  if ($("catalog-all")) $("catalog-all").addEventListener("change", showCatalog);
  renderStyleBrowser($("style-filter"), $("style-fronts"), state.catalog, { canEdit: state.canEdit, onUseFront: useFront });
  inspector = new Inspector({
    catalog: state.catalog, canEdit: state.canEdit, familyOf, room: roomLeft, toleranceMm: RULES.length_mm, onPreview: preview,
    onApply: (command) => send(command), onDuplicate: duplicate, onDelete: remove, onFix: applyFix,
  });
  if ($("elevation")) {
    elevation = new ElevationView($("elevation"), { canEdit: state.canEdit, onSplit: (command) => send(command,
      { message: T.zone.split_message }) });
  }
  renderRows();
  if ($("cab-free")) {
    $("cab-free").addEventListener("click", () => { const cab = state.doc.cabinets.find((c) => c.id === state.selected); if (cab) standFree(cab); });
    $("cab-rotate").addEventListener("click", () => {
      const cab = state.doc.cabinets.find((c) => c.id === state.selected);
      if (cab) rotateTo(cab, Number($("cab-rotation").value));
    });
    $("cab-rotation").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); $("cab-rotate").click(); } });
    for (const b of document.querySelectorAll("[data-turn]")) {
      b.addEventListener("click", () => {
        const cab = state.doc.cabinets.find((c) => c.id === state.selected);
        if (cab && cab.placement.kind === "free") rotateTo(cab, cab.placement.rotation_deg + Number(b.dataset.turn));
      });
    }
  }
  const findingsList = $("findings-list");
  findingsList.addEventListener("pointerover", (e) => {
    const item = e.target.closest && e.target.closest("[data-wall-ref]");
    hover(item ? item.dataset.wallRef : null);
  });
  findingsList.addEventListener("pointerleave", () => hover(null));
  autofill = new AutofillDialog({
    designId: state.designId, getDoc: () => state.doc, getRevision: () => state.revision,
    getWall: () => {
      const cab = state.doc.cabinets.find((c) => c.id === state.selected);
      return cab && cab.placement.kind === "wall" ? cab.placement.wall_id : null;
    },
    onChoose: (alt) => {
      if (scene) scene.framed = false; // frame the room being designed once the new scene loads
      return send(alt.command, { message: fmt(T.autofill_message, { rank: alt.rank, units: alt.unit_count }) });
    },
    wallNames: page.wall_names, stretches: page.room_stretches,
  });
  autofill.currency = state.catalog.currency;
  for (const b of document.querySelectorAll("button[data-layout]")) b.addEventListener("click", () => setLayout(b.dataset.layout));
  $("walk-toggle").addEventListener("click", () => {
    if (!scene) return;
    const c = kitchenCentre();
    scene.setWalk(!scene.walking, c);
  });
  $("frame-view").addEventListener("click", () => { if (scene) scene.frame(); });
  if ($("machining-toggle")) {
    $("machining-toggle").addEventListener("click", () => {
      const button = $("machining-toggle");
      button.setAttribute("aria-pressed", button.getAttribute("aria-pressed") === "true" ? "false" : "true");
      refreshMachining();
    });
  }
  for (const button of document.querySelectorAll("#walk-pad button")) {
    const key = button.dataset.key;
    button.addEventListener("pointerdown", (e) => { e.preventDefault(); if (scene) scene.hold(key, true); });
    for (const type of ["pointerup", "pointerleave", "pointercancel"]) {
      button.addEventListener(type, () => { if (scene) scene.hold(key, false); });
    }
  }
  $("plan-zoom-in").addEventListener("click", () => plan.zoom(0.8));
  $("plan-zoom-out").addEventListener("click", () => plan.zoom(1.25));
  $("plan-fit").addEventListener("click", () => { plan.whole = !plan.whole; plan.fit(plan.whole); });
  if ($("undo")) $("undo").addEventListener("click", undo);
  updateHistoryButtons();  // the history kept with the revision
  if ($("redo")) $("redo").addEventListener("click", redo);
  document.addEventListener("keydown", onKey);
  if (window.matchMedia("(max-width: 900px)").matches) setLayout("3d");
  await Promise.all([refreshFindings(), refreshQuote()]);
  document.body.dataset.editorReady = "true";
}

start();

// for tests and debugging: where a cabinet is on screen in the 3D view
window.roomwrightEditor = {
  state,
  screenPoint: (id) => (scene ? scene.screenPoint(id) : null),
  view3d: () => scene,
  footprint: (id) => footprint(state.doc.cabinets.find((c) => c.id === id), wallMap(state.doc)),
};
