// Unit tests of the machining overlay's geometry (node --test).
import assert from "node:assert/strict";
import { test } from "node:test";

import * as THREE from "three";

import { cylinderPose, holeGroup } from "../static/js/machining-overlay.js";

test("a hole along each cabinet axis becomes a cylinder along that axis, centred on the hole", () => {
  for (const [axis, want] of [[0, [1, 0, 0]], [1, [0, 1, 0]], [2, [0, 0, 1]]]) {
    const hole = { axis, centre: [100, 200, 300], radius: 4, length: 12, purpose: "dowel", part: "p" };
    const mesh = holeGroup([hole]).children[0];
    assert.deepEqual(mesh.position.toArray(), [100, 200, 300]);
    const along = new THREE.Vector3(0, 1, 0).applyEuler(mesh.rotation);
    assert.ok(Math.abs(Math.abs(along.dot(new THREE.Vector3(...want))) - 1) < 1e-9, `axis ${axis}`);
    mesh.geometry.computeBoundingBox();
    const size = mesh.geometry.boundingBox.getSize(new THREE.Vector3());
    assert.ok(Math.abs(size.y - 12) < 1e-9 && Math.abs(size.x - 8) < 1e-6);
  }
});

test("an unknown axis is refused", () => {
  assert.throws(() => cylinderPose({ axis: 3, centre: [0, 0, 0] }), /axis must be 0, 1 or 2/);
});
