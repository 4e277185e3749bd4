// The analytics page's chart configurations (node --test): one dataset per series, null kept as a gap.
import assert from "node:assert/strict";
import { test } from "node:test";

import { barConfig } from "../static/js/analytics.js";

test("one bar group per label and one dataset per series, gaps kept", () => {
  const config = barConfig(["Xuhui", "Pudong"], [{ label: "Bookings", values: [4, 0] },
    { label: "Average rating", values: [4.5, null] }]);
  assert.equal(config.type, "bar");
  assert.deepEqual(config.data.labels, ["Xuhui", "Pudong"]);
  assert.deepEqual(config.data.datasets.map((d) => d.label), ["Bookings", "Average rating"]);
  assert.deepEqual(config.data.datasets[1].data, [4.5, null]);
  assert.notEqual(config.data.datasets[0].backgroundColor, config.data.datasets[1].backgroundColor);
});

test("a capped horizontal chart puts the cap on the value axis", () => {
  const config = barConfig(["Chen"], [{ label: "Average rating", values: [3] }], { max: 5, horizontal: true });
  assert.equal(config.options.indexAxis, "y");
  assert.equal(config.options.scales.x.max, 5);
  assert.equal(config.options.scales.x.beginAtZero, true);
});
