import { test } from "node:test";
import assert from "node:assert/strict";
import { pickQuality } from "../static/js/viewer/quality.js";

test("a phone gets the fast view, a desktop the rich one", () => {
  assert.equal(pickQuality({ width: 390, height: 844, touch: true, cores: 8, memoryGb: 8 }).quality, "fast");
  assert.equal(pickQuality({ width: 1920, height: 1080, touch: false, cores: 8, memoryGb: 8 }).quality, "rich");
  assert.equal(pickQuality({ width: 3840, height: 2160, touch: true, cores: 8 }).quality, "rich"); // store screen
  assert.equal(pickQuality({ width: 1366, height: 768, cores: 2, memoryGb: 2 }).quality, "fast");
  assert.equal(pickQuality({ width: 1920, height: 1080, gpu: "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device))" }).quality,
    "fast"); // software WebGL
});

test("the URL and a saved choice override the device", () => {
  const phone = { width: 390, height: 844, touch: true };
  assert.deepEqual(pickQuality({ ...phone, search: "?quality=rich" }), { quality: "rich", reason: "url" });
  assert.deepEqual(pickQuality({ ...phone, stored: "rich" }), { quality: "rich", reason: "saved" });
  assert.equal(pickQuality({ ...phone, search: "?quality=ultra" }).quality, "fast"); // unknown values are ignored
});
