// The plan being corrected: operations on the design document's FloorPlan (millimetres), with
// undo/redo by snapshots. No DOM here; the view listens through `onChange`.
//
// The design format's rules (the shortest wall, the smallest room, the defaults and bounds of walls,
// doors and windows) come from the server in the page data (`rules`, see backend/web/plan_pages.py
// plan_rules); the constants below are choices of this page only.
import { areaM2, dist, dropDuplicatePoints, isSimple, overlapArea, projectOnSegment, signedArea, wallFrame, wallLength } from "../geometry.js";

const SLIVER_SHARE = 0.05;       // a new room may overlap another by this share of the smaller one
const PARALLEL_COS = 0.98;       // a wall this parallel to another lies along it: no T-junction
const MIN_DRAWN_WALL_MM = 50;    // a click pair closer than this is a double click, not a wall
const MIN_NEW_OPENING_MM = 300;  // a wall shorter than this gets no new door or window
const HISTORY_LIMIT = 200;

/** Whether v lies within a field's bounds ({minimum, exclusiveMinimum, maximum, exclusiveMaximum}). */
export function withinBounds(bounds, v) {
  if (!Number.isFinite(v)) return false;
  if (bounds.minimum !== undefined && v < bounds.minimum) return false;
  if (bounds.exclusiveMinimum !== undefined && v <= bounds.exclusiveMinimum) return false;
  if (bounds.maximum !== undefined && v > bounds.maximum) return false;
  if (bounds.exclusiveMaximum !== undefined && v >= bounds.exclusiveMaximum) return false;
  return true;
}

/** The fields' defaults of one kind of object in the rules ({width_mm: {default: 800}, …} → {width_mm: 800, …}). */
function defaults(fieldRules) {
  const out = {};
  for (const [name, r] of Object.entries(fieldRules)) if ("default" in r) out[name] = r.default;
  return out;
}

const clone = (v) => JSON.parse(JSON.stringify(v));

/**
 * Split a wall `atMm` millimetres from its start: [the part from the start (keeps the id), the rest
 * (id `newId`)], each opening on the part it lies on with its offset from that part's start. An
 * opening across the split point blocks it: {blockedBy: its id}. Pure; plan millimetres.
 */
export function splitWall(wall, atMm, newId) {
  const len = wallLength(wall);
  if (!(atMm > 0 && atMm < len)) return { blockedBy: null };
  const f = wallFrame(wall);
  const at = { x: wall.start.x + f.ux * atMm, y: wall.start.y + f.uy * atMm };
  const first = [], second = [];
  for (const o of wall.openings || []) {
    if (o.offset_mm + o.width_mm <= atMm + 1e-6) first.push({ ...o });
    else if (o.offset_mm >= atMm - 1e-6) second.push({ ...o, offset_mm: Math.max(0, o.offset_mm - atMm) });
    else return { blockedBy: o.id };
  }
  return {
    parts: [
      { ...wall, end: { ...at }, openings: first },
      { ...wall, id: newId, start: { ...at }, end: { ...wall.end }, openings: second },
    ],
    at,
  };
}

/** Two known lengths fit both axes only when their directions differ by at least this much (degrees). */
export const MIN_AXIS_SPREAD_DEG = 30;

/** The plan-px → photo-px homography once plan y has grown `yStretch` times against x. */
export function stretchedHomography(h, yStretch) {
  if (!yStretch || yStretch === 1) return h;
  return h.map((row) => [row[0], row[1] / yStretch, row[2]]);
}

export class PlanEditor {
  /**
   * @param {object} state {plan, mmPerPlanPx}: everything an edit may change (undoable)
   * @param {object} rules the design format's rules from the page data (plan_rules on the server)
   * @param {Set<string>} [baseline] room edges that had a wall along them when the plan was recognized
   */
  constructor(state, rules, baseline) {
    if (!rules || !rules.wall || !rules.door || !rules.window) throw new Error("PlanEditor needs the server's rules");
    this.rules = rules;
    this.state = clone(state);
    for (const w of this.state.plan.walls) w.openings = w.openings || [];
    this.undoStack = [];
    this.redoStack = [];
    this.listeners = [];
    this.baseline = baseline || this.supportedEdges();
  }

  get plan() { return this.state.plan; }
  onChange(fn) { this.listeners.push(fn); }
  emit(kind = "edit") { for (const fn of this.listeners) fn(kind); }

  // --- history -------------------------------------------------------------------------------
  checkpoint() {
    this.undoStack.push(JSON.stringify(this.state));
    if (this.undoStack.length > HISTORY_LIMIT) this.undoStack.shift();
    this.redoStack = [];
  }
  change(fn) {
    this.checkpoint();
    const result = fn(this.state.plan);
    this.emit();
    return result;
  }
  canUndo() { return this.undoStack.length > 0; }
  canRedo() { return this.redoStack.length > 0; }
  undo() {
    if (!this.canUndo()) return false;
    this.redoStack.push(JSON.stringify(this.state));
    this.state = JSON.parse(this.undoStack.pop());
    this.emit("undo");
    return true;
  }
  redo() {
    if (!this.canRedo()) return false;
    this.undoStack.push(JSON.stringify(this.state));
    this.state = JSON.parse(this.redoStack.pop());
    this.emit("redo");
    return true;
  }

  // --- lookups -------------------------------------------------------------------------------
  wall(id) { return this.plan.walls.find((w) => w.id === id); }
  room(id) { return this.plan.rooms.find((r) => r.id === id); }
  opening(id) {
    for (const w of this.plan.walls) {
      const o = w.openings.find((x) => x.id === id);
      if (o) return { wall: w, opening: o };
    }
    return null;
  }
  newId(prefix) {
    const used = new Set();
    for (const w of this.plan.walls) { used.add(w.id); for (const o of w.openings) used.add(o.id); }
    for (const r of this.plan.rooms) used.add(r.id);
    let n = 1;
    while (used.has(`${prefix}e${n}`)) n++;
    return `${prefix}e${n}`;
  }
  typicalThickness() {
    const t = this.plan.walls.map((w) => w.thickness_mm).sort((a, b) => a - b);
    return t.length ? t[Math.floor(t.length / 2)] : this.rules.wall.thickness_mm.default;
  }

  /** Wall endpoints that move together with (wallId, end): those joined to it at a junction. */
  connectedEnds(wallId, end) {
    const w0 = this.wall(wallId);
    const p0 = w0[end];
    const found = [{ wallId, end }];
    for (const w of this.plan.walls) {
      for (const e of ["start", "end"]) {
        if (w.id === wallId && e === end) continue;
        if (w.id === wallId) continue;  // never both ends of one wall
        const tol = Math.min(300, Math.max(20, (w.thickness_mm + w0.thickness_mm) / 2));
        if (dist(w[e], p0) <= tol) found.push({ wallId: w.id, end: e });
      }
    }
    return found;
  }

  /** Room corners that sit in the junction around point p (they follow when it moves). */
  roomCornersNear(p, radius) {
    const found = [];
    for (const r of this.plan.rooms) {
      r.polygon.forEach((v, i) => { if (dist(v, p) <= radius) found.push({ roomId: r.id, index: i }); });
    }
    return found;
  }

  /**
   * Start moving a junction: returns a mover whose `to(point)` places wallId's `end` at point
   * (the joined ends and the room corners around it keep their offsets). The first real move
   * records one undo step.
   */
  beginEndpointMove(wallId, end) {
    const ends = this.connectedEnds(wallId, end).map((e) => ({ ...e, from: { ...this.wall(e.wallId)[e.end] } }));
    const anchor = { ...this.wall(wallId)[end] };
    const radius = 0.75 * Math.max(...ends.map((e) => this.wall(e.wallId).thickness_mm)) + 60;
    const corners = this.roomCornersNear(anchor, radius).map((c) => ({ ...c, from: { ...this.room(c.roomId).polygon[c.index] } }));
    let started = false;
    return {
      to: (point) => this.#moveBy(ends, corners, point.x - anchor.x, point.y - anchor.y, () => {
        if (!started) { this.checkpoint(); started = true; }
      }),
      moved: () => started,
      group: new Set(ends.map((e) => `${e.wallId}:${e.end}`)),
      walls: new Set(ends.map((e) => e.wallId)),
      /**
       * Released: when the junction now lies on another wall's middle, split that wall there and put
       * the junction on its centreline, in the move's undo step. Returns {split, blocked} or null.
       */
      finish: () => {
        if (!started) return null;
        const report = { split: [], blocked: [] };
        const here = { ...this.wall(wallId)[end] };
        const hit = this.#tJunctionUnder(here, new Set(ends.map((e) => e.wallId)));
        if (!hit) return report;
        const on = projectOnSegment(here, hit.wall.start, hit.wall.end).point;
        if (!this.#moveBy(ends, corners, on.x - anchor.x, on.y - anchor.y, () => {})) return report;
        this.#splitUnder(on, new Set(ends.map((e) => e.wallId)), report);
        this.emit();
        return report;
      },
    };
  }

  /** Start moving a whole wall (both junctions) by a delta. */
  beginWallMove(wallId) {
    const ends = [...this.connectedEnds(wallId, "start"), ...this.connectedEnds(wallId, "end")]
      .map((e) => ({ ...e, from: { ...this.wall(e.wallId)[e.end] } }));
    const w = this.wall(wallId);
    const radius = 0.75 * w.thickness_mm + 60;
    const seen = new Set();
    const corners = [...this.roomCornersNear(w.start, radius), ...this.roomCornersNear(w.end, radius)]
      .filter((c) => { const k = `${c.roomId}:${c.index}`; if (seen.has(k)) return false; seen.add(k); return true; })
      .map((c) => ({ ...c, from: { ...this.room(c.roomId).polygon[c.index] } }));
    let started = false;
    return {
      by: (dx, dy) => this.#moveBy(ends, corners, dx, dy, () => {
        if (!started) { this.checkpoint(); started = true; }
      }),
      moved: () => started,
    };
  }

  #moveBy(ends, corners, dx, dy, beforeFirst) {
    // refuse a move that would make any wall shorter than the minimum
    for (const e of ends) {
      const w = this.wall(e.wallId);
      const other = e.end === "start" ? "end" : "start";
      const otherMoves = ends.find((x) => x.wallId === e.wallId && x.end === other);
      const np = { x: e.from.x + dx, y: e.from.y + dy };
      const op = otherMoves ? { x: otherMoves.from.x + dx, y: otherMoves.from.y + dy } : w[other];
      if (dist(np, op) < this.rules.min_wall_length_mm) return false;
    }
    beforeFirst();
    for (const e of ends) this.wall(e.wallId)[e.end] = { x: e.from.x + dx, y: e.from.y + dy };
    for (const c of corners) this.room(c.roomId).polygon[c.index] = { x: c.from.x + dx, y: c.from.y + dy };
    for (const e of ends) this.#fitOpenings(this.wall(e.wallId));
    this.emit("move");
    return true;
  }

  #fitOpenings(w) {
    const len = wallLength(w);
    for (const o of w.openings) {
      if (o.width_mm > len) o.width_mm = Math.max(1, Math.floor(len));
      o.offset_mm = Math.max(0, Math.min(o.offset_mm, len - o.width_mm));
    }
  }

  // --- walls ---------------------------------------------------------------------------------
  deleteWall(id) {
    if (!this.wall(id)) return false;
    this.change((plan) => { plan.walls = plan.walls.filter((w) => w.id !== id); });
    return true;
  }

  /** Snap p to the nearest wall endpoint within tol mm (else p itself); `skip` holds "wallId:end" keys. */
  snap(p, tol, skip = null) {
    let best = null, bestD = tol;
    for (const w of this.plan.walls) {
      for (const end of ["start", "end"]) {
        if (skip && skip.has(`${w.id}:${end}`)) continue;
        const e = w[end];
        const d = dist(e, p);
        if (d <= bestD) { best = e; bestD = d; }
      }
    }
    return best ? { x: best.x, y: best.y } : p;
  }

  /**
   * The point on the centreline of the wall nearest p when p is within that wall's band plus tol mm
   * (walls in `skipIds` left out), else null.
   */
  snapToWall(p, tol, skipIds = null) {
    let best = null;
    for (const w of this.plan.walls) {
      if (skipIds && skipIds.has(w.id)) continue;
      const pr = projectOnSegment(p, w.start, w.end);
      if (pr.distance <= w.thickness_mm / 2 + tol && (!best || pr.distance < best.distance)) best = pr;
    }
    return best ? { ...best.point } : null;
  }

  /**
   * The wall that point p (an end of the walls `withIds`) ends on in a T-junction: p within its band
   * and farther than its thickness from both its ends, the walls not lying along it. {wall, s (mm from
   * its start)} or null.
   */
  #tJunctionUnder(p, withIds) {
    const dirs = [...withIds].map((id) => this.wall(id)).filter(Boolean).map(wallFrame);
    let best = null;
    for (const w of this.plan.walls) {
      if (withIds.has(w.id)) continue;
      const pr = projectOnSegment(p, w.start, w.end);
      const len = wallLength(w), s = pr.t * len;
      if (pr.distance > w.thickness_mm / 2 || s <= w.thickness_mm || len - s <= w.thickness_mm) continue;
      const f = wallFrame(w);
      if (dirs.length && dirs.every((d) => Math.abs(d.ux * f.ux + d.uy * f.uy) > PARALLEL_COS)) continue;
      if (!best || pr.distance < best.distance) best = { wall: w, s, distance: pr.distance };
    }
    return best;
  }

  /**
   * Split the wall under p (see #tJunctionUnder) in place, without an undo step of its own; records
   * what happened in `report` ({split: [{wall, part, at}], blocked: [wall ids]}). Returns the split
   * point (mm) or null.
   */
  #splitUnder(p, withIds, report) {
    const hit = this.#tJunctionUnder(p, withIds);
    if (!hit) return null;
    const result = splitWall(hit.wall, hit.s, this.newId("wall-"));
    if (!result.parts) { report.blocked.push(hit.wall.id); return null; }
    const i = this.plan.walls.indexOf(hit.wall);
    this.plan.walls.splice(i, 1, ...result.parts);
    report.split.push({ wall: hit.wall.id, part: result.parts[1].id, at: result.at });
    return result.at;
  }

  /**
   * Add a wall from a to b (mm). An end that lies on another wall's middle splits that wall there, in
   * the same undo step. Returns {id, split, blocked} (see #splitUnder) or null when too short.
   */
  addWall(a, b) {
    if (dist(a, b) < Math.max(this.rules.min_wall_length_mm, MIN_DRAWN_WALL_MM)) return null;
    const id = this.newId("wall-");
    const report = { id, split: [], blocked: [] };
    this.change((plan) => {
      const wall = { ...defaults(this.rules.wall), id, start: { ...a }, end: { ...b }, thickness_mm: this.typicalThickness(), openings: [] };
      plan.walls.push(wall);
      for (const end of ["start", "end"]) {
        const at = this.#splitUnder(wall[end], new Set([id]), report);
        if (at) wall[end] = at;
      }
    });
    return report;
  }

  setWallThickness(id, mm) {
    if (!withinBounds(this.rules.wall.thickness_mm, mm)) return false;
    this.change(() => { this.wall(id).thickness_mm = mm; });
    return true;
  }

  // --- doors and windows ---------------------------------------------------------------------
  /** Free intervals [a, b] along a wall for an opening of width w (excluding `ignoreId`). */
  #freeRange(wall, width, ignoreId) {
    const len = wallLength(wall);
    const taken = wall.openings.filter((o) => o.id !== ignoreId).map((o) => [o.offset_mm, o.offset_mm + o.width_mm]).sort((x, y) => x[0] - y[0]);
    const free = [];
    let cursor = 0;
    for (const [s, e] of taken) { if (s - cursor >= width) free.push([cursor, s - width]); cursor = Math.max(cursor, e); }
    if (len - cursor >= width) free.push([cursor, len - width]);
    return free;  // each: the allowed range of offset_mm
  }

  #nearestFree(wall, width, wanted, ignoreId) {
    let best = null;
    for (const [lo, hi] of this.#freeRange(wall, width, ignoreId)) {
      const v = Math.max(lo, Math.min(hi, wanted));
      if (best === null || Math.abs(v - wanted) < Math.abs(best - wanted)) best = v;
    }
    return best;
  }

  /** Add a door or window centred near `centreMm` along the wall; null when it does not fit. */
  addOpening(wallId, kind, centreMm) {
    const wall = this.wall(wallId);
    if (!wall) return null;
    const width = Math.min(this.rules[kind].width_mm.default, wallLength(wall) - 1);
    if (width < MIN_NEW_OPENING_MM) return null;
    const offset = this.#nearestFree(wall, width, centreMm - width / 2, null);
    if (offset === null) return null;
    const id = this.newId(kind === "door" ? "door-" : "win-");
    const opening = { ...defaults(this.rules[kind]), kind, id, offset_mm: offset, width_mm: width };
    this.change(() => { wall.openings.push(opening); wall.openings.sort((a, b) => a.offset_mm - b.offset_mm); });
    return id;
  }

  beginOpeningMove(id) {
    let started = false;
    return {
      to: (offset) => {
        const found = this.opening(id);
        if (!found) return false;
        const v = this.#nearestFree(found.wall, found.opening.width_mm, offset, id);
        if (v === null || Math.abs(v - found.opening.offset_mm) < 1e-6) return false;
        if (!started) { this.checkpoint(); started = true; }
        this.opening(id).opening.offset_mm = v;
        this.emit("move");
        return true;
      },
      moved: () => started,
    };
  }

  setOpening(id, fields) {
    const found = this.opening(id);
    if (!found) return "gone";
    if ("width_mm" in fields) {
      const w = fields.width_mm;
      if (!withinBounds(this.rules[found.opening.kind].width_mm, w)) return "width";
      const range = this.#freeRange(found.wall, w, id);
      if (!range.length) return "width";
    }
    this.change(() => {
      const o = this.opening(id).opening;
      Object.assign(o, fields);
      if ("width_mm" in fields) o.offset_mm = this.#nearestFree(found.wall, o.width_mm, o.offset_mm, id);
    });
    return null;
  }

  removeOpening(id) {
    const found = this.opening(id);
    if (!found) return false;
    this.change(() => { const w = this.opening(id).wall; w.openings = w.openings.filter((o) => o.id !== id); });
    return true;
  }

  // --- rooms ---------------------------------------------------------------------------------
  setRoom(id, fields) {
    if (!this.room(id)) return false;
    this.change(() => Object.assign(this.room(id), fields));
    return true;
  }
  /** A fresh room id "room-N": never one in the plan or one the recognition had (its edges are in the baseline). */
  newRoomId() {
    const used = new Set(this.plan.rooms.map((r) => r.id));
    for (const key of this.baseline) used.add(key.slice(0, key.lastIndexOf(":")));
    let n = this.plan.rooms.length + 1;
    while (used.has(`room-${n}`)) n++;
    return `room-${n}`;
  }

  /**
   * Why a new room with this outline (mm) is refused: {reason: "crossing" | "small" | "overlap", room}
   * (room: the one it overlaps by more than a sliver), or null when it may be added.
   */
  roomRefusal(polygon) {
    const poly = dropDuplicatePoints(polygon);
    if (poly.length < 3 || !isSimple(poly)) return { reason: "crossing" };
    const area = Math.abs(signedArea(poly));
    const minArea = this.rules.min_room_area_mm2;
    if (area < minArea) return { reason: "small" };
    for (const r of this.plan.rooms) {
      const shared = overlapArea(r.polygon, poly);
      if (shared > Math.max(minArea, SLIVER_SHARE * Math.min(area, Math.abs(signedArea(r.polygon))))) {
        return { reason: "overlap", room: r.id };
      }
    }
    return null;
  }

  /** Add a room with this outline (mm), empty name, type "other": {id} or {refused} (see roomRefusal). One undo step. */
  addRoom(polygon) {
    const refused = this.roomRefusal(polygon);
    if (refused) return { refused };
    const id = this.newRoomId();
    const poly = dropDuplicatePoints(polygon);
    this.change((plan) => {
      plan.rooms.push({ id, name: "", type: "other", polygon: poly });
      // its edges along walls count as enclosed from now on (so removing such a wall flags the room)
      for (const key of this.supportedEdges()) if (key.startsWith(`${id}:`)) this.baseline.add(key);
    });
    return { id };
  }

  deleteRoom(id) {
    if (!this.room(id)) return false;
    this.change((plan) => { plan.rooms = plan.rooms.filter((r) => r.id !== id); });
    return true;
  }

  /** Set of "roomId:edgeIndex" whose edge runs along some wall. */
  supportedEdges() {
    const out = new Set();
    for (const r of this.plan.rooms) {
      r.polygon.forEach((a, i) => {
        const b = r.polygon[(i + 1) % r.polygon.length];
        const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
        if ([a, mid, b].every((p) => this.#nearAWall(p))) out.add(`${r.id}:${i}`);
      });
    }
    return out;
  }
  #nearAWall(p) {
    return this.plan.walls.some((w) => projectOnSegment(p, w.start, w.end).distance <= w.thickness_mm / 2 + 150);
  }

  /** Each room with its live area and problems: "crossing", "small", "open". */
  roomReport() {
    const supported = this.supportedEdges();
    return this.plan.rooms.map((r) => {
      const problems = [];
      if (!isSimple(r.polygon)) problems.push("crossing");
      const area = areaM2(r.polygon);
      if (area * 1e6 < this.rules.min_room_area_mm2) problems.push("small");
      const open = r.polygon.some((_, i) => this.baseline.has(`${r.id}:${i}`) && !supported.has(`${r.id}:${i}`));
      if (open) problems.push("open");
      return { room: r, area, problems };
    });
  }

  // --- scale ---------------------------------------------------------------------------------
  /**
   * Rescale the plan so that the line a→b (plan mm) is `lengthMm` long. Everything measured from
   * the photo scales (coordinates, thicknesses, opening offsets and widths); heights do not.
   * mm_per_plan_px scales too, so the overlay stays exactly on the photo.
   */
  rescale(a, b, lengthMm) {
    const measured = dist(a, b);
    if (!(measured > 0) || !(lengthMm > 0)) return null;
    const k = lengthMm / measured;
    this.change((plan) => {
      const s = (p) => ({ x: p.x * k, y: p.y * k });
      for (const w of plan.walls) {
        w.start = s(w.start); w.end = s(w.end);
        w.thickness_mm = Math.min(this.rules.wall.thickness_mm.maximum, w.thickness_mm * k);
        for (const o of w.openings) { o.offset_mm *= k; o.width_mm *= k; }
        this.#fitOpenings(w);
      }
      for (const r of plan.rooms) r.polygon = r.polygon.map(s);
      this.state.mmPerPlanPx *= k;
      const old = plan.source && plan.source.scale;
      plan.source = { ...(plan.source || {}), scale: { method: "user_line", mm_per_px: (old ? old.mm_per_px : this.state.mmPerPlanPx / k) * k, confidence: 1 } };
    });
    return k;
  }

  /**
   * Rescale x and y separately so that two lines across each other ({a, b} plan mm, lengthMm) both
   * get their real length: a photo the rectification stretched gets its true shape back. The per-axis
   * factors solve L² = kx² dx² + ky² dy² for the two lines; lines less than MIN_AXIS_SPREAD_DEG apart
   * (nearly parallel) give null, as does a fit that is not positive. Thicknesses keep each wall's area
   * right, opening offsets and widths follow their wall's length. state.yStretch records how much plan
   * y grew against x, so the overlay (frame) stays on the photo; mm_per_plan_px follows x.
   */
  rescaleAxes(first, second) {
    const d1 = { x: Math.abs(first.b.x - first.a.x), y: Math.abs(first.b.y - first.a.y) };
    const d2 = { x: Math.abs(second.b.x - second.a.x), y: Math.abs(second.b.y - second.a.y) };
    const angle = (d) => (Math.atan2(d.y, d.x) * 180) / Math.PI;
    if (Math.abs(angle(d1) - angle(d2)) < MIN_AXIS_SPREAD_DEG) return null;
    const det = d1.x ** 2 * d2.y ** 2 - d1.y ** 2 * d2.x ** 2;
    if (Math.abs(det) < 1e-9) return null;
    const l1 = first.lengthMm ** 2, l2 = second.lengthMm ** 2;
    const kx2 = (l1 * d2.y ** 2 - l2 * d1.y ** 2) / det;
    const ky2 = (d1.x ** 2 * l2 - d2.x ** 2 * l1) / det;
    if (!(kx2 > 0) || !(ky2 > 0)) return null;
    const kx = Math.sqrt(kx2), ky = Math.sqrt(ky2);
    this.change((plan) => {
      const s = (p) => ({ x: p.x * kx, y: p.y * ky });
      for (const w of plan.walls) {
        const len = wallLength(w) || 1;
        const along = Math.hypot(((w.end.x - w.start.x) / len) * kx, ((w.end.y - w.start.y) / len) * ky);
        w.start = s(w.start); w.end = s(w.end);
        w.thickness_mm = Math.min(this.rules.wall.thickness_mm.maximum, (w.thickness_mm * kx * ky) / along);
        for (const o of w.openings) { o.offset_mm *= along; o.width_mm *= along; }
        this.#fitOpenings(w);
      }
      for (const r of plan.rooms) r.polygon = r.polygon.map(s);
      this.state.mmPerPlanPx *= kx;
      this.state.yStretch = (this.state.yStretch || 1) * (ky / kx);
      this.state.axesFitted = true;
      plan.source = { ...(plan.source || {}), scale: { method: "user_line", mm_per_px: this.state.mmPerPlanPx, confidence: 1 } };
    });
    return { kx, ky };
  }

  // --- output --------------------------------------------------------------------------------
  /** Problems that would make the server refuse the plan: [{kind, id}]. */
  blockingProblems() {
    const out = [];
    for (const w of this.plan.walls) if (wallLength(w) < this.rules.min_wall_length_mm) out.push({ kind: "short", id: w.id });
    for (const r of this.roomReport()) {
      if (r.problems.includes("crossing") || r.problems.includes("small")) out.push({ kind: "room", id: r.room.id });
    }
    return out;
  }

  /** The FloorPlan to save (rounded to 0.1 mm); its source's overlay follows the rescales. */
  planForSave() {
    const round = (v) => Math.round(v * 10) / 10;
    const p = clone(this.plan);
    if (p.source && p.source.homography) {
      p.source.homography = stretchedHomography(p.source.homography, this.state.yStretch);
      p.source.mm_per_plan_px = this.state.mmPerPlanPx;
    }
    for (const w of p.walls) {
      w.start = { x: round(w.start.x), y: round(w.start.y) };
      w.end = { x: round(w.end.x), y: round(w.end.y) };
      w.thickness_mm = Math.max(1, round(w.thickness_mm));
      const len = wallLength(w);
      for (const o of w.openings) {
        o.width_mm = Math.max(1, Math.floor(o.width_mm * 10) / 10);
        o.offset_mm = Math.max(0, Math.min(Math.floor(o.offset_mm * 10) / 10, len - o.width_mm));
      }
    }
    for (const r of p.rooms) r.polygon = r.polygon.map((v) => ({ x: round(v.x), y: round(v.y) }));
    return p;
  }
}

