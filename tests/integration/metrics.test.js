// /metrics behind metrics.token: without the token, with a wrong one and
// with a token too short to be a secret the server says no; with the token
// it answers the exposition text.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { startServer, tempDir, BIN } = require("./lib/server");
const { spawnSync } = require("node:child_process");

const kToken = "metrics-token-for-the-test-0123456789";

test("metrics.token makes /metrics require the bearer token", async () => {
  const server = await startServer({ env: { LUNARSTREAM_METRICS_TOKEN: kToken } });
  try {
    const url = server.url("/metrics");
    const none = await fetch(url);
    assert.equal(none.status, 401);
    assert.match(none.headers.get("www-authenticate") || "", /^Bearer /);
    assert.equal((await none.json()).statusCode, 401);
    const wrong = await fetch(url, { headers: { authorization: `Bearer ${kToken}x` } });
    assert.equal(wrong.status, 401);
    const basic = await fetch(url, { headers: { authorization: `Basic ${kToken}` } });
    assert.equal(basic.status, 401);
    const good = await fetch(url, { headers: { authorization: `Bearer ${kToken}` } });
    assert.equal(good.status, 200);
    assert.match(await good.text(), /^# HELP lunarstream_media_sessions /m);
  } finally {
    await server.stop();
  }
});

test("without metrics.token /metrics is open", async () => {
  const server = await startServer();
  try {
    assert.equal((await fetch(server.url("/metrics"))).status, 200);
  } finally {
    await server.stop();
  }
});

test("a metrics.token shorter than 16 characters stops the server with the setting named", () => {
  const r = spawnSync(BIN, ["serve", "--data-dir", tempDir(), "--http", "127.0.0.1:0", "--rtmp", "127.0.0.1:0"],
    { env: { ...process.env, LUNARSTREAM_METRICS_TOKEN: "short" }, timeout: 20000, encoding: "utf8" });
  assert.notEqual(r.status, 0);
  assert.match(r.stdout + r.stderr, /metrics\.token: must be empty or at least 16 characters/);
});
