// A small plan (SVG) beside a list that names walls: rooms and walls drawn from the design's plan,
// the wall an item of the list points at highlighted while it is hovered, focused or chosen. Items
// carry data-wall-ref="<wall id>"; the thumbnail draws each wall with data-wall="<wall id>".

const NS = "http://www.w3.org/2000/svg";

function el(name, attrs = {}, parent = null) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) node.setAttribute(k, String(v));
  if (parent) parent.appendChild(node);
  return node;
}

const pts = (list) => list.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ");

/** The bounding box [x, y, w, h] (mm) of a plan's walls and rooms, with a margin. */
export function planBox(plan, margin = 300) {
  const xs = [], ys = [];
  for (const w of plan.walls) { xs.push(w.start.x, w.end.x); ys.push(w.start.y, w.end.y); }
  for (const r of plan.rooms) for (const p of r.polygon) { xs.push(p.x); ys.push(p.y); }
  if (!xs.length) return [0, 0, 1000, 1000];
  const x0 = Math.min(...xs) - margin, y0 = Math.min(...ys) - margin;
  return [x0, y0, Math.max(...xs) + margin - x0, Math.max(...ys) + margin - y0];
}

/** Draw ``plan`` into ``svg`` (cleared first); ``roomId`` is shaded as the room being worked in. */
export function drawThumbnail(svg, plan, { roomId = null } = {}) {
  svg.replaceChildren();
  svg.setAttribute("viewBox", planBox(plan).map((v) => v.toFixed(0)).join(" "));
  svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
  svg.classList.add("plan-thumb");
  for (const room of plan.rooms) {
    el("polygon", { points: pts(room.polygon), class: room.id === roomId ? "thumb-room current" : "thumb-room" }, svg);
  }
  for (const wall of plan.walls) {
    el("line", { x1: wall.start.x, y1: wall.start.y, x2: wall.end.x, y2: wall.end.y, "data-wall": wall.id,
      class: "thumb-wall", "stroke-width": Math.max(wall.thickness_mm, 60) }, svg);
  }
}

/** Highlight one wall (or none) in a thumbnail drawn by drawThumbnail. */
export function highlightWall(svg, wallId, kind = "hover") {
  for (const line of svg.querySelectorAll(".thumb-wall")) {
    const on = line.dataset.wall === wallId;
    line.classList.toggle(kind, on);
    if (on) line.parentNode.appendChild(line);  // drawn last, above the walls it crosses
  }
}

/**
 * Wire a list to a thumbnail: hovering or focusing an element with data-wall-ref highlights that
 * wall; a checked checkbox inside such an element keeps its wall marked as chosen.
 */
export function linkList(list, svg) {
  const refOf = (target) => (target && target.closest ? target.closest("[data-wall-ref]") : null);
  const show = (event) => {
    const item = refOf(event.target);
    highlightWall(svg, item ? item.dataset.wallRef : null, "hover");
  };
  list.addEventListener("pointerover", show);
  list.addEventListener("focusin", show);
  list.addEventListener("pointerleave", () => highlightWall(svg, null, "hover"));
  list.addEventListener("focusout", () => highlightWall(svg, null, "hover"));
  const marks = () => {
    const chosen = new Set([...list.querySelectorAll("[data-wall-ref]")]
      .filter((item) => item.querySelector("input[type=checkbox]:checked")).map((item) => item.dataset.wallRef));
    for (const line of svg.querySelectorAll(".thumb-wall")) line.classList.toggle("chosen", chosen.has(line.dataset.wall));
  };
  list.addEventListener("change", marks);
  marks();
  return marks;
}
