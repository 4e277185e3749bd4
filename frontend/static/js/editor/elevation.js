// The selected cabinet's front elevation (SVG): its zones as the server laid them out (mm on the front
// grid, z up), their inserts and fronts. Clicking a zone does what the "click to" control says: split it
// there, across (a board) or side by side (a partition), fill it with an insert, or close it with a
// front (sliding doors close the whole unit). The boards and partitions between zones can be dragged
// (or moved 10 mm with the arrow keys) to a new position in mm. Each is an ordinary undoable command;
// the server refuses what cannot be built, naming the field.

import { T, fmt } from "../text.js";

const SVG = "http://www.w3.org/2000/svg";
const PAD = 12; // px around the drawing

function svg(tag, attrs = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== null) node.textContent = text;
  return node;
}

/** Where a click at (mmX, mmZ) splits `zone`: mm from its bottom (across) or its left (side by side). */
export function splitAt(zone, axis, mmX, mmZ) {
  const [x0, , z0] = zone.outer;
  return Math.round(axis === "vertical" ? mmX - x0 : mmZ - z0);
}

/** Where a divider dragged to `mm` (front grid, from the cabinet's bottom or left) lands: whole mm, kept
 * between its limits. */
export function dividerAt(divider, mm) {
  return Math.round(Math.min(divider.hi_mm, Math.max(divider.lo_mm, mm)));
}

/** The command that moves `divider` of cabinet `cabinetId` to `mm` (null if it does not move). */
export function dividerCommand(cabinetId, divider, mm) {
  const at = dividerAt(divider, mm);
  if (Math.abs(at - divider.at_mm) < 1) return null;
  return { kind: "move_divider", cabinet_id: cabinetId, path: divider.path, index: divider.index,
    at_mm: at - divider.start_mm };
}

const INSERTS = {
  shelves: { kind: "shelves", count: 3 }, drawers: { kind: "drawers", count: 2 },
  drawers_internal: { kind: "drawers", count: 2, internal: true }, rail_long: { kind: "rail", hang: "long" },
  rail_short: { kind: "rail", hang: "short" }, trouser_rack: { kind: "trouser_rack" },
  shoe_shelves: { kind: "shoe_shelves", count: 4 }, basket: { kind: "basket", count: 2 }, niche: { kind: "niche" },
};
const FRONTS = { hinged: { kind: "hinged" }, lift: { kind: "lift" }, sliding: { kind: "sliding", leaves: 2 }, none: null };

/**
 * The command a click in `zone` of cabinet `cabinetId` sends, for the control's `mode`
 * ("split:horizontal", "split:vertical", "insert:<name>", "front:<name>") at (mmX, mmZ).
 */
export function zoneCommand(mode, cabinetId, zone, mmX, mmZ) {
  const [what, name] = mode.split(":");
  if (what === "split") {
    return { kind: "split_zone", cabinet_id: cabinetId, path: zone.path, axis: name, at_mm: splitAt(zone, name, mmX, mmZ) };
  }
  if (what === "insert") return { kind: "set_insert", cabinet_id: cabinetId, path: zone.path, insert: INSERTS[name] };
  const path = name === "sliding" ? [] : zone.path; // sliding doors run across the whole unit
  return { kind: "set_front", cabinet_id: cabinetId, path, front: FRONTS[name] };
}

/** The words for a zone: its insert, how many, and what closes it. */
export function zoneLabel(zone, words = T.zone || {}) {
  const inserts = words.inserts || {};
  const fronts = words.fronts || {};
  let text = inserts[zone.insert] || zone.insert;
  if (zone.insert === "rail") text = inserts[`rail_${zone.hang}`] || text;
  if (zone.count > 0 && ["shelves", "fixed_shelves", "shoe_shelves", "drawers", "basket"].includes(zone.insert)) {
    text = `${text} × ${zone.count}`;
  }
  if (zone.insert === "drawers" && zone.internal) text = `${text} (${inserts.internal || "internal"})`;
  const front = fronts[zone.front];
  return front ? `${text} · ${front}` : text;
}

export class ElevationView {
  constructor(figure, { canEdit, onSplit }) {
    this.figure = figure;
    this.canEdit = canEdit;
    this.onSplit = onSplit;
    this.svg = figure.querySelector("svg");
    this.axis = figure.querySelector("select");
    this.note = figure.querySelector(".elevation-note");
    this.data = null;
  }

  hide() {
    this.figure.hidden = true;
    this.data = null;
  }

  show(data) {
    this.data = data;
    this.figure.hidden = !data || !data.editable;
    if (this.figure.hidden) return;
    const width = this.svg.clientWidth || 280;
    const scale = (width - 2 * PAD) / data.width_mm;
    const height = data.height_mm * scale + 2 * PAD;
    this.svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    this.svg.setAttribute("height", String(Math.round(height)));
    const X = (mmX) => PAD + mmX * scale;
    const Y = (mmZ) => PAD + (data.height_mm - mmZ) * scale;
    this.svg.replaceChildren(svg("rect", { class: "carcass", x: X(0), y: Y(data.height_mm),
      width: data.width_mm * scale, height: data.height_mm * scale }));
    for (const f of data.fronts) {
      const [x0, x1, z0, z1] = f.rect;
      this.svg.append(svg("rect", { class: `front ${f.role}`, x: X(x0), y: Y(z1), width: (x1 - x0) * scale,
        height: (z1 - z0) * scale }));
    }
    for (const zone of data.zones) {
      const [x0, x1, z0, z1] = zone.outer;
      const group = svg("g", { class: "zone", "data-path": zone.path.join("."), tabindex: zone.editable && this.canEdit ? 0 : -1,
        role: "button", "aria-label": fmt(T.zone ? T.zone.split_here : "%(zone)s", { zone: zoneLabel(zone) }) });
      const rect = svg("rect", { x: X(x0) + 2, y: Y(z1) + 2, width: Math.max(1, (x1 - x0) * scale - 4),
        height: Math.max(1, (z1 - z0) * scale - 4) });
      const label = svg("text", { x: X((x0 + x1) / 2), y: Y((z0 + z1) / 2), "text-anchor": "middle",
        "dominant-baseline": "middle" }, zoneLabel(zone));
      group.append(rect, label);
      if (zone.editable && this.canEdit) {
        group.addEventListener("click", (event) => this._split(zone, event, scale));
        group.addEventListener("keydown", (event) => {
          if (event.key !== "Enter" && event.key !== " ") return;
          event.preventDefault();
          this._emit(zone, (zone.outer[0] + zone.outer[1]) / 2, (zone.outer[2] + zone.outer[3]) / 2);
        });
      }
      this.svg.append(group);
    }
    if (this.canEdit) for (const d of data.dividers || []) this.svg.append(this._divider(d, X, Y, scale));
  }

  /** A divider to drag: a line over the board between two zones, with a wider hit area and its mm. */
  _divider(d, X, Y, scale) {
    const across = d.axis === "horizontal";
    const words = T.zone || {};
    const group = svg("g", { class: `divider ${across ? "across" : "upright"}`, "data-path": d.path.join("."),
      "data-index": d.index, tabindex: 0, role: "slider", "aria-orientation": across ? "vertical" : "horizontal",
      "aria-valuemin": Math.round(d.lo_mm), "aria-valuemax": Math.round(d.hi_mm), "aria-valuenow": Math.round(d.at_mm),
      "aria-label": words.divider || "Divider" });
    const line = svg("line", {});
    const hit = svg("rect", { class: "divider-hit" });
    const label = svg("text", { class: "divider-mm", "text-anchor": "middle" });
    const place = (mm) => {
      if (across) {
        const y = Y(mm);
        Object.entries({ x1: X(d.span[0]), x2: X(d.span[1]), y1: y, y2: y }).forEach(([k, v]) => line.setAttribute(k, v));
        Object.entries({ x: X(d.span[0]), y: y - 6, width: (d.span[1] - d.span[0]) * scale, height: 12 })
          .forEach(([k, v]) => hit.setAttribute(k, v));
        label.setAttribute("x", X((d.span[0] + d.span[1]) / 2));
        label.setAttribute("y", y - 8);
      } else {
        const x = X(mm);
        Object.entries({ x1: x, x2: x, y1: Y(d.span[1]), y2: Y(d.span[0]) }).forEach(([k, v]) => line.setAttribute(k, v));
        Object.entries({ x: x - 6, y: Y(d.span[1]), width: 12, height: (d.span[1] - d.span[0]) * scale })
          .forEach(([k, v]) => hit.setAttribute(k, v));
        label.setAttribute("x", x);
        label.setAttribute("y", Y((d.span[0] + d.span[1]) / 2));
      }
      label.textContent = fmt(words.divider_mm || "%(mm)s mm", { mm: Math.round(mm) }); // from the bottom (left)
      group.setAttribute("aria-valuenow", String(Math.round(mm)));
      group.setAttribute("aria-valuetext", label.textContent);
    };
    place(d.at_mm);
    group.append(hit, line, label);
    let drag = null;
    group.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      event.stopPropagation();
      drag = { id: event.pointerId, mm: d.at_mm };
      group.classList.add("dragging");
      if (group.setPointerCapture) group.setPointerCapture(event.pointerId);
    });
    group.addEventListener("pointermove", (event) => {
      if (!drag || event.pointerId !== drag.id) return;
      const [mmX, mmZ] = this._mm(event, scale);
      drag.mm = dividerAt(d, across ? mmZ : mmX);
      place(drag.mm);
    });
    const end = (event) => {
      if (!drag || event.pointerId !== drag.id) return;
      const mm = drag.mm;
      drag = null;
      group.classList.remove("dragging");
      const command = dividerCommand(this.data.cabinet_id, d, mm);
      if (command) this.onSplit(command);
      else place(d.at_mm);
    };
    group.addEventListener("pointerup", end);
    group.addEventListener("pointercancel", (event) => { if (drag && event.pointerId === drag.id) { drag = null; place(d.at_mm); } });
    group.addEventListener("click", (event) => event.stopPropagation());
    group.addEventListener("keydown", (event) => {
      const step = { ArrowUp: 10, ArrowRight: 10, ArrowDown: -10, ArrowLeft: -10 }[event.key];
      if (!step) return;
      event.preventDefault();
      const command = dividerCommand(this.data.cabinet_id, d, d.at_mm + step);
      if (command) this.onSplit(command);
    });
    return group;
  }

  /** A pointer event's position on the drawing in mm (x from the left, z up from the bottom). */
  _mm(event, scale) {
    const box = this.svg.getBoundingClientRect();
    const view = this.svg.viewBox.baseVal;
    const px = (event.clientX - box.left) * (view.width / box.width);
    const py = (event.clientY - box.top) * (view.height / box.height);
    return [(px - PAD) / scale, this.data.height_mm - (py - PAD) / scale];
  }

  _split(zone, event, scale) {
    const [mmX, mmZ] = this._mm(event, scale);
    this._emit(zone, mmX, mmZ);
  }

  _emit(zone, mmX, mmZ) {
    this.onSplit(zoneCommand(this.axis.value, this.data.cabinet_id, zone, mmX, mmZ));
  }
}
