// GET /api/v1/openapi.json: the document in the repository (docs/openapi.json),
// byte for byte, with no credentials, cacheable (ETag, If-None-Match -> 304),
// on the default role and on the API tier (`--role api`). That every route is
// in it is tests/unit/app/openapi_routes_test.cpp; that the answers match it is
// lib/openapi.js, run by api() in every suite.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const { startServer, api } = require("./lib/server");
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
