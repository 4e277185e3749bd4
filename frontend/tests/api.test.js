// The one API client: problem documents and failed jobs as ApiError, JSON answers (node --test, with
// a real HTTP server on localhost).
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";

import { ApiError, api, onBusy } from "../static/js/api.js";

let server, base;
before(async () => {
  server = createServer((req, res) => {
    if (req.url === "/ok") { res.writeHead(200, { "content-type": "application/json" }); res.end('{"revision": 3}'); return; }
    if (req.url === "/empty") { res.writeHead(204); res.end(); return; }
    if (req.url === "/problem") {
      res.writeHead(422, { "content-type": "application/problem+json" });
      res.end(JSON.stringify({ type: "about:blank", title: "Invalid input", detail: "width_mm: too wide",
        errors: [{ field: "command.width_mm", message: "too wide" }] }));
      return;
    }
    res.writeHead(502, { "content-type": "text/html" });
    res.end("<h1>Bad gateway</h1>");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => server.close());

test("a JSON answer is parsed; 204 answers null; requests in flight are counted", async () => {
  const seen = [];
  const stop = onBusy((n) => seen.push(n));
  assert.deepEqual(await api.get(`${base}/ok`), { revision: 3 });
  assert.equal(await api.get(`${base}/empty`), null);
  stop();
  assert.deepEqual(seen, [1, 0, 1, 0]);
});

test("a problem document becomes an ApiError naming its field", async () => {
  const err = await api.get(`${base}/problem`).then(() => null, (e) => e);
  assert.ok(err instanceof ApiError);
  assert.equal(err.status, 422);
  assert.equal(err.detail, "width_mm: too wide");
  assert.equal(err.field, "command.width_mm");
  assert.equal(err.fieldMessage("width_mm"), "too wide");
  assert.equal(err.fieldMessage("depth_mm"), null);
  assert.ok(!err.network);
});

test("a non-JSON error page and an unreachable server are ApiErrors too", async () => {
  const err = await api.get(`${base}/gateway`).then(() => null, (e) => e);
  assert.equal(err.status, 502);
  assert.equal(err.detail, "<h1>Bad gateway</h1>");
  const down = await api.get("http://127.0.0.1:9/nothing").then(() => null, (e) => e);
  assert.ok(down instanceof ApiError && down.network && down.status === 0);
});

test("a failed job's error reads like a problem document", () => {
  const err = new ApiError(422, { error: { title: "Not a plan", detail: "no walls found", field: "file" } });
  assert.equal(err.detail, "no walls found");
  assert.equal(err.field, "file");
  assert.equal(new ApiError(500, null).detail, "HTTP 500");
});
