// Unit tests of the shared geometry module (node --test).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  PhotoFrame, alongWall, applyH, areaM2, centroid, clipToConvex, dropDuplicatePoints, footprint, frameOf, invert3,
  isSimple, overlapArea, pointInPolygon, projectOnSegment, segmentCrossing, segmentsIntersect, signedArea,
  snapOffset, spansOverlap, toPlan, triangulate, wallFrame, wallLength, wallMap, wallNormal,
} from "../static/js/geometry.js";

const near = (actual, expected, eps = 1e-9) => assert.ok(Math.abs(actual - expected) <= eps, `${actual} ≠ ${expected}`);
const nearPoint = (p, q, eps = 1e-9) => { near(p.x, q.x, eps); near(p.y, q.y, eps); };
const square = (s, x = 0, y = 0) => [{ x, y }, { x: x + s, y }, { x: x + s, y: y + s }, { x, y: y + s }];
const wall = (id, x0, y0, x1, y1, extra = {}) => ({ id, start: { x: x0, y: y0 }, end: { x: x1, y: y1 }, thickness_mm: 100, openings: [], ...extra });

test("a homography and its inverse undo each other", () => {
  const h = [[2, 0.1, 5], [0.05, 1.5, -3], [0.0001, 0.0002, 1]];
  const back = invert3(h);
  const p = applyH(h, 120, 80);
  nearPoint(applyH(back, p.x, p.y), { x: 120, y: 80 }, 1e-9);
  assert.throws(() => invert3([[1, 2, 3], [2, 4, 6], [0, 0, 1]]), /singular/);
});

test("a photo frame maps plan mm to photo pixels and back", () => {
  const frame = new PhotoFrame([[1, 0, 10], [0, 1, 20], [0, 0, 1]], 5);
  nearPoint(frame.toPhoto({ x: 50, y: 100 }), { x: 20, y: 40 });
  nearPoint(frame.toPlan({ x: 20, y: 40 }), { x: 50, y: 100 });
});

test("areas are signed by orientation (y down) and given in m² by areaM2", () => {
  assert.equal(signedArea(square(1000)), 1e6);
  assert.equal(signedArea([...square(1000)].reverse()), -1e6);
  assert.equal(areaM2([...square(2000)].reverse()), 4);
});

test("the centroid of a polygon is its centre of area, not the mean of its corners", () => {
  nearPoint(centroid(square(1000, 100, 200)), { x: 600, y: 700 });
  // an L: mean of corners and centre of area differ
  const l = [{ x: 0, y: 0 }, { x: 2000, y: 0 }, { x: 2000, y: 1000 }, { x: 1000, y: 1000 }, { x: 1000, y: 2000 }, { x: 0, y: 2000 }];
  nearPoint(centroid(l), { x: 2500 / 3, y: 2500 / 3 });
  nearPoint(centroid([{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 20, y: 0 }]), { x: 10, y: 0 });  // degenerate: the mean
});

test("segments: crossings inside both, touching and apart", () => {
  const a = { x: 0, y: 0 }, b = { x: 10, y: 10 }, c = { x: 0, y: 10 }, d = { x: 10, y: 0 };
  assert.ok(segmentsIntersect(a, b, c, d));
  const x = segmentCrossing(a, b, c, d);
  nearPoint(x.point, { x: 5, y: 5 });
  near(x.t, 0.5);
  assert.equal(segmentCrossing(a, b, b, { x: 20, y: 0 }), null);  // meeting at an end is no crossing
  assert.ok(segmentsIntersect(a, b, b, { x: 20, y: 0 }));
  assert.ok(!segmentsIntersect(a, { x: 10, y: 0 }, { x: 0, y: 1 }, { x: 10, y: 1 }));
  assert.equal(segmentCrossing(a, { x: 10, y: 0 }, { x: 0, y: 1 }, { x: 10, y: 1 }), null);  // parallel
});

test("a bow-tie is not simple, a square and an L are", () => {
  assert.ok(isSimple(square(100)));
  assert.ok(!isSimple([{ x: 0, y: 0 }, { x: 100, y: 100 }, { x: 100, y: 0 }, { x: 0, y: 100 }]));
  assert.ok(!isSimple([{ x: 0, y: 0 }, { x: 1, y: 1 }]));
});

test("projection onto a segment is clamped to its ends", () => {
  const r = projectOnSegment({ x: 5, y: 3 }, { x: 0, y: 0 }, { x: 10, y: 0 });
  near(r.t, 0.5); near(r.distance, 3); nearPoint(r.point, { x: 5, y: 0 });
  const past = projectOnSegment({ x: 14, y: 3 }, { x: 0, y: 0 }, { x: 10, y: 0 });
  near(past.t, 1); near(past.distance, 5);
  near(projectOnSegment({ x: 3, y: 4 }, { x: 0, y: 0 }, { x: 0, y: 0 }).distance, 5);  // a point segment
});

test("points inside polygons, in either orientation", () => {
  assert.ok(pointInPolygon({ x: 50, y: 50 }, square(100)));
  assert.ok(pointInPolygon({ x: 50, y: 50 }, [...square(100)].reverse()));
  assert.ok(!pointInPolygon({ x: 150, y: 50 }, square(100)));
});

test("duplicate points go, the closing repeat too", () => {
  const out = dropDuplicatePoints([{ x: 0, y: 0 }, { x: 0.5, y: 0 }, { x: 100, y: 0 }, { x: 100, y: 100 }, { x: 0.2, y: 0.3 }]);
  assert.deepEqual(out, [{ x: 0, y: 0 }, { x: 100, y: 0 }, { x: 100, y: 100 }]);
});

test("triangulating a concave polygon keeps its area", () => {
  const l = [{ x: 0, y: 0 }, { x: 2000, y: 0 }, { x: 2000, y: 1000 }, { x: 1000, y: 1000 }, { x: 1000, y: 2000 }, { x: 0, y: 2000 }];
  const tris = triangulate(l);
  assert.equal(tris.length, 4);
  near(tris.reduce((s, t) => s + signedArea(t), 0), 3e6, 1e-6);
  for (const t of tris) assert.ok(signedArea(t) > 0);
});

test("clipping and overlap areas, concave polygons too", () => {
  near(Math.abs(signedArea(clipToConvex(square(100), square(100, 50, 50)))), 2500, 1e-6);
  near(overlapArea(square(100), square(100, 50, 50)), 2500, 1e-6);
  near(overlapArea(square(100), square(100, 200, 200)), 0);
  const l = [{ x: 0, y: 0 }, { x: 2000, y: 0 }, { x: 2000, y: 1000 }, { x: 1000, y: 1000 }, { x: 1000, y: 2000 }, { x: 0, y: 2000 }];
  near(overlapArea(square(2000), l), 3e6, 1e-3);  // the square around the L shares exactly the L
  near(overlapArea(l, square(1000, 1000, 1000)), 0, 1e-6);  // the L's notch
});

test("a wall's frame: length, direction, left normal (y down) and points along it", () => {
  const w = wall("wall-1", 0, 0, 3000, 0);
  assert.equal(wallLength(w), 3000);
  assert.deepEqual(wallFrame(w), { len: 3000, ux: 1, uy: 0, nx: 0, ny: -1 });
  nearPoint(wallNormal(w, "left"), { x: 0, y: -1 });
  nearPoint(wallNormal(w, "right"), { x: -0, y: 1 });
  nearPoint(alongWall(w, 1000, 50), { x: 1000, y: -50 });
});

test("a unit on a wall's right side stands on its face, its width running with the wall", () => {
  const walls = wallMap({ plan: { walls: [wall("wall-1", 0, 0, 3000, 0)] } });
  const cab = { width_mm: 600, depth_mm: 560, placement: { kind: "wall", wall_id: "wall-1", side: "right", offset_mm: 1000 } };
  const fp = footprint(cab, walls);
  [{ x: 1000, y: 50 }, { x: 1600, y: 50 }, { x: 1600, y: 610 }, { x: 1000, y: 610 }].forEach((q, i) => nearPoint(fp[i], q));
});

test("a unit on a wall's left side faces the other way: its left is towards the wall's end", () => {
  const walls = wallMap({ plan: { walls: [wall("wall-1", 0, 0, 3000, 0)] } });
  const frame = frameOf({ kind: "wall", wall_id: "wall-1", side: "left", offset_mm: 1000 }, 600, walls);
  nearPoint(frame.origin, { x: 1600, y: -50 });
  nearPoint(frame.ax, { x: -1, y: -0 });
  nearPoint(toPlan(frame, 600, 560), { x: 1000, y: -610 });
  assert.equal(frameOf({ kind: "wall", wall_id: "wall-9", side: "left", offset_mm: 0 }, 600, walls), null);
});

test("a free-standing unit turns about its back-left corner", () => {
  const frame = frameOf({ kind: "free", x_mm: 100, y_mm: 200, rotation_deg: 90 }, 600, new Map());
  nearPoint(frame.origin, { x: 100, y: 200 });
  nearPoint(toPlan(frame, 600, 0), { x: 100, y: 800 }, 1e-9);
  nearPoint(toPlan(frame, 0, 500), { x: -400, y: 200 }, 1e-9);
});

test("spans overlap only by more than the tolerance", () => {
  assert.ok(spansOverlap(0, 900, 800, 1500, 0.5));
  assert.ok(!spansOverlap(0, 900, 900.4, 1500, 0.5));
  assert.ok(!spansOverlap(0, 900, 899.6, 1500, 0.5));
});

test("snapping along a wall: to neighbours on the same side, corners, openings; never past the wall", () => {
  const doc = {
    plan: { walls: [wall("wall-1", 0, 0, 4000, 0, { openings: [{ kind: "door", id: "door-1", offset_mm: 3000, width_mm: 800 }] }),
      wall("wall-2", 0, 0, 0, 3000, { thickness_mm: 120 })] },
    cabinets: [
      { id: "cab-1", width_mm: 600, placement: { kind: "wall", wall_id: "wall-1", side: "right", offset_mm: 1000 } },
      { id: "cab-2", width_mm: 600, placement: { kind: "wall", wall_id: "wall-1", side: "left", offset_mm: 1700 } },
    ],
    items: [],
  };
  assert.equal(snapOffset(doc, "wall-1", 1630, 600, "right", 50, "cab-9"), 1600);   // beside cab-1
  assert.equal(snapOffset(doc, "wall-1", 1720, 600, "right", 50, "cab-9"), 1720);   // cab-2 is on the other side
  assert.equal(snapOffset(doc, "wall-1", 1720, 600, "left", 50, "cab-2"), 1720);    // not to itself
  assert.equal(snapOffset(doc, "wall-1", 2380, 600, "right", 50, "cab-9"), 2400);   // its end at the door's edge
  assert.equal(snapOffset(doc, "wall-1", 45, 600, "right", 50, "cab-9"), 60);       // the corner wall's face
  assert.equal(snapOffset(doc, "wall-1", 3900, 600, "right", 50, "cab-9"), 3400);   // kept on the wall
  assert.equal(snapOffset(doc, "wall-1", 2000, 600, "right", 50, "cab-9"), 2000);   // nothing near
});
