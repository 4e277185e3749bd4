// The areas that walls enclose: the faces of the planar graph drawn by the walls' centrelines.
// Pure functions, no DOM; every coordinate is in plan millimetres. Doors and windows do not break
// a wall here (a room runs up to the wall line across its door).
import { dist, dropDuplicatePoints, isSimple, pointInPolygon, projectOnSegment, segmentCrossing, signedArea, wallLength } from "../geometry.js";

const EPS_MM = 1;

/** How near (mm) two walls' ends, or one wall's end and another's centreline, lie when the walls meet. */
export function meetTolerance(thicknessA, thicknessB) {
  return Math.min(500, Math.max(20, thicknessA, thicknessB));
}

/**
 * The wall graph: nodes {x, y} (mm) and undirected edges [i, j]. Wall ends within the meeting
 * tolerance become one node (at their mean); an end on another wall's centreline, away from its
 * ends (a T-junction), becomes a node on that wall too; centrelines crossing inside both walls meet
 * at a node of their own.
 */
export function wallGraph(walls) {
  const ws = walls.filter((w) => wallLength(w) > EPS_MM);
  const endPt = (k) => ws[k >> 1][k & 1 ? "end" : "start"];  // end k: 2i = start of wall i, 2i + 1 = its end
  const parent = ws.flatMap((_, i) => [2 * i, 2 * i + 1]);
  const find = (k) => { while (parent[k] !== k) { parent[k] = parent[parent[k]]; k = parent[k]; } return k; };
  for (let a = 0; a < parent.length; a++) {
    for (let b = a + 1; b < parent.length; b++) {
      if (a >> 1 === b >> 1) continue;  // never both ends of one wall
      if (dist(endPt(a), endPt(b)) <= meetTolerance(ws[a >> 1].thickness_mm, ws[b >> 1].thickness_mm)) parent[find(a)] = find(b);
    }
  }
  const nodes = [], members = [], nodeOfRoot = new Map();
  for (let k = 0; k < parent.length; k++) {
    const root = find(k);
    if (!nodeOfRoot.has(root)) { nodeOfRoot.set(root, nodes.length); nodes.push(null); members.push([]); }
    members[nodeOfRoot.get(root)].push(k);
  }
  members.forEach((m, i) => {
    nodes[i] = { x: m.reduce((s, k) => s + endPt(k).x, 0) / m.length, y: m.reduce((s, k) => s + endPt(k).y, 0) / m.length };
  });
  const endNode = (k) => nodeOfRoot.get(find(k));
  const stations = ws.map((w, i) => [[0, endNode(2 * i)], [wallLength(w), endNode(2 * i + 1)]]);  // [mm from start, node]

  // T-junctions: a node of ends lying on another wall's centreline, between that wall's ends
  const attached = members.map(() => []);
  members.forEach((m, node) => {
    const here = new Set(m.map((k) => k >> 1));
    const thick = Math.max(...m.map((k) => ws[k >> 1].thickness_mm));
    ws.forEach((w, i) => {
      if (here.has(i)) return;
      const tol = meetTolerance(w.thickness_mm, thick);
      const p = nodes[node];
      const pr = projectOnSegment(p, w.start, w.end);
      if (pr.distance > tol || dist(p, w.start) <= tol || dist(p, w.end) <= tol) return;
      stations[i].push([pr.t * wallLength(w), node]);
      attached[node].push(pr.point);
    });
  });
  // a node on exactly one wall's middle sits on that wall's centreline (an overshooting end is trimmed)
  attached.forEach((points, node) => { if (points.length === 1) nodes[node] = { ...points[0] }; });

  // centrelines that cross in the middle of both walls
  for (let i = 0; i < ws.length; i++) {
    for (let j = i + 1; j < ws.length; j++) {
      const x = segmentCrossing(ws[i].start, ws[i].end, ws[j].start, ws[j].end);
      if (!x) continue;
      const tol = meetTolerance(ws[i].thickness_mm, ws[j].thickness_mm);
      const near = (k) => stations[k].some(([, node]) => dist(nodes[node], x.point) <= tol);
      if (near(i) || near(j)) continue;  // a corner or T-junction already joins them there
      const node = nodes.push({ ...x.point }) - 1;
      stations[i].push([x.t * wallLength(ws[i]), node]);
      stations[j].push([x.u * wallLength(ws[j]), node]);
    }
  }

  const seen = new Set(), edges = [];
  for (const list of stations) {
    list.sort((a, b) => a[0] - b[0]);
    for (let k = 1; k < list.length; k++) {
      const a = list[k - 1][1], b = list[k][1];
      const key = a < b ? `${a},${b}` : `${b},${a}`;
      if (a === b || seen.has(key)) continue;
      seen.add(key);
      edges.push([a, b]);
    }
  }
  return { nodes, edges };
}

/**
 * The bounded faces of a planar graph {nodes, edges}: each the closed outline (mm, first point not
 * repeated, positive signed area) of one area the edges enclose. Dangling edges are left out.
 */
export function boundedFaces({ nodes, edges }) {
  const adj = nodes.map(() => new Set());
  for (const [a, b] of edges) { adj[a].add(b); adj[b].add(a); }
  // drop dead ends: they enclose nothing
  const stack = adj.map((s, i) => i).filter((i) => adj[i].size === 1);
  while (stack.length) {
    const i = stack.pop();
    for (const j of adj[i]) { adj[j].delete(i); if (adj[j].size === 1) stack.push(j); }
    adj[i].clear();
  }
  const angle = (i, j) => Math.atan2(nodes[j].y - nodes[i].y, nodes[j].x - nodes[i].x);
  const around = adj.map((s, i) => [...s].sort((a, b) => angle(i, a) - angle(i, b)));
  const used = new Set(), faces = [];
  around.forEach((list, start) => {
    for (const first of list) {
      if (used.has(`${start}>${first}`)) continue;
      // walk with the face on the left of each half-edge: at each node turn to the neighbour just
      // before the one we came from in angular order; bounded faces come out with positive signed area
      const cycle = [];
      let u = start, v = first, steps = 0;
      while (!used.has(`${u}>${v}`) && steps++ <= 2 * edges.length) {
        used.add(`${u}>${v}`);
        cycle.push(nodes[u]);
        const list2 = around[v];
        const w = list2[(list2.indexOf(u) - 1 + list2.length) % list2.length];
        u = v; v = w;
      }
      const poly = dropDuplicatePoints(cycle, EPS_MM);
      if (poly.length >= 3 && signedArea(poly) > 0) faces.push(poly);
    }
  });
  return faces;
}

/**
 * A face drawn in to the walls' inner faces, as the recognized rooms are: every edge moves inwards
 * by half the thickness of the wall it runs along, and the corners are where the moved edges meet
 * (mm). Returns the face unchanged when the result would not be a simple outline.
 */
export function insetToWallFaces(face, walls) {
  const n = face.length;
  const lines = face.map((a, i) => {
    const b = face[(i + 1) % n];
    const len = dist(a, b);
    const d = { x: (b.x - a.x) / len, y: (b.y - a.y) / len };
    const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    let half = 0, nearest = Infinity;
    for (const w of walls) {
      const { distance } = projectOnSegment(mid, w.start, w.end);
      if (distance < nearest && distance <= meetTolerance(w.thickness_mm, w.thickness_mm)) { nearest = distance; half = w.thickness_mm / 2; }
    }
    // the inside of a positive-area outline is on the left of its edges
    return { p: { x: a.x - d.y * half, y: a.y + d.x * half }, d };
  });
  const out = lines.map((line, i) => {
    const prev = lines[(i - 1 + n) % n];
    const cross = prev.d.x * line.d.y - prev.d.y * line.d.x;
    if (Math.abs(cross) < 1e-9) return line.p;  // straight on: the moved edges are one line
    const t = ((line.p.x - prev.p.x) * line.d.y - (line.p.y - prev.p.y) * line.d.x) / cross;
    return { x: prev.p.x + prev.d.x * t, y: prev.p.y + prev.d.y * t };
  });
  return signedArea(out) > 0 && isSimple(out) ? dropDuplicatePoints(out, EPS_MM) : face;
}

/**
 * The outline (mm) of the smallest area enclosed by the walls around point p, up to the walls'
 * inner faces, or null when p is not enclosed.
 */
export function enclosedFaceAt(walls, p) {
  let best = null, bestArea = Infinity;
  for (const face of boundedFaces(wallGraph(walls))) {
    const area = signedArea(face);
    if (area < bestArea && pointInPolygon(p, face)) { best = face; bestArea = area; }
  }
  return best ? insetToWallFaces(best, walls).map((q) => ({ x: q.x, y: q.y })) : null;
}
