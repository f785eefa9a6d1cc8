// GET /api/v1/openapi.json: the document in the repository (docs/openapi.json),
// byte for byte, with no credentials, cacheable (ETag, If-None-Match -> 304),
// on the default role and on the API tier (`--role api`). That every route is
// in it is tests/unit/app/openapi_routes_test.cpp; that the answers match it is
// lib/openapi.js, run by api() in every suite.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const { cli, startServer, api } = require("./lib/server");
const { DOC_FILE } = require("./lib/openapi");

const servers = [];
test.after(async () => { for (const s of servers) await s.stop(); });

for (const role of ["all", "api"]) {
  test(`--role ${role} serves docs/openapi.json at /api/v1/openapi.json`, async () => {
    const server = await startServer({ args: ["--role", role] });
    servers.push(server);
    const r = await api(server, "GET", "/api/v1/openapi.json");
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get("content-type"), "application/json");
    assert.match(r.headers.get("cache-control"), /^public, max-age=\d+$/);
    assert.equal(r.headers.get("access-control-allow-origin"), "*");
    assert.equal(r.text, fs.readFileSync(DOC_FILE, "utf8"));
    assert.equal(r.body.openapi, "3.1.0");
    const health = await api(server, "GET", "/api/v1/health");
    assert.equal(r.body.info.version, health.body.data.version, "info.version follows the server's version");
    const etag = r.headers.get("etag");
    assert.match(etag, /^"[0-9a-f]{32}"$/);

    const again = await api(server, "GET", "/api/v1/openapi.json", { headers: { "if-none-match": etag } });
    assert.equal(again.status, 304);
    assert.equal(again.text, "");
    assert.equal(again.headers.get("etag"), etag);
    const other = await api(server, "GET", "/api/v1/openapi.json", { headers: { "if-none-match": '"0000"' } });
    assert.equal(other.status, 200);
  });
}

// The internal node API is called by `--role media` nodes' own client, not by
// api(): here it is called through api() so its answers meet the document too.
test("the internal node API answers as documented", async () => {
  const server = await startServer();
  servers.push(server);
  const added = await cli(["node", "add", "--name", "doc-node", "--rtmp-url", "rtmp://127.0.0.1:1/live",
    "--hls-url", "http://127.0.0.1:1", ...server.storeArgs, "--json"]);
  assert.equal(added.code, 0, added.stderr);
  const node = JSON.parse(added.stdout);
  const call = (p, body, secret = node.secret) =>
    api(server, "POST", `/internal/v1/nodes/${node.id}/${p}`, { body, headers: { authorization: `Bearer ${secret}` } });

  const beat = await call("heartbeat", { bootId: "b1", streams: [], intervalMs: 2000 });
  assert.equal(beat.status, 200, beat.text);
  assert.deepEqual(beat.body.cut, []);
  assert.equal((await call("heartbeat", { bootId: "b1" }, "wrong")).status, 401);
  assert.equal((await call("heartbeat", "not an object")).status, 400);

  const refused = await call("publish", { app: "live", streamKey: "0123456789abcdef0123456789abcdef", pushToken: "x",
    remoteAddress: "127.0.0.1", protocol: "rtmp" });
  assert.equal(refused.status, 403, refused.text);
  assert.equal(typeof refused.body.code, "string");

  const ended = await call("publish-ended", { livestreamId: "", streamKey: "0123456789abcdef0123456789abcdef" });
  assert.equal(ended.status, 200, ended.text);  // an end of nothing live is nothing to do
  const usage = await call("usage", { batchId: "batch-1", rows: [] });
  assert.equal(usage.status, 200, usage.text);
});
