// Draws the plan over the photo in an SVG whose user units are ORIGINAL PHOTO PIXELS: every plan
// point (mm) goes through the vectorizer's homography, so the overlay sits on the photo even when
// the photo is tilted or in perspective.
import { alongWall, areaM2, centroid, wallFrame, wallLength } from "../geometry.js";
import { fmt } from "../text.js";

const NS = "http://www.w3.org/2000/svg";
export const LOW_CONFIDENCE = 0.6;

function el(name, attrs = {}, parent = null) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) node.setAttribute(k, String(v));
  if (parent) parent.appendChild(node);
  return node;
}

const pts = (list) => list.map((p) => `${p.x.toFixed(2)},${p.y.toFixed(2)}`).join(" ");

export class OverlayView {
  constructor(svg, { text, roomName }) {
    this.svg = svg;
    this.text = text;
    this.roomName = roomName;
    this.width = 1;
    this.height = 1;
  }

  setSize(width, height) {
    this.width = width;
    this.height = height;
    this.svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    this.svg.setAttribute("preserveAspectRatio", "none");
  }

  /** Photo pixels per screen pixel (handle sizes and hit tolerances are in screen pixels). */
  unit() {
    const box = this.svg.getBoundingClientRect();
    return box.width > 0 ? this.width / box.width : 1;
  }

  /** Client (screen) coordinates → photo pixels. */
  toPhoto(clientX, clientY) {
    const box = this.svg.getBoundingClientRect();
    return {
      x: ((clientX - box.left) / box.width) * this.width,
      y: ((clientY - box.top) / box.height) * this.height,
    };
  }

  /**
   * @param editor the PlanEditor; frame a PhotoFrame; ui {selection, wallConfidence, rooms (report),
   *   scalePoints [photo px], draftWall {a, b} in mm, draftRoom {points, hover} in mm}
   */
  render(editor, frame, ui) {
    const focusedKey = document.activeElement && this.svg.contains(document.activeElement)
      ? document.activeElement.getAttribute("data-key") : null;
    const u = this.unit();
    const P = (p) => frame.toPhoto(p);
    this.svg.replaceChildren();
    const rooms = el("g", { class: "rooms" }, this.svg);
    const walls = el("g", { class: "walls" }, this.svg);
    const openings = el("g", { class: "openings" }, this.svg);
    const handles = el("g", { class: "handles" }, this.svg);
    const labels = el("g", { class: "labels", "aria-hidden": "true" }, this.svg);
    const extra = el("g", { class: "extra" }, this.svg);

    const problems = new Map(ui.rooms.map((r) => [r.room.id, r.problems]));
    editor.plan.rooms.forEach((room, i) => {
      const bad = (problems.get(room.id) || []).length > 0;
      el("polygon", { class: `room${bad ? " bad" : ""}`, points: pts(room.polygon.map(P)), "data-room": room.id }, rooms);
      const c = P(centroid(room.polygon));
      const t = el("text", { x: c.x, y: c.y, class: `room-label${bad ? " bad" : ""}`, "font-size": 13 * u, "text-anchor": "middle" }, labels);
      el("tspan", { x: c.x, dy: 0 }, t).textContent = this.roomName(room, i);
      el("tspan", { x: c.x, dy: 15 * u }, t).textContent = `${areaM2(room.polygon).toFixed(1)} m²`;
    });

    editor.plan.walls.forEach((w, i) => {
      const f = wallFrame(w);
      const h = w.thickness_mm / 2;
      const corners = [
        { x: w.start.x + f.nx * h, y: w.start.y + f.ny * h }, { x: w.end.x + f.nx * h, y: w.end.y + f.ny * h },
        { x: w.end.x - f.nx * h, y: w.end.y - f.ny * h }, { x: w.start.x - f.nx * h, y: w.start.y - f.ny * h },
      ].map(P);
      const conf = ui.wallConfidence[w.id];
      const low = conf !== undefined && conf < LOW_CONFIDENCE;
      const selected = ui.selection && ui.selection.kind === "wall" && ui.selection.id === w.id;
      const g = el("g", {
        class: `wall${low ? " low" : ""}${selected ? " selected" : ""}`, "data-kind": "wall", "data-id": w.id,
        "data-key": `wall:${w.id}`, tabindex: 0, role: "button", "aria-pressed": selected ? "true" : "false",
        "aria-label": fmt(this.text.wall_label, { n: i + 1, length: Math.round(wallLength(w)) }) + (low ? ` — ${this.text.wall_conf_low}` : ""),
      }, walls);
      el("polygon", { class: "band", points: pts(corners) }, g);
      const a = P(w.start), b = P(w.end);
      el("line", { class: "hit", x1: a.x, y1: a.y, x2: b.x, y2: b.y, "vector-effect": "non-scaling-stroke" }, g);
    });

    for (const w of editor.plan.walls) {
      for (const o of w.openings) {
        const selected = ui.selection && ui.selection.kind === "opening" && ui.selection.id === o.id;
        const h = w.thickness_mm / 2 + 20;
        const s0 = o.offset_mm, s1 = o.offset_mm + o.width_mm;
        const g = el("g", {
          class: `opening ${o.kind}${selected ? " selected" : ""}`, "data-kind": "opening", "data-id": o.id,
          "data-key": `opening:${o.id}`, tabindex: 0, role: "button", "aria-pressed": selected ? "true" : "false",
          "aria-label": fmt(o.kind === "door" ? this.text.door_label : this.text.window_label, { width: Math.round(o.width_mm) }),
        }, openings);
        el("polygon", { class: "band", points: pts([alongWall(w, s0, h), alongWall(w, s1, h), alongWall(w, s1, -h), alongWall(w, s0, -h)].map(P)) }, g);
        if (o.kind === "door" && o.swing !== "none") {
          // leaf and swing arc: hinge at one end of the opening, opening into the swing side
          const hingeS = o.hinge === "end" ? s1 : s0;
          const freeS = o.hinge === "end" ? s0 : s1;
          const side = o.swing === "left" ? 1 : -1;
          const arc = [];
          for (let k = 0; k <= 12; k++) {
            const ang = (Math.PI / 2) * (k / 12);
            const along = hingeS + (freeS - hingeS) * Math.cos(ang);
            const across = side * o.width_mm * Math.sin(ang);
            arc.push(alongWall(w, along, across));
          }
          el("polyline", { class: "swing", points: pts(arc.map(P)), "vector-effect": "non-scaling-stroke" }, g);
          const hinge = P(alongWall(w, hingeS)), tip = P(alongWall(w, hingeS, side * o.width_mm));
          el("line", { class: "leaf", x1: hinge.x, y1: hinge.y, x2: tip.x, y2: tip.y, "vector-effect": "non-scaling-stroke" }, g);
        } else if (o.kind === "window") {
          const m0 = P(alongWall(w, s0)), m1 = P(alongWall(w, s1));
          el("line", { class: "glass", x1: m0.x, y1: m0.y, x2: m1.x, y2: m1.y, "vector-effect": "non-scaling-stroke" }, g);
        }
        const a = P(alongWall(w, s0)), b = P(alongWall(w, s1));
        el("line", { class: "hit", x1: a.x, y1: a.y, x2: b.x, y2: b.y, "vector-effect": "non-scaling-stroke" }, g);
      }
    }

    for (const w of editor.plan.walls) {
      for (const end of ["start", "end"]) {
        const p = P(w[end]);
        el("circle", { class: "handle", cx: p.x, cy: p.y, r: 7 * u, "data-kind": "end", "data-id": w.id, "data-end": end }, handles);
      }
    }

    if (ui.draftWall) {
      const a = P(ui.draftWall.a), b = P(ui.draftWall.b);
      el("line", { class: "draft", x1: a.x, y1: a.y, x2: b.x, y2: b.y, "vector-effect": "non-scaling-stroke" }, extra);
      el("circle", { class: "draft-end", cx: a.x, cy: a.y, r: 5 * u }, extra);
    }
    if (ui.draftRoom) {
      // the room outline being drawn: its corners, the edges so far and the way back to the first corner
      const corners = ui.draftRoom.points.map(P);
      const tip = ui.draftRoom.hover ? P(ui.draftRoom.hover) : null;
      const line = tip ? [...corners, tip] : corners;
      if (line.length >= 3) el("polygon", { class: "draft-room", points: pts(line) }, extra);
      if (line.length >= 2) el("polyline", { class: "draft", points: pts(line), "vector-effect": "non-scaling-stroke" }, extra);
      corners.forEach((c, i) => el("circle", { class: i === 0 ? "draft-end first" : "draft-end", cx: c.x, cy: c.y, r: (i === 0 ? 7 : 5) * u }, extra));
    }
    if (ui.scalePoints && ui.scalePoints.length) {
      const [a, b] = ui.scalePoints;
      if (b) el("line", { class: "scale-line", x1: a.x, y1: a.y, x2: b.x, y2: b.y, "vector-effect": "non-scaling-stroke" }, extra);
      for (const p of ui.scalePoints) el("circle", { class: "scale-end", cx: p.x, cy: p.y, r: 6 * u }, extra);
    }

    if (focusedKey) {
      const again = this.svg.querySelector(`[data-key="${CSS.escape(focusedKey)}"]`);
      if (again) again.focus({ preventScroll: true });
    }
  }
}
