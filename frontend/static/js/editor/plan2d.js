// The 2D plan in SVG: rooms, walls with their openings, cabinet and item footprints.
// Click a cabinet or a wall to select it (walls and units highlight under the pointer); drag a wall
// cabinet to slide it along its wall or onto another wall, a free-standing unit anywhere (the server
// snaps it); pointer events: mouse, pen and touch; wheel or the zoom buttons zoom, dragging the
// background pans.

import { centroid, footprint, frameOf, projectOnSegment, snapOffset, toPlan, wallFrame, wallLength, wallMap } from "../geometry.js";

/** How near (mm) another wall must be to a dragged unit's pointer, and how much nearer than its own
 * wall, before the unit moves onto it. */
const WALL_SWITCH_MM = 700;

const NS = "http://www.w3.org/2000/svg";

function el(name, attrs = {}, parent = null) {
  const node = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (parent) parent.appendChild(node);
  return node;
}

function pts(points) {
  return points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ");
}

export class PlanView {
  /** snapMm: how near an edge a dragged unit snaps to it (the server's rule, placement.SNAP_DISTANCE_MM). */
  constructor(svg, { onSelect, onMove, onSelectWall, onHover, onDropFamily, onRoom, canEdit, familyOf, label, wallName, snapMm }) {
    this.svg = svg;
    this.onRoom = onRoom || (() => {});
    if (onDropFamily && canEdit) {  // a catalog unit dragged onto the plan
      svg.addEventListener("dragover", (e) => {
        if ([...e.dataTransfer.types].includes("application/x-roomwright-family")) { e.preventDefault(); e.dataTransfer.dropEffect = "copy"; }
      });
      svg.addEventListener("drop", (e) => {
        const code = e.dataTransfer.getData("application/x-roomwright-family");
        if (!code) return;
        e.preventDefault();
        const [x, y] = this._svgPoint(e);
        onDropFamily(code, { x, y });
      });
    }
    this.wallName = wallName;
    this.onSelectWall = onSelectWall || (() => {});
    this.onHover = onHover || (() => {});
    this.selectedWall = null;
    this.hovered = null;
    this.snapMm = snapMm;
    this.onSelect = onSelect;
    this.onMove = onMove;
    this.canEdit = canEdit;
    this.familyOf = familyOf;
    this.label = label;
    this.doc = null;
    this.selected = null;
    this.flagged = new Map();
    this.view = null;
    this.drag = null;
    this.pointers = new Map();
    this.pinch = null;
    svg.addEventListener("pointerdown", (e) => this._down(e));
    svg.addEventListener("pointermove", (e) => this._move(e));
    svg.addEventListener("pointerup", (e) => this._up(e));
    svg.addEventListener("pointercancel", () => this._cancel());
    svg.addEventListener("lostpointercapture", (e) => this.pointers.delete(e.pointerId));
    svg.addEventListener("wheel", (e) => { e.preventDefault(); this.zoom(e.deltaY < 0 ? 0.85 : 1 / 0.85, this._svgPoint(e)); },
      { passive: false });
    svg.addEventListener("keydown", (e) => this._key(e));
    svg.addEventListener("pointerover", (e) => {
      if (this.drag) return;
      const node = e.target.closest && e.target.closest(".plan-cabinet, .plan-wall");
      const id = node ? (node.dataset.id || node.dataset.wall) : null;
      if (id !== this.hovered) { this.setHover(id); this.onHover(id); }
    });
    svg.addEventListener("pointerleave", () => { if (this.hovered) { this.setHover(null); this.onHover(null); } });
  }

  /** Highlight what the pointer is over (a cabinet or wall id), here or in the 3D view. */
  setHover(id) {
    this.hovered = id;
    for (const node of this.svg.querySelectorAll(".plan-cabinet, .plan-wall")) {
      node.classList.toggle("hover", (node.dataset.id || node.dataset.wall) === id);
    }
  }

  setWallSelection(wallId) {
    this.selectedWall = wallId;
    for (const node of this.svg.querySelectorAll(".plan-wall")) {
      node.classList.toggle("selected", node.dataset.wall === wallId);
      node.setAttribute("aria-pressed", node.dataset.wall === wallId ? "true" : "false");
    }
  }

  setDocument(doc) {
    this.doc = doc;
    this.walls = wallMap(doc);
    if (!this.view) this.fit();
    this.render();
  }

  /** The hinged leaves of cabinet `cabinetId` as the server built them (the elevation's fronts with a
   * `swing`), drawn emphasized as the quarter circles they sweep while that cabinet is selected; null: none. */
  setSwings(cabinetId, fronts) {
    this.swings = cabinetId ? { id: cabinetId, fronts: (fronts || []).filter((f) => f.swing) } : null;
    this._swings();
  }

  /** Every unit's hinged leaves (cabinet id → fronts with a `swing`, as the server's swings answer gives
   * them), drawn faintly beneath the units; the selected unit's are drawn emphasized instead. */
  setAllSwings(units) {
    this.allSwings = units || {};
    this._swings();
  }

  _swings() {
    for (const old of this.svg.querySelectorAll("g.layer.swings, g.layer.swings-all")) old.remove();
    if (!this.doc) return;
    const emphasized = this.swings ? this.swings.id : null;
    const faint = el("g", { class: "layer swings-all", "aria-hidden": "true" });
    for (const cab of this.doc.cabinets) {
      const fronts = (this.allSwings || {})[cab.id];
      if (cab.id === emphasized || !fronts || !fronts.length) continue;
      const g = el("g", { class: "plan-unit-swings", "data-cabinet": cab.id }, faint);
      this._leafArcs(g, cab, fronts, "plan-leaf-swing-faint", "plan-leaf-faint");
    }
    // beneath the units (and not in the way of the pointer: see editor.css)
    this.svg.insertBefore(faint, this.svg.querySelector("g.layer.cabinets"));
    const cab = emphasized ? this.doc.cabinets.find((c) => c.id === emphasized) : null;
    if (!cab || !this.swings.fronts.length) return;
    const layer = el("g", { class: "layer swings", "data-id": cab.id }, this.svg);
    this._leafArcs(layer, cab, this.swings.fronts, "plan-leaf-swing", "plan-leaf");
  }

  /** The quarter circle each leaf sweeps about its hinged edge, and the leaf opened square, into `layer`. */
  _leafArcs(layer, cab, fronts, arcClass, leafClass) {
    const frame = frameOf(cab.placement, cab.width_mm, this.walls);
    if (!frame) return;
    for (const f of fronts) {
      const [x0, x1] = f.rect;
      const w = x1 - x0, y = f.swing.front_mm;
      // without a known hinge either edge may carry it: both arcs
      const hinges = f.swing.hinge_x === null ? [x0, x1] : [f.swing.hinge_x];
      for (const hx of hinges) {
        const free = Math.abs(hx - x0) <= Math.abs(hx - x1) ? x1 : x0;
        const h = toPlan(frame, hx, y), closed = toPlan(frame, free, y), open = toPlan(frame, hx, y + w);
        el("path", { class: arcClass, "data-front": f.id,
          d: `M${h.x},${h.y} L${closed.x},${closed.y} A${w},${w} 0 0 ${this._sweep(h, closed, open)} ${open.x},${open.y} Z` }, layer);
        el("line", { class: leafClass, x1: h.x, y1: h.y, x2: open.x, y2: open.y }, layer);
      }
    }
  }

  setSelection(id) {
    this.selected = id;
    for (const node of this.svg.querySelectorAll(".plan-cabinet")) {
      node.classList.toggle("selected", node.dataset.id === id);
      node.setAttribute("aria-pressed", node.dataset.id === id ? "true" : "false");
    }
  }

  setFindings(findings) {
    this.flagged = new Map();
    for (const f of findings) {
      for (const id of f.object_ids) {
        if (this.flagged.get(id) !== "error") this.flagged.set(id, f.severity);
      }
    }
    for (const node of this.svg.querySelectorAll("[data-id]")) {
      node.classList.toggle("flag-error", this.flagged.get(node.dataset.id) === "error");
      node.classList.toggle("flag-warning", this.flagged.get(node.dataset.id) === "warning");
    }
  }

  /** Fit the cabinets (and what is around them), or the whole plan with ``whole``. */
  fit(whole = false) {
    const xs = [], ys = [];
    if (!whole) {
      for (const cab of this.doc.cabinets) {
        for (const p of footprint(cab, this.walls) || []) { xs.push(p.x); ys.push(p.y); }
      }
    }
    if (!xs.length) {
      for (const w of this.doc.plan.walls) { xs.push(w.start.x, w.end.x); ys.push(w.start.y, w.end.y); }
      for (const r of this.doc.plan.rooms) for (const p of r.polygon) { xs.push(p.x); ys.push(p.y); }
    }
    if (!xs.length) { this.view = [0, 0, 6000, 4000]; this._applyView(); return; }
    const pad = whole ? 600 : 900;
    const x0 = Math.min(...xs) - pad, y0 = Math.min(...ys) - pad;
    this.view = [x0, y0, Math.max(...xs) + pad - x0, Math.max(...ys) + pad - y0];
    this._applyView();
  }

  /** The middle of what the plan shows (mm). */
  centre() {
    const [x, y, w, h] = this.view || [0, 0, 0, 0];
    return { x: x + w / 2, y: y + h / 2 };
  }

  zoom(factor, at = null) {
    if (!this.view) return;
    const [x, y, w, h] = this.view;
    const cx = at ? at[0] : x + w / 2, cy = at ? at[1] : y + h / 2;
    const nw = Math.min(Math.max(w * factor, 500), 100000), nh = nw * (h / w);
    this.view = [cx - (cx - x) * (nw / w), cy - (cy - y) * (nh / h), nw, nh];
    this._applyView();
  }

  _applyView() {
    this.svg.setAttribute("viewBox", this.view.map((v) => v.toFixed(1)).join(" "));
  }

  render() {
    const svg = this.svg;
    const focused = svg.contains(document.activeElement) ? document.activeElement.dataset.id : null;
    svg.querySelectorAll("g.layer").forEach((g) => g.remove());
    const doc = this.doc;
    const rooms = el("g", { class: "layer rooms" }, svg);
    for (const room of doc.plan.rooms) {
      el("polygon", { points: pts(room.polygon), class: `plan-room room-${room.type}`, "data-room-id": room.id }, rooms);
      const c = centroid(room.polygon);
      const text = el("text", { x: c.x, y: c.y, class: "plan-room-label", "text-anchor": "middle" }, rooms);
      text.textContent = room.name || room.type;
    }
    const walls = el("g", { class: "layer walls" }, svg);
    for (const wall of doc.plan.walls) this._wall(walls, wall);
    const items = el("g", { class: "layer items" }, svg);
    for (const item of doc.items) {
      const fp = footprint(item, this.walls);
      if (!fp) continue;
      const g = el("g", { class: "plan-item", "data-id": item.id }, items);
      el("polygon", { points: pts(fp) }, g);
      const c = centroid(fp);
      el("text", { x: c.x, y: c.y, "text-anchor": "middle", class: "plan-item-label" }, g).textContent = item.kind;
    }
    // base and tall units first, wall units (hanging above) on top
    const order = { worktop: 0, panel: 1, base: 2, tall: 3, wall: 4 };
    const cabinets = [...doc.cabinets].sort((a, b) =>
      (order[this.familyOf(a.family)?.category] ?? 2) - (order[this.familyOf(b.family)?.category] ?? 2));
    const layer = el("g", { class: "layer cabinets" }, svg);
    for (const cab of cabinets) this._cabinet(layer, cab);
    this._swings();
    this.setSelection(this.selected);
    this.setWallSelection(this.selectedWall);
    this.setHover(this.hovered);
    this.setFindings([...this.flagged].map(([id, severity]) => ({ object_ids: [id], severity })));
    if (focused) {  // keep the keyboard where it was (e.g. nudging a unit with the arrow keys)
      const node = svg.querySelector(`.plan-cabinet[data-id="${CSS.escape(focused)}"]`);
      if (node) node.focus();
    }
  }

  _wall(layer, wall) {
    const f = wallFrame(wall), half = wall.thickness_mm / 2, len = f.len;
    const at = (along, off) => ({ x: wall.start.x + f.ux * along + f.nx * off, y: wall.start.y + f.uy * along + f.ny * off });
    const g = el("g", { class: "plan-wall", "data-wall": wall.id, role: "button", tabindex: "-1",
      "aria-label": this.wallName ? this.wallName(wall.id) : "", "aria-pressed": "false" }, layer);
    let cursor = 0;
    const openings = [...wall.openings].sort((a, b) => a.offset_mm - b.offset_mm);
    for (const op of openings) {
      if (op.offset_mm > cursor) el("polygon", { points: pts([at(cursor, -half), at(op.offset_mm, -half), at(op.offset_mm, half), at(cursor, half)]) }, g);
      cursor = Math.max(cursor, op.offset_mm + op.width_mm);
    }
    if (cursor < len) el("polygon", { points: pts([at(cursor, -half), at(len, -half), at(len, half), at(cursor, half)]) }, g);
    for (const op of openings) {
      const a = op.offset_mm, b = op.offset_mm + op.width_mm;
      if (op.kind === "window") {
        el("polygon", { class: "plan-window", "data-id": op.id, points: pts([at(a, -half), at(b, -half), at(b, half), at(a, half)]) }, g);
        el("line", { class: "plan-window-line", x1: at(a, 0).x, y1: at(a, 0).y, x2: at(b, 0).x, y2: at(b, 0).y }, g);
      } else {
        const sideSign = op.swing === "right" ? -1 : 1;
        const hingeAlong = op.hinge === "end" ? b : a, tipAlong = op.hinge === "end" ? a : b;
        const off = sideSign * half;
        const hinge = at(hingeAlong, off);
        const open = { x: hinge.x + f.nx * sideSign * op.width_mm, y: hinge.y + f.ny * sideSign * op.width_mm };
        const tip = at(tipAlong, off);
        const d = op.swing === "none" ? "" : `M${open.x},${open.y} A${op.width_mm},${op.width_mm} 0 0 ${this._sweep(hinge, open, tip)} ${tip.x},${tip.y}`;
        el("line", { class: "plan-door", "data-id": op.id, x1: hinge.x, y1: hinge.y, x2: open.x, y2: open.y }, g);
        if (d) el("path", { class: "plan-door-swing", d }, g);
      }
    }
  }

  _sweep(centre, from, to) {
    const cross = (from.x - centre.x) * (to.y - centre.y) - (from.y - centre.y) * (to.x - centre.x);
    return cross > 0 ? 1 : 0;
  }

  _cabinet(layer, cab) {
    const fp = footprint(cab, this.walls);
    if (!fp) return;
    const fam = this.familyOf(cab.family);
    const category = fam ? fam.category : "base";
    const g = el("g", {
      class: `plan-cabinet cat-${category}`, "data-id": cab.id, tabindex: "0", role: "button",
      "aria-label": this.label(cab), "aria-pressed": "false",
    }, layer);
    el("polygon", { points: pts(fp) }, g);
    // front edge, so the orientation is visible
    el("line", { class: "plan-front", x1: fp[2].x, y1: fp[2].y, x2: fp[3].x, y2: fp[3].y }, g);
    if (category !== "panel" && cab.width_mm >= 250) {
      // wall units label near the wall, base and tall units near their front, so both stay readable
      const t = category === "wall" ? 0.25 : category === "worktop" ? 0.5 : 0.72;
      const back = { x: (fp[0].x + fp[1].x) / 2, y: (fp[0].y + fp[1].y) / 2 };
      const front = { x: (fp[2].x + fp[3].x) / 2, y: (fp[2].y + fp[3].y) / 2 };
      const [cx, cy] = [back.x + (front.x - back.x) * t, back.y + (front.y - back.y) * t];
      el("text", { x: cx, y: cy, "text-anchor": "middle", "dominant-baseline": "middle", class: "plan-cabinet-label" }, g)
        .textContent = String(Math.round(cab.width_mm));
    }
    return g;
  }

  _svgPoint(event) {
    const ctm = this.svg.getScreenCTM();
    if (!ctm) return [0, 0];
    const p = new DOMPoint(event.clientX, event.clientY).matrixTransform(ctm.inverse());
    return [p.x, p.y];
  }

  _down(event) {
    if (!this.doc || event.button > 0) return;
    this.pointers.set(event.pointerId, [event.clientX, event.clientY]);
    if (this.pointers.size === 2) {  // two fingers: pinch to zoom, no drag
      if (this.drag && this.drag.kind === "cabinet" && this.drag.moved) this.render();
      this.drag = null;
      const [a, b] = [...this.pointers.values()];
      this.pinch = { distance: Math.hypot(a[0] - b[0], a[1] - b[1]) || 1, view: [...this.view] };
      return;
    }
    const node = event.target.closest(".plan-cabinet");
    const start = this._svgPoint(event);
    this.svg.setPointerCapture(event.pointerId);
    if (node) {
      const cab = this.doc.cabinets.find((c) => c.id === node.dataset.id);
      this.drag = { kind: "cabinet", cab, node, start, offset: cab.placement.offset_mm, moved: false, id: event.pointerId };
    } else {
      const wallNode = event.target.closest(".plan-wall");
      const roomNode = event.target.closest(".plan-room");
      if (roomNode) {
        this.onRoom(roomNode.dataset.roomId);
        for (const r of this.svg.querySelectorAll(".plan-room")) r.classList.toggle("current", r === roomNode);
      }
      this.drag = { kind: "pan", start: [event.clientX, event.clientY], view: [...this.view], moved: false, id: event.pointerId,
        wall: wallNode ? wallNode.dataset.wall : null };
    }
  }

  _move(event) {
    if (this.pointers.has(event.pointerId)) this.pointers.set(event.pointerId, [event.clientX, event.clientY]);
    if (this.pinch && this.pointers.size === 2) {
      const [a, b] = [...this.pointers.values()];
      const factor = this.pinch.distance / (Math.hypot(a[0] - b[0], a[1] - b[1]) || 1);
      this.view = [...this.pinch.view];
      this._applyView();
      this.zoom(factor, this._svgPoint({ clientX: (a[0] + b[0]) / 2, clientY: (a[1] + b[1]) / 2 }));
      return;
    }
    const drag = this.drag;
    if (!drag || drag.id !== event.pointerId) return;
    if (drag.kind === "pan") {
      const rect = this.svg.getBoundingClientRect();
      const scale = Math.max(this.view[2] / rect.width, this.view[3] / rect.height);
      const dx = (event.clientX - drag.start[0]) * scale, dy = (event.clientY - drag.start[1]) * scale;
      if (Math.abs(dx) + Math.abs(dy) > 2 * scale) drag.moved = true;
      this.view = [drag.view[0] - dx, drag.view[1] - dy, drag.view[2], drag.view[3]];
      this._applyView();
      return;
    }
    const cab = drag.cab;
    if (!this.canEdit) return;
    const p = this._svgPoint(event);
    const moved = cab.placement.kind === "free" ? this._dragFree(drag, p) : this._dragOnWalls(drag, p);
    if (!moved) return;
    drag.newPlacement = moved.placement;
    const fp = footprint(moved, this.walls);
    drag.node.querySelector("polygon").setAttribute("points", pts(fp));
    const front = drag.node.querySelector(".plan-front");
    front.setAttribute("x1", fp[2].x); front.setAttribute("y1", fp[2].y);
    front.setAttribute("x2", fp[3].x); front.setAttribute("y2", fp[3].y);
    const text = drag.node.querySelector("text");
    if (text) {
      const c = centroid(fp);
      text.setAttribute("x", c.x);
      text.setAttribute("y", c.y);
    }
    drag.node.classList.add("dragging");
  }

  /** A free-standing unit follows the pointer (the server snaps it when it is dropped). */
  _dragFree(drag, p) {
    const cab = drag.cab;
    const dx = p[0] - drag.start[0], dy = p[1] - drag.start[1];
    if (!drag.moved && Math.hypot(dx, dy) < 15) return null;
    drag.moved = true;
    return { ...cab, placement: { ...cab.placement, x_mm: Math.round(cab.placement.x_mm + dx), y_mm: Math.round(cab.placement.y_mm + dy) } };
  }

  /** A wall unit slides along its wall, or moves onto another wall the pointer is clearly nearer to
   * (on the side of that wall the pointer is on), snapped to edges along the wall. */
  _dragOnWalls(drag, p) {
    const cab = drag.cab;
    const own = this.walls.get(cab.placement.wall_id);
    const point = { x: p[0], y: p[1] };
    const ownDistance = projectOnSegment(point, own.start, own.end).distance;
    let target = null;
    for (const wall of this.doc.plan.walls) {
      if (wall.id === own.id) continue;
      const hit = projectOnSegment(point, wall.start, wall.end);
      if (hit.distance < WALL_SWITCH_MM && hit.distance < ownDistance - 150 && (!target || hit.distance < target.hit.distance)) {
        target = { wall, hit };
      }
    }
    if (target) {
      drag.moved = true;
      const { wall, hit } = target;
      const f = wallFrame(wall);
      const side = (point.x - wall.start.x) * f.nx + (point.y - wall.start.y) * f.ny > 0 ? "left" : "right";
      const want = hit.t * f.len - cab.width_mm / 2;
      const offset = Math.round(snapOffset(this.doc, wall.id, want, cab.width_mm, side, this.snapMm, cab.id));
      return { ...cab, placement: { kind: "wall", wall_id: wall.id, side, offset_mm: offset } };
    }
    const f = wallFrame(own);
    const delta = (p[0] - drag.start[0]) * f.ux + (p[1] - drag.start[1]) * f.uy;
    if (!drag.moved && Math.abs(delta) < 15) return null;
    drag.moved = true;
    return { ...cab, placement: { ...cab.placement, offset_mm: this._snap(cab, own, drag.offset + delta) } };
  }

  _snap(cab, wall, offset) {
    return Math.round(snapOffset(this.doc, wall.id, offset, cab.width_mm, cab.placement.side, this.snapMm, cab.id));
  }

  _up(event) {
    this.pointers.delete(event.pointerId);
    if (this.pinch) {
      if (this.pointers.size === 0) this.pinch = null;
      return;
    }
    const drag = this.drag;
    if (!drag || drag.id !== event.pointerId) return;
    this.drag = null;
    if (drag.kind === "pan") {
      if (!drag.moved && drag.wall) this.onSelectWall(drag.wall);
      else if (!drag.moved) this.onSelect(null);
      return;
    }
    drag.node.classList.remove("dragging");
    const to = drag.newPlacement, from = drag.cab.placement;
    const changed = to && (to.kind === "free" ? Math.hypot(to.x_mm - from.x_mm, to.y_mm - from.y_mm) >= 1
      : to.wall_id !== from.wall_id || to.side !== from.side || Math.abs(to.offset_mm - from.offset_mm) >= 1);
    if (drag.moved && changed) {
      this.onMove(drag.cab, to);
    } else {
      if (drag.moved) this.render();
      this.onSelect(drag.cab.id);
    }
  }

  _cancel() {
    this.pointers.clear();
    this.pinch = null;
    if (this.drag && this.drag.kind === "cabinet") this.render();
    this.drag = null;
  }

  _key(event) {
    const node = event.target.closest && event.target.closest(".plan-cabinet");
    if (!node) return;
    const cab = this.doc.cabinets.find((c) => c.id === node.dataset.id);
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      this.onSelect(cab.id);
    } else if ((event.key === "ArrowLeft" || event.key === "ArrowRight") && this.canEdit && cab.placement.kind === "wall") {
      // nudge along the wall: 10 mm, or 100 mm with Shift
      event.preventDefault();
      const wall = this.walls.get(cab.placement.wall_id);
      const step = (event.shiftKey ? 100 : 10) * (event.key === "ArrowRight" ? 1 : -1);
      const offset = Math.min(Math.max(cab.placement.offset_mm + step, 0), wallLength(wall) - cab.width_mm);
      if (offset !== cab.placement.offset_mm) this.onMove(cab, { ...cab.placement, offset_mm: offset });
    }
  }
}
