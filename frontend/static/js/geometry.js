// Plane geometry of both editors (the design editor and the plan correction page): homographies,
// polygons, segments, walls and the frames of placed cabinets. Pure functions, no DOM; points are
// {x, y} in plan millimetres (x right, y down) unless said otherwise.

/** Apply a 3×3 row-major homography to (x, y). */
export function applyH(h, x, y) {
  const w = h[2][0] * x + h[2][1] * y + h[2][2];
  return {
    x: (h[0][0] * x + h[0][1] * y + h[0][2]) / w,
    y: (h[1][0] * x + h[1][1] * y + h[1][2]) / w,
  };
}

/** Inverse of a 3×3 matrix (adjugate / determinant). */
export function invert3(m) {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (Math.abs(det) < 1e-12) throw new Error("singular homography");
  const s = 1 / det;
  return [
    [A * s, -(b * i - c * h) * s, (b * f - c * e) * s],
    [B * s, (a * i - c * g) * s, -(a * f - c * d) * s],
    [C * s, -(a * h - b * g) * s, (a * e - b * d) * s],
  ];
}

/**
 * Maps between plan millimetres and original-photo pixels. The vectorizer's homography maps
 * homogeneous plan pixels (mm / mmPerPlanPx) to photo pixels.
 */
export class PhotoFrame {
  constructor(homography, mmPerPlanPx) {
    this.h = homography;
    this.hInv = invert3(homography);
    this.mmPerPlanPx = mmPerPlanPx;
  }
  toPhoto(p) {
    return applyH(this.h, p.x / this.mmPerPlanPx, p.y / this.mmPerPlanPx);
  }
  toPlan(q) {
    const r = applyH(this.hInv, q.x, q.y);
    return { x: r.x * this.mmPerPlanPx, y: r.y * this.mmPerPlanPx };
  }
}

export const dist = (a, b) => Math.hypot(b.x - a.x, b.y - a.y);

/** Signed shoelace area in mm² (positive for clockwise in y-down coordinates). */
export function signedArea(poly) {
  let s = 0;
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i], b = poly[(i + 1) % poly.length];
    s += a.x * b.y - b.x * a.y;
  }
  return s / 2;
}

export const areaM2 = (poly) => Math.abs(signedArea(poly)) / 1e6;

export function centroid(poly) {
  const a = signedArea(poly);
  if (Math.abs(a) < 1e-6) {
    const n = poly.length || 1;
    return { x: poly.reduce((s, p) => s + p.x, 0) / n, y: poly.reduce((s, p) => s + p.y, 0) / n };
  }
  let cx = 0, cy = 0;
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i], q = poly[(i + 1) % poly.length];
    const k = p.x * q.y - q.x * p.y;
    cx += (p.x + q.x) * k;
    cy += (p.y + q.y) * k;
  }
  return { x: cx / (6 * a), y: cy / (6 * a) };
}

function orient(a, b, c) {
  const v = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
  return Math.abs(v) < 1e-9 ? 0 : Math.sign(v);
}

function onSegment(a, b, p) {
  return Math.min(a.x, b.x) - 1e-9 <= p.x && p.x <= Math.max(a.x, b.x) + 1e-9 &&
    Math.min(a.y, b.y) - 1e-9 <= p.y && p.y <= Math.max(a.y, b.y) + 1e-9;
}

export function segmentsIntersect(a, b, c, d) {
  const o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);
  if (o1 !== o2 && o3 !== o4) return true;
  return (o1 === 0 && onSegment(a, b, c)) || (o2 === 0 && onSegment(a, b, d)) ||
    (o3 === 0 && onSegment(c, d, a)) || (o4 === 0 && onSegment(c, d, b));
}

/** True when the closed polygon's edges only meet at shared neighbouring vertices. */
export function isSimple(poly) {
  const n = poly.length;
  if (n < 3) return false;
  for (let i = 0; i < n; i++) {
    const a = poly[i], b = poly[(i + 1) % n];
    for (let j = i + 1; j < n; j++) {
      if (j === i || (j + 1) % n === i || j === (i + 1) % n) continue;
      const c = poly[j], d = poly[(j + 1) % n];
      if (segmentsIntersect(a, b, c, d)) return false;
    }
  }
  return true;
}

/** Closest point on segment ab to p, with its parameter t in [0, 1] and the distance. */
export function projectOnSegment(p, a, b) {
  const dx = b.x - a.x, dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  const q = { x: a.x + t * dx, y: a.y + t * dy };
  return { t, point: q, distance: dist(p, q) };
}

export const wallLength = (w) => dist(w.start, w.end);

/** Unit direction and left normal of a wall (y down: left of start→end is (dy, -dx)). */
export function wallFrame(w) {
  const len = wallLength(w) || 1;
  const ux = (w.end.x - w.start.x) / len, uy = (w.end.y - w.start.y) / len;
  return { len, ux, uy, nx: uy, ny: -ux };
}

/** The point at distance s along a wall from its start, shifted by n along the left normal. */
export function alongWall(w, s, n = 0) {
  const f = wallFrame(w);
  return { x: w.start.x + f.ux * s + f.nx * n, y: w.start.y + f.uy * s + f.ny * n };
}

/** True when p lies inside the polygon (ray casting; any orientation; points in plan mm). */
export function pointInPolygon(p, poly) {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i], b = poly[j];
    if ((a.y > p.y) !== (b.y > p.y) && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/** Where segments ab and cd cross strictly inside both (not at an end): {point, t, u} with t along ab, u along cd; else null. */
export function segmentCrossing(a, b, c, d) {
  const rx = b.x - a.x, ry = b.y - a.y, sx = d.x - c.x, sy = d.y - c.y;
  const den = rx * sy - ry * sx;
  if (Math.abs(den) < 1e-9) return null;  // parallel or collinear
  const t = ((c.x - a.x) * sy - (c.y - a.y) * sx) / den;
  const u = ((c.x - a.x) * ry - (c.y - a.y) * rx) / den;
  if (t <= 1e-9 || t >= 1 - 1e-9 || u <= 1e-9 || u >= 1 - 1e-9) return null;
  return { point: { x: a.x + t * rx, y: a.y + t * ry }, t, u };
}

/** The polygon without consecutive points closer than tolMm (and without a repeated first point). */
export function dropDuplicatePoints(poly, tolMm = 1) {
  const out = [];
  for (const p of poly) if (!out.length || dist(out[out.length - 1], p) > tolMm) out.push({ x: p.x, y: p.y });
  while (out.length > 1 && dist(out[0], out[out.length - 1]) <= tolMm) out.pop();
  return out;
}

const cross3 = (o, a, b) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);

function inTriangle(p, a, b, c) {
  // a, b, c with positive signed area; points on an edge count as inside
  return cross3(a, b, p) >= -1e-9 && cross3(b, c, p) >= -1e-9 && cross3(c, a, p) >= -1e-9;
}

/** Ear-clipping triangulation of a simple polygon (plan mm): triangles [a, b, c] with positive signed area. */
export function triangulate(poly) {
  let rest = dropDuplicatePoints(poly, 1e-6);
  if (signedArea(rest) < 0) rest = rest.reverse();
  const out = [];
  let guard = rest.length * rest.length + 10;
  while (rest.length > 3 && guard-- > 0) {
    const n = rest.length;
    let clipped = false;
    for (let i = 0; i < n; i++) {
      const a = rest[(i + n - 1) % n], b = rest[i], c = rest[(i + 1) % n];
      const turn = cross3(a, b, c);
      if (Math.abs(turn) <= 1e-9 * Math.max(1, dist(a, b) * dist(b, c))) { rest.splice(i, 1); clipped = true; break; }  // straight on
      if (turn < 0) continue;  // a reflex corner is no ear
      const blocked = rest.some((p) => p !== a && p !== b && p !== c && dist(p, a) > 1e-6 && dist(p, b) > 1e-6 &&
        dist(p, c) > 1e-6 && inTriangle(p, a, b, c));
      if (blocked) continue;
      out.push([a, b, c]);
      rest.splice(i, 1);
      clipped = true;
      break;
    }
    if (!clipped) break;  // not a simple polygon after all: triangulate what is left as a fan
  }
  for (let i = 1; i + 1 < rest.length; i++) out.push([rest[0], rest[i], rest[i + 1]]);
  return out;
}

/** Sutherland–Hodgman: the part of `subject` (any simple polygon) inside `convex` (positive signed area). */
export function clipToConvex(subject, convex) {
  let out = subject;
  for (let i = 0; i < convex.length && out.length; i++) {
    const c1 = convex[i], c2 = convex[(i + 1) % convex.length];
    const input = out;
    out = [];
    for (let j = 0; j < input.length; j++) {
      const p = input[j], q = input[(j + 1) % input.length];
      const dp = cross3(c1, c2, p), dq = cross3(c1, c2, q);
      if (dp >= 0) out.push(p);
      if ((dp >= 0) !== (dq >= 0)) {
        const k = dp / (dp - dq);
        out.push({ x: p.x + (q.x - p.x) * k, y: p.y + (q.y - p.y) * k });
      }
    }
  }
  return out;
}

/**
 * Area in mm² shared by two simple polygons (plan mm), concave ones too: b is cut into triangles and
 * a is clipped by each (clipping a concave polygon by a convex one keeps its area exact).
 */
export function overlapArea(a, b) {
  let total = 0;
  for (const tri of triangulate(b)) {
    const part = clipToConvex(a, tri);
    if (part.length >= 3) total += Math.abs(signedArea(part));
  }
  return total;
}

/** The walls of a design document by id. */
export function wallMap(doc) {
  return new Map(doc.plan.walls.map((w) => [w.id, w]));
}

/** Unit normal from a wall's centreline into its side ("left": on your left walking start → end). */
export function wallNormal(w, side) {
  const f = wallFrame(w);
  return side === "left" ? { x: f.nx, y: f.ny } : { x: -f.nx, y: -f.ny };
}

/**
 * The frame of a placed cabinet or item, as backend/configurator/placement.py frame_of has it:
 * origin (its back-left corner), ax along its width (left → right seen from the front), ay from its
 * back to its front. null when its wall is not in `walls` (a Map by id).
 */
export function frameOf(placement, widthMm, walls) {
  if (placement.kind === "free") {
    const a = ((placement.rotation_deg || 0) * Math.PI) / 180;
    const c = Math.cos(a), s = Math.sin(a);
    return { origin: { x: placement.x_mm, y: placement.y_mm }, ax: { x: c, y: s }, ay: { x: -s, y: c } };
  }
  const wall = walls.get(placement.wall_id);
  if (!wall) return null;
  const f = wallFrame(wall);
  const n = wallNormal(wall, placement.side);
  const half = wall.thickness_mm / 2;
  const base = { x: wall.start.x + n.x * half, y: wall.start.y + n.y * half };
  // seen from the front, a unit on the left side has its left towards the wall's end
  const left = placement.side === "left";
  const along = left ? placement.offset_mm + widthMm : placement.offset_mm;
  const u = left ? { x: -f.ux, y: -f.uy } : { x: f.ux, y: f.uy };
  return { origin: { x: base.x + f.ux * along, y: base.y + f.uy * along }, ax: u, ay: n };
}

/** A point given in a frame (x along its width, y back → front) in plan mm. */
export function toPlan(frame, x, y) {
  return { x: frame.origin.x + x * frame.ax.x + y * frame.ay.x, y: frame.origin.y + x * frame.ax.y + y * frame.ay.y };
}

/** The footprint of a cabinet or item: back-left, back-right, front-right, front-left (or null). */
export function footprint(obj, walls) {
  const frame = frameOf(obj.placement, obj.width_mm, walls);
  if (!frame) return null;
  const w = obj.width_mm, d = obj.depth_mm;
  return [toPlan(frame, 0, 0), toPlan(frame, w, 0), toPlan(frame, w, d), toPlan(frame, 0, d)];
}

/** Whether two vertical spans [a0, a1] and [b0, b1] overlap by more than `tolMm`. */
export function spansOverlap(a0, a1, b0, b1, tolMm) {
  return Math.min(a1, b1) - Math.max(a0, b0) > tolMm;
}

/** Offsets along `wall` of the faces of walls joining it at an end (inside corners), as placement.py _corner_offsets. */
function cornerOffsets(wall, walls) {
  const out = [];
  const len = wallLength(wall);
  for (const other of walls) {
    if (other.id === wall.id) continue;
    for (const [end, at] of [[wall.start, 0], [wall.end, len]]) {
      if (Math.min(dist(end, other.start), dist(end, other.end)) <= other.thickness_mm) out.push(Math.abs(at - other.thickness_mm / 2));
    }
  }
  return out;
}

/**
 * Snap a unit's offset along a wall to the wall's ends, the faces of walls meeting it at a corner, the
 * edges of its openings or its neighbours on the same side, when one is within `distanceMm`; kept
 * within 0 .. wall length − width. The same rule as backend/configurator/placement.py snap_offset
 * (tests/web/test_js_rules.py runs both on the same designs).
 */
export function snapOffset(doc, wallId, offsetMm, widthMm, side, distanceMm, excludeId = null) {
  const wall = doc.plan.walls.find((w) => w.id === wallId);
  if (!wall) return offsetMm;
  const len = wallLength(wall);
  const edges = [0, len, ...cornerOffsets(wall, doc.plan.walls)];
  for (const o of wall.openings || []) edges.push(o.offset_mm, o.offset_mm + o.width_mm);
  for (const obj of [...doc.cabinets, ...(doc.items || [])]) {
    const p = obj.placement;
    if (obj.id !== excludeId && p.kind === "wall" && p.wall_id === wallId && p.side === side) {
      edges.push(p.offset_mm, p.offset_mm + obj.width_mm);
    }
  }
  // our start may snap to an edge, or our end may (start = edge − width)
  const candidates = [...edges, ...edges.map((e) => e - widthMm)].filter((c) => c >= -1e-6 && c <= len - widthMm + 1e-6);
  let best = null;
  for (const c of candidates) if (best === null || Math.abs(c - offsetMm) < Math.abs(best - offsetMm)) best = c;
  let out = offsetMm;
  if (best !== null && Math.abs(best - offsetMm) <= distanceMm) out = best;
  return Math.min(Math.max(out, 0), Math.max(len - widthMm, 0));
}
