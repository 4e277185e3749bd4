// Plan geometry shared by the 2D plan and the editor (mm, x right, y down), mirroring
// backend/configurator/placement.py: a wall's left normal is (dir_y, -dir_x).

export function wallLength(wall) {
  return Math.hypot(wall.end.x - wall.start.x, wall.end.y - wall.start.y);
}

export function wallDir(wall) {
  const len = wallLength(wall) || 1;
  return [(wall.end.x - wall.start.x) / len, (wall.end.y - wall.start.y) / len];
}

export function wallNormal(wall, side) {
  const [dx, dy] = wallDir(wall);
  return side === "left" ? [dy, -dx] : [-dy, dx];
}

/** The frame of a placed object: origin (back-left corner), ax along its width, ay back → front. */
export function frameOf(placement, widthMm, walls) {
  if (placement.kind === "free") {
    const a = (placement.rotation_deg || 0) * Math.PI / 180;
    const c = Math.cos(a), s = Math.sin(a);
    return { origin: [placement.x_mm, placement.y_mm], ax: [c, s], ay: [-s, c] };
  }
  const wall = walls.get(placement.wall_id);
  if (!wall) return null;
  const u = wallDir(wall);
  const n = wallNormal(wall, placement.side);
  const half = wall.thickness_mm / 2;
  const base = [wall.start.x + n[0] * half, wall.start.y + n[1] * half];
  if (placement.side === "left") {
    const along = placement.offset_mm + widthMm;
    return { origin: [base[0] + u[0] * along, base[1] + u[1] * along], ax: [-u[0], -u[1]], ay: n };
  }
  const along = placement.offset_mm;
  return { origin: [base[0] + u[0] * along, base[1] + u[1] * along], ax: u, ay: n };
}

export function toPlan(frame, x, y) {
  return [frame.origin[0] + x * frame.ax[0] + y * frame.ay[0], frame.origin[1] + x * frame.ax[1] + y * frame.ay[1]];
}

/** The footprint corners of a cabinet or item. */
export function footprint(obj, walls) {
  const frame = frameOf(obj.placement, obj.width_mm, walls);
  if (!frame) return null;
  const w = obj.width_mm, d = obj.depth_mm;
  return [toPlan(frame, 0, 0), toPlan(frame, w, 0), toPlan(frame, w, d), toPlan(frame, 0, d)];
}

export function centroid(points) {
  let x = 0, y = 0;
  for (const p of points) { x += p[0]; y += p[1]; }
  return [x / points.length, y / points.length];
}

export function pointInPolygon(pt, poly) {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i], [xj, yj] = poly[j];
    if ((yi > pt[1]) !== (yj > pt[1]) && pt[0] < ((xj - xi) * (pt[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function wallMap(doc) {
  return new Map(doc.plan.walls.map((w) => [w.id, w]));
}

/** The side of a wall that faces a room (the side cabinets would stand on). */
export function roomSide(doc, wall) {
  const mid = [(wall.start.x + wall.end.x) / 2, (wall.start.y + wall.end.y) / 2];
  const rooms = doc.plan.rooms.map((r) => r.polygon.map((p) => [p.x, p.y]));
  const kitchen = doc.plan.rooms.filter((r) => r.type === "kitchen").map((r) => r.polygon.map((p) => [p.x, p.y]));
  for (const group of [kitchen, rooms]) {
    for (const side of ["right", "left"]) {
      const n = wallNormal(wall, side);
      const probe = [mid[0] + n[0] * (wall.thickness_mm / 2 + 300), mid[1] + n[1] * (wall.thickness_mm / 2 + 300)];
      if (group.some((poly) => pointInPolygon(probe, poly))) return side;
    }
  }
  return "right";
}

/** Whether two vertical spans [z0, z1] overlap. */
export function spansOverlap(a0, a1, b0, b1) {
  return Math.min(a1, b1) - Math.max(a0, b0) > 1;
}
