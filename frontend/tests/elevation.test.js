// The elevation view's logic: where a click splits a zone and the words for a zone (node --test).
import assert from "node:assert/strict";
import { test } from "node:test";

import { dividerAt, dividerCommand, splitAt, zoneCommand, zoneLabel } from "../static/js/editor/elevation.js";

const zone = { path: [1], outer: [400, 1000, 700, 2100], insert: "shelves", count: 3, front: "hinged", hang: "",
  internal: false };
const words = { inserts: { shelves: "shelves", drawers: "drawers", internal: "internal", rail: "hanging rail",
  rail_long: "long hang", niche: "open niche" }, fronts: { hinged: "doors", drawers: "drawer fronts" } };

test("a click splits across at its height above the zone's bottom, side by side at its distance from the left", () => {
  assert.equal(splitAt(zone, "horizontal", 700, 1250.4), 550);
  assert.equal(splitAt(zone, "vertical", 700.6, 1250), 301);
});

test("a zone is named by its insert, its count and what closes it", () => {
  assert.equal(zoneLabel(zone, words), "shelves × 3 · doors");
  assert.equal(zoneLabel({ ...zone, insert: "rail", hang: "long", count: 0, front: "open" }, words), "long hang");
  assert.equal(zoneLabel({ ...zone, insert: "drawers", count: 2, internal: true }, words),
    "drawers × 2 (internal) · doors");
  assert.equal(zoneLabel({ ...zone, insert: "basket", count: 1, front: "sliding" }, {}), "basket × 1");
});

test("the click-to control picks the command: split, fill or close", () => {
  assert.deepEqual(zoneCommand("split:horizontal", "cab-2", zone, 700, 1000),
    { kind: "split_zone", cabinet_id: "cab-2", path: [1], axis: "horizontal", at_mm: 300 });
  assert.deepEqual(zoneCommand("insert:drawers_internal", "cab-2", zone, 0, 0),
    { kind: "set_insert", cabinet_id: "cab-2", path: [1], insert: { kind: "drawers", count: 2, internal: true } });
  assert.deepEqual(zoneCommand("insert:basket", "cab-2", zone, 0, 0),
    { kind: "set_insert", cabinet_id: "cab-2", path: [1], insert: { kind: "basket", count: 2 } });
  assert.deepEqual(zoneCommand("front:sliding", "cab-2", zone, 0, 0),
    { kind: "set_front", cabinet_id: "cab-2", path: [], front: { kind: "sliding", leaves: 2 } });
  assert.deepEqual(zoneCommand("front:none", "cab-2", zone, 0, 0),
    { kind: "set_front", cabinet_id: "cab-2", path: [1], front: null });
});

test("a dragged divider lands on whole mm between its limits and moves by a command counted from its split", () => {
  const divider = { path: [1], index: 0, axis: "horizontal", at_mm: 1300, start_mm: 700, lo_mm: 800, hi_mm: 2000,
    span: [400, 1000] };
  assert.equal(dividerAt(divider, 1512.6), 1513);
  assert.equal(dividerAt(divider, 120), 800);
  assert.equal(dividerAt(divider, 5000), 2000);
  assert.deepEqual(dividerCommand("cab-2", divider, 1512.6),
    { kind: "move_divider", cabinet_id: "cab-2", path: [1], index: 0, at_mm: 813 });
  assert.deepEqual(dividerCommand("cab-2", divider, 100), { kind: "move_divider", cabinet_id: "cab-2", path: [1],
    index: 0, at_mm: 100 });
  assert.equal(dividerCommand("cab-2", divider, 1300.3), null); // not moved: nothing to send
});
