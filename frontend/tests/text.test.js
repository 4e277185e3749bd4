// The one message format of the pages' translated strings (node --test).
import assert from "node:assert/strict";
import { test } from "node:test";

import { fmt, mm, money } from "../static/js/text.js";

test("named placeholders take their values, %% is a percent sign", () => {
  assert.equal(fmt("Uploading your photo… %(percent)s%%", { percent: 40 }), "Uploading your photo… 40%");
  assert.equal(fmt("%(room)s overlaps %(room)s", { room: "Kitchen" }), "Kitchen overlaps Kitchen");
  assert.equal(fmt("Wall %(n)s, %(length)s mm", { n: 2 }), "Wall 2, %(length)s mm");  // a missing value shows
  assert.equal(fmt(undefined), "");
});

test("millimetres and money in the page's language (English under Node)", () => {
  assert.equal(mm(1234.56), "1,234.6");
  assert.equal(money(123450, "CNY"), "CN¥1,234.50");
  assert.equal(money(null, "CNY"), "–");
});
