// Unit tests of the plan correction page's model: edits, undo/redo, splits (node --test). The rules
// are the server's (tests/fixtures/plan-rules.json; tests/web/test_js_rules.py keeps it equal to
// backend/web/plan_pages.py plan_rules).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { signedArea, wallLength } from "../static/js/geometry.js";
import { enclosedFaceAt } from "../static/js/plan/faces.js";
import { PlanEditor, splitWall, stretchedHomography, withinBounds } from "../static/js/plan/model.js";

const RULES = JSON.parse(readFileSync(new URL("./fixtures/plan-rules.json", import.meta.url), "utf8"));
const wall = (id, x0, y0, x1, y1, extra = {}) => ({ id, start: { x: x0, y: y0 }, end: { x: x1, y: y1 }, thickness_mm: 100, height_mm: 2600, openings: [], ...extra });

/** A 4 m × 3 m room: four walls joined at the corners, the room outline on their centrelines. */
function box() {
  return {
    plan: {
      walls: [wall("wall-1", 0, 0, 4000, 0), wall("wall-2", 4000, 0, 4000, 3000), wall("wall-3", 4000, 3000, 0, 3000), wall("wall-4", 0, 3000, 0, 0)],
      rooms: [{ id: "room-1", name: "Kitchen", type: "kitchen", polygon: [{ x: 0, y: 0 }, { x: 4000, y: 0 }, { x: 4000, y: 3000 }, { x: 0, y: 3000 }] }],
    },
    mmPerPlanPx: 10,
  };
}

test("the editor refuses to start without the server's rules", () => {
  assert.throws(() => new PlanEditor(box()), /rules/);
});

test("bounds from the design format's schema", () => {
  assert.ok(withinBounds(RULES.door.width_mm, 50));       // the format has no 100 mm minimum
  assert.ok(!withinBounds(RULES.door.width_mm, 0));       // but a width above 0
  assert.ok(withinBounds(RULES.door.width_mm, RULES.door.width_mm.maximum));
  assert.ok(!withinBounds(RULES.door.width_mm, RULES.door.width_mm.maximum + 1));
  assert.ok(!withinBounds(RULES.wall.thickness_mm, Number.NaN));
});

test("an edit is one undo step; undo and redo restore the plan exactly", () => {
  const ed = new PlanEditor(box(), RULES);
  const before = JSON.stringify(ed.plan);
  const kinds = [];
  ed.onChange((k) => kinds.push(k));
  assert.ok(ed.setWallThickness("wall-1", 240));
  assert.equal(ed.wall("wall-1").thickness_mm, 240);
  assert.ok(ed.canUndo() && !ed.canRedo());
  assert.ok(ed.undo());
  assert.equal(JSON.stringify(ed.plan), before);
  assert.ok(ed.redo());
  assert.equal(ed.wall("wall-1").thickness_mm, 240);
  assert.deepEqual(kinds, ["edit", "undo", "redo"]);
  assert.ok(!ed.redo());
  // a new edit drops the redo stack
  ed.undo();
  ed.deleteWall("wall-2");
  assert.ok(!ed.canRedo());
});

test("a wall thickness outside the format's bounds is refused", () => {
  const ed = new PlanEditor(box(), RULES);
  assert.ok(!ed.setWallThickness("wall-1", 0));
  assert.ok(!ed.setWallThickness("wall-1", RULES.wall.thickness_mm.maximum + 1));
  assert.ok(!ed.canUndo());
});

test("splitWall keeps openings on their part, offsets from that part's start", () => {
  const w = wall("wall-1", 0, 0, 4000, 0, { openings: [
    { kind: "door", id: "door-1", offset_mm: 500, width_mm: 800 },
    { kind: "window", id: "win-1", offset_mm: 2500, width_mm: 1000 },
  ] });
  const { parts, at } = splitWall(w, 2000, "wall-9");
  assert.deepEqual(at, { x: 2000, y: 0 });
  assert.deepEqual(parts.map((p) => p.id), ["wall-1", "wall-9"]);
  assert.deepEqual(parts[0].openings.map((o) => [o.id, o.offset_mm]), [["door-1", 500]]);
  assert.deepEqual(parts[1].openings.map((o) => [o.id, o.offset_mm]), [["win-1", 500]]);
  assert.equal(wallLength(parts[0]) + wallLength(parts[1]), 4000);
  assert.deepEqual(splitWall(w, 900, "wall-9"), { blockedBy: "door-1" });  // through the door
  assert.deepEqual(splitWall(w, 4000, "wall-9"), { blockedBy: null });     // not inside the wall
});

test("a new wall ending on another wall's middle splits it, in the same undo step", () => {
  const ed = new PlanEditor(box(), RULES);
  const report = ed.addWall({ x: 2000, y: 1500 }, { x: 2000, y: 30 });
  assert.equal(report.split.length, 1);
  assert.equal(report.split[0].wall, "wall-1");
  const added = ed.wall(report.id);
  assert.deepEqual(added.end, { x: 2000, y: 0 });              // put on the centreline
  assert.equal(added.height_mm, RULES.wall.height_mm.default);  // the format's default
  assert.equal(ed.plan.walls.length, 6);
  ed.undo();
  assert.equal(ed.plan.walls.length, 4);
  assert.equal(ed.wall("wall-1").end.x, 4000);
});

test("a door in the way blocks the split; a too-short wall is not added", () => {
  const plan = box();
  plan.plan.walls[0].openings = [{ kind: "door", id: "door-1", offset_mm: 1600, width_mm: 800 }];
  const ed = new PlanEditor(plan, RULES);
  const report = ed.addWall({ x: 2000, y: 1500 }, { x: 2000, y: 20 });
  assert.deepEqual(report.blocked, ["wall-1"]);
  assert.equal(ed.plan.walls.length, 5);
  assert.equal(ed.addWall({ x: 100, y: 100 }, { x: 120, y: 100 }), null);
});

test("moving a corner moves the joined wall end and the room corner, in one undo step", () => {
  const ed = new PlanEditor(box(), RULES);
  const mover = ed.beginEndpointMove("wall-1", "end");
  assert.ok(mover.to({ x: 4200, y: -100 }));
  assert.ok(mover.to({ x: 4500, y: 0 }));
  assert.deepEqual(ed.wall("wall-1").end, { x: 4500, y: 0 });
  assert.deepEqual(ed.wall("wall-2").start, { x: 4500, y: 0 });
  assert.deepEqual(ed.room("room-1").polygon[1], { x: 4500, y: 0 });
  assert.equal(ed.undoStack.length, 1);
  ed.undo();
  assert.deepEqual(ed.wall("wall-2").start, { x: 4000, y: 0 });
});

test("a move that would make a wall shorter than the format allows is refused", () => {
  const ed = new PlanEditor(box(), RULES);
  const mover = ed.beginEndpointMove("wall-1", "end");
  assert.ok(!mover.to({ x: RULES.min_wall_length_mm / 2, y: 0 }));
  assert.ok(!mover.moved());
  assert.equal(ed.wall("wall-1").end.x, 4000);
});

test("a wall end released on another wall's middle splits that wall", () => {
  const plan = box();
  plan.plan.walls.push(wall("wall-5", 2000, 1500, 2000, 2500));
  const ed = new PlanEditor(plan, RULES);
  const mover = ed.beginEndpointMove("wall-5", "end");
  mover.to({ x: 2010, y: 2980 });
  const report = mover.finish();
  assert.deepEqual(report.split.map((s) => s.wall), ["wall-3"]);
  assert.deepEqual(ed.wall("wall-5").end, { x: 2010, y: 3000 });
  assert.equal(ed.plan.walls.length, 6);
  assert.equal(ed.undoStack.length, 1);
  ed.undo();
  assert.equal(ed.plan.walls.length, 5);
});

test("new doors and windows take the format's defaults and find free space", () => {
  const ed = new PlanEditor(box(), RULES);
  const id = ed.addOpening("wall-1", "door", 1000);
  const { opening } = ed.opening(id);
  assert.deepEqual(opening, { ...opening, kind: "door", offset_mm: 1000 - RULES.door.width_mm.default / 2,
    width_mm: RULES.door.width_mm.default, height_mm: RULES.door.height_mm.default, hinge: "start", swing: "left", leaves: 1 });
  const win = ed.opening(ed.addOpening("wall-1", "window", 1100)).opening;  // over the door: moved beside it
  assert.equal(win.sill_mm, RULES.window.sill_mm.default);
  assert.ok(win.offset_mm >= opening.offset_mm + opening.width_mm);
  assert.equal(ed.addOpening("wall-9", "door", 0), null);
});

test("an opening's width is checked against the format's bounds and the free space", () => {
  const ed = new PlanEditor(box(), RULES);
  const id = ed.addOpening("wall-1", "door", 1000);
  assert.equal(ed.setOpening(id, { width_mm: 60 }), null);  // narrow, but the format allows it
  assert.equal(ed.opening(id).opening.width_mm, 60);
  assert.equal(ed.setOpening(id, { width_mm: 0 }), "width");
  assert.equal(ed.setOpening(id, { width_mm: 4500 }), "width");  // longer than the wall
  assert.equal(ed.setOpening("door-9", { width_mm: 800 }), "gone");
  assert.ok(ed.removeOpening(id));
  assert.equal(ed.opening(id), null);
});

test("sliding an opening stays on free parts of the wall", () => {
  const plan = box();
  plan.plan.walls[0].openings = [{ kind: "window", id: "win-1", offset_mm: 2000, width_mm: 1000 }];
  const ed = new PlanEditor(plan, RULES);
  const id = ed.addOpening("wall-1", "door", 600);
  const mover = ed.beginOpeningMove(id);
  assert.ok(mover.to(1800));  // would overlap the window: stops at its edge
  assert.equal(ed.opening(id).opening.offset_mm, 2000 - RULES.door.width_mm.default);
  assert.equal(ed.undoStack.length, 2);
});

test("rooms: refused when crossing, tiny or overlapping; added otherwise", () => {
  const ed = new PlanEditor(box(), RULES);
  assert.equal(ed.addRoom([{ x: 0, y: 0 }, { x: 100, y: 100 }, { x: 100, y: 0 }, { x: 0, y: 100 }]).refused.reason, "crossing");
  assert.equal(ed.addRoom([{ x: 0, y: 0 }, { x: 50, y: 0 }, { x: 50, y: 50 }]).refused.reason, "small");
  assert.deepEqual(ed.addRoom([{ x: 1000, y: 1000 }, { x: 5000, y: 1000 }, { x: 5000, y: 2000 }, { x: 1000, y: 2000 }]).refused,
    { reason: "overlap", room: "room-1" });
  const { id } = ed.addRoom([{ x: 4000, y: 0 }, { x: 6000, y: 0 }, { x: 6000, y: 3000 }, { x: 4000, y: 3000 }]);
  assert.equal(id, "room-2");
  assert.deepEqual(ed.room(id), { id, name: "", type: "other", polygon: [{ x: 4000, y: 0 }, { x: 6000, y: 0 }, { x: 6000, y: 3000 }, { x: 4000, y: 3000 }] });
  ed.undo();
  assert.equal(ed.room(id), undefined);
});

test("removing a wall around a room flags the room as open", () => {
  const ed = new PlanEditor(box(), RULES);
  assert.deepEqual(ed.roomReport()[0].problems, []);
  assert.equal(ed.roomReport()[0].area, 12);
  ed.deleteWall("wall-2");
  assert.deepEqual(ed.roomReport()[0].problems, ["open"]);
});

test("rescaling multiplies lengths, not heights, and records the user's scale line", () => {
  const plan = box();
  plan.plan.walls[0].openings = [{ kind: "door", id: "door-1", offset_mm: 1000, width_mm: 800, height_mm: 2050 }];
  const ed = new PlanEditor(plan, RULES);
  const k = ed.rescale({ x: 0, y: 0 }, { x: 4000, y: 0 }, 5000);
  assert.equal(k, 1.25);
  assert.deepEqual(ed.wall("wall-1").end, { x: 5000, y: 0 });
  assert.equal(ed.wall("wall-1").thickness_mm, 125);
  assert.equal(ed.wall("wall-1").height_mm, 2600);
  assert.deepEqual(ed.opening("door-1").opening, { kind: "door", id: "door-1", offset_mm: 1250, width_mm: 1000, height_mm: 2050 });
  assert.equal(ed.state.mmPerPlanPx, 12.5);
  assert.equal(ed.plan.source.scale.method, "user_line");
  assert.equal(ed.rescale({ x: 0, y: 0 }, { x: 0, y: 0 }, 5000), null);
});

test("the plan to save is rounded to 0.1 mm with its openings inside their walls", () => {
  const plan = box();
  plan.plan.walls[0].end = { x: 4000.04, y: 0.06 };
  plan.plan.walls[0].openings = [{ kind: "window", id: "win-1", offset_mm: 3199.99, width_mm: 800.01 }];
  const ed = new PlanEditor(plan, RULES);
  const saved = ed.planForSave();
  assert.deepEqual(saved.walls[0].end, { x: 4000, y: 0.1 });
  const o = saved.walls[0].openings[0];
  assert.ok(o.offset_mm + o.width_mm <= wallLength(saved.walls[0]));
  assert.equal(o.width_mm, 800);
  assert.deepEqual(ed.blockingProblems(), []);
});

test("a room from the area the walls enclose reaches the walls' faces; a second one there is refused", () => {
  const plan = { walls: [
    wall("wall-1", 0, 0, 6000, 0), wall("wall-2", 6000, 0, 6000, 4000), wall("wall-3", 6000, 4000, 0, 4000), wall("wall-4", 0, 4000, 0, 0),
  ], rooms: [] };
  const ed = new PlanEditor({ plan, mmPerPlanPx: 10 }, RULES);
  ed.addWall({ x: 4500, y: 0 }, { x: 4500, y: 4000 });  // splits wall-1 and wall-3: two areas
  assert.equal(enclosedFaceAt(ed.plan.walls, { x: 7000, y: 1000 }), null);  // outside
  const face = enclosedFaceAt(ed.plan.walls, { x: 1000, y: 1000 });
  assert.ok(Math.abs(Math.abs(signedArea(face)) / 1e6 - 4.4 * 3.9) < 1e-6);  // to the 100 mm walls' faces
  assert.deepEqual(ed.addRoom(face), { id: "room-1" });
  assert.deepEqual(ed.addRoom(enclosedFaceAt(ed.plan.walls, { x: 1500, y: 2000 })), { refused: { reason: "overlap", room: "room-1" } });
  const other = enclosedFaceAt(ed.plan.walls, { x: 5000, y: 2000 });
  assert.ok(Math.abs(Math.abs(signedArea(other)) / 1e6 - 1.4 * 3.9) < 1e-6);
  assert.deepEqual(ed.addRoom(other), { id: "room-2" });
});

test("two known lengths across each other fit width and depth separately, and the overlay follows", () => {
  const ed = new PlanEditor({ ...box(), plan: { ...box().plan, source: { homography: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], mm_per_plan_px: 10 } } }, RULES);
  ed.plan.walls[1].openings.push({ id: "door-1", kind: "door", offset_mm: 1000, width_mm: 800, hinge: "start", swing: "left", leaves: 1 });
  // the photo squeezed the depth: the 3000 mm walls really are 3300 mm, the 4000 mm ones 4400 mm
  const k = ed.rescaleAxes({ a: { x: 0, y: 0 }, b: { x: 4000, y: 0 }, lengthMm: 4400 },
    { a: { x: 0, y: 0 }, b: { x: 0, y: 3000 }, lengthMm: 3300 });
  assert.ok(Math.abs(k.kx - 1.1) < 1e-9 && Math.abs(k.ky - 1.1) < 1e-9);
  ed.undo();
  const s = ed.rescaleAxes({ a: { x: 0, y: 0 }, b: { x: 4000, y: 0 }, lengthMm: 4000 },
    { a: { x: 0, y: 0 }, b: { x: 0, y: 3000 }, lengthMm: 3300 });
  assert.ok(Math.abs(s.kx - 1) < 1e-9 && Math.abs(s.ky - 1.1) < 1e-9);
  assert.ok(Math.abs(wallLength(ed.plan.walls[1]) - 3300) < 1e-9);
  assert.equal(ed.plan.walls[1].thickness_mm, 100);                 // a vertical wall keeps its thickness
  assert.ok(Math.abs(ed.plan.walls[0].thickness_mm - 110) < 1e-9);  // a horizontal one grows with depth
  assert.ok(Math.abs(ed.plan.walls[1].openings[0].width_mm - 880) < 1e-9);
  assert.ok(Math.abs(ed.state.yStretch - 1.1) < 1e-9 && ed.state.axesFitted);
  const saved = ed.planForSave();
  // the saved overlay maps the stretched corner (0, 3300 mm) onto the same photo pixel (0, 300) as before
  const h = saved.source.homography;
  assert.ok(Math.abs(h[1][1] * (3300 / saved.source.mm_per_plan_px) - 300) < 1e-6);
  assert.deepEqual(stretchedHomography(h, 1), h);
  assert.equal(ed.rescaleAxes({ a: { x: 0, y: 0 }, b: { x: 4000, y: 0 }, lengthMm: 4000 },
    { a: { x: 0, y: 10 }, b: { x: 3000, y: 200 }, lengthMm: 3000 }), null);  // nearly parallel: says nothing
});
