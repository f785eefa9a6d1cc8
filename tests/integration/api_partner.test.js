// The partner API over real HTTP against the real binary (SPEC §3).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { cli, startServer, api } = require("./lib/server");

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let server;
let key;
let projectId;
let mediaServerId;
let other; // a second project: { key, projectId }

test.before(async () => {
  server = await startServer();
  key = server.firstApiKey;
  assert.ok(key, "first start prints an API key:\n" + server.stdout);
  const servers = await api(server, "GET", "/api/v1/media-servers/available", { key });
  assert.equal(servers.status, 200);
  mediaServerId = servers.body.data[0].id;
  const created = await cli(["project", "create", "--name", "Other", "--team", "Others", ...server.storeArgs, "--json"]);
  assert.equal(created.code, 0, created.stderr);
  other = JSON.parse(created.stdout);
  const mine = await cli(["project", "create", "--name", "Mine", ...server.storeArgs, "--json"]);
  const m = JSON.parse(mine.stdout);
  key = m.apiKey;
  projectId = m.projectId;
});

test.after(async () => {
  const { code } = await server.stop();
  assert.equal(code, 0, "SIGTERM shuts down cleanly");
});

async function create(name = "stream", extra = {}, k = key) {
  return api(server, "POST", "/api/v1/livestream", { key: k, body: { name, projectId, mediaServerId, ...extra } });
}

test("the first start registers the embedded media server", async () => {
  const r = await api(server, "GET", "/api/v1/media-servers/available", { key });
  assert.equal(r.body.data.length, 1);
  assert.equal(r.body.data[0].type, "EMBEDDED");
  assert.match(r.body.data[0].id, UUID);
  assert.deepEqual(r.body.meta.pagination, { page: 1, limit: 1, total: 1, totalPages: 1 });
});

test("create returns the whole livestream object of both dialects", async () => {
  const r = await create("Launch event", { expiresIn: 7200 });
  assert.equal(r.status, 201);
  const d = r.body.data;
  assert.deepEqual(r.body.meta, {});
  assert.match(d.id, UUID);
  assert.equal(d.name, "Launch event");
  assert.equal(d.status, "READY_FOR_USE");
  assert.match(d.streamKey, /^[0-9a-f]{32}$/);
  assert.equal(d.projectId, projectId);
  assert.deepEqual(d.mediaServer, { id: mediaServerId, name: "embedded", type: "EMBEDDED" });
  assert.equal(d.rmtpServer, d.rtmpServer);
  assert.equal(d.rtmpServer, server.rtmp);
  assert.equal(d.streamKeyWithParams, `${d.streamKey}?pushToken=${d.pushToken}`);
  assert.equal(d.streamKeyWithToken, d.streamKeyWithParams);
  assert.equal(d.rtmpUrl, `${server.rtmp}/${d.streamKey}?pushToken=${d.pushToken}`, "the publish URL, one '/' between");
  assert.deepEqual(d.hlsSources, [{ name: "origin", url: `${server.api}/hls/${d.streamKey}/master.m3u8` }]);
  assert.deepEqual(d.hlsPaths, d.hlsSources.map((s) => s.url));
  assert.equal(d.previewPlayback, `${server.api}/api/v1/livestreams/preview-playback/${d.streamKey}`);
  assert.match(d.createdAt, ISO);
  assert.equal(d.startedAt, null);
  assert.equal(d.endedAt, null);
  // The push token: RS256 JWT with exactly the claims of SPEC §1.
  const [h, p] = d.pushToken.split(".").slice(0, 2).map((s) => JSON.parse(Buffer.from(s, "base64url")));
  assert.equal(h.alg, "RS256");
  assert.equal(h.typ, "JWT");
  const jwks = await api(server, "GET", "/.well-known/jwks.json");
  assert.equal(jwks.status, 200);
  assert.ok(jwks.body.keys.some((k) => k.kid === h.kid && k.kty === "RSA" && k.alg === "RS256"));
  assert.equal(p.sub, d.id);
  assert.equal(p.projectId, projectId);
  assert.equal(p.mediaServerId, mediaServerId);
  assert.equal(p.streamKey, d.streamKey);
  assert.equal(p.type, "push_token");
  assert.equal(p.exp - p.iat, 7200);
  for (const claim of Object.keys(p)) {
    assert.ok(["sub", "projectId", "mediaServerId", "streamKey", "iat", "exp", "type", "jti"].includes(claim), claim);
  }
});

test("read, rename and delete one livestream", async () => {
  const { body: { data: made } } = await create("to edit");
  const got = await api(server, "GET", `/api/v1/livestream/${made.id}`, { key });
  assert.equal(got.status, 200);
  assert.equal(got.body.data.id, made.id);
  assert.equal(got.body.data.pushToken, undefined, "tokens are shown only at create/generate");
  assert.equal(got.body.data.streamKeyWithParams, undefined);
  assert.equal(got.body.data.rtmpUrl, undefined, "the publish URL holds the token: create/generate only");
  const renamed = await api(server, "PATCH", `/api/v1/livestream/${made.id}`, { key, body: { name: "edited" } });
  assert.equal(renamed.status, 200);
  assert.equal(renamed.body.data.name, "edited");
  assert.equal(renamed.body.data.rtmpUrl, undefined);
  const del = await api(server, "DELETE", `/api/v1/livestream/${made.id}`, { key });
  assert.equal(del.status, 200);
  assert.deepEqual(del.body, { data: { id: made.id }, meta: {} });
  assert.equal((await api(server, "GET", `/api/v1/livestream/${made.id}`, { key })).status, 404);
  assert.equal((await api(server, "GET", `/api/v1/livestreams/stream-info/${made.streamKey}`)).status, 404);
  assert.equal((await api(server, "DELETE", `/api/v1/livestream/${made.id}`, { key })).status, 404);
});

test("generate-push-token by id, livestreamId or streamKey retires the previous token", async () => {
  const { body: { data: made } } = await create("tokens");
  for (const selector of [{ id: made.id }, { livestreamId: made.id }, { streamKey: made.streamKey }]) {
    const r = await api(server, "POST", "/api/v1/livestream/generate-push-token", { key, body: { ...selector, expiresIn: 120 } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.data.id, made.id);
    assert.equal(r.body.data.status, "READY_FOR_USE");
    assert.notEqual(r.body.data.pushToken, made.pushToken);
    assert.equal(r.body.data.rtmpUrl, `${r.body.data.rtmpServer}/${made.streamKey}?pushToken=${r.body.data.pushToken}`);
    const claims = JSON.parse(Buffer.from(r.body.data.pushToken.split(".")[1], "base64url"));
    assert.equal(claims.exp - claims.iat, 120);
  }
  const missing = await api(server, "POST", "/api/v1/livestream/generate-push-token", { key, body: {} });
  assert.equal(missing.status, 400);
  assert.ok(missing.body.message.includes("one of id, livestreamId or streamKey is required"));
});

test("list: newest first, paginated, searchable and filterable by status", async () => {
  const tag = "page-" + Date.now();
  for (let i = 0; i < 12; i++) assert.equal((await create(`${tag} #${i}`)).status, 201);
  const q = (s) => api(server, "GET", `/api/v1/livestream?search=${encodeURIComponent(tag)}&${s}`, { key });
  // Creates this quick often share a createdAt millisecond; those still list
  // the later create first (not by their random ids).
  const all = await q("limit=100");
  assert.deepEqual(all.body.data.map((l) => l.name), Array.from({ length: 12 }, (_, i) => `${tag} #${11 - i}`));
  const p1 = await q("limit=5");
  assert.equal(p1.status, 200);
  assert.deepEqual(p1.body.meta.pagination, { page: 1, limit: 5, total: 12, totalPages: 3 });
  assert.deepEqual(p1.body.data.map((l) => l.name), [11, 10, 9, 8, 7].map((i) => `${tag} #${i}`));
  for (const l of p1.body.data) {
    for (const field of ["pushToken", "streamKeyWithParams", "rtmpUrl"]) assert.equal(l[field], undefined, `${field} in a list item`);
  }
  const p3 = await q("limit=5&page=3");
  assert.deepEqual(p3.body.data.map((l) => l.name), [`${tag} #1`, `${tag} #0`]);
  const beyond = await q("limit=5&page=9");
  assert.equal(beyond.body.data.length, 0);
  const def = await q("");
  assert.equal(def.body.meta.pagination.limit, 10);
  assert.equal(def.body.data.length, 10);
  const ready = await q("status=READY_FOR_USE&limit=100");
  assert.equal(ready.body.data.length, 12);
  const started = await q("status=STARTED");
  assert.equal(started.body.data.length, 0);
  const withProject = await q(`projectId=${projectId}`);
  assert.equal(withProject.status, 200);
  const percent = await api(server, "GET", "/api/v1/livestream?search=%25", { key });
  assert.equal(percent.status, 200, "LIKE wildcards in search are literal");
  assert.equal(percent.body.data.length, 0);
});

test("pagination and filter errors list every problem", async () => {
  for (const [query, message] of [
    ["page=0", "page must not be less than 1"],
    ["limit=101", "limit must not be greater than 100"],
    ["limit=0", "limit must not be less than 1"],
    ["page=abc", "page must be an integer number"],
    ["limit=1.5", "limit must be an integer number"],
    ["page=99999999999999999999", "page must be an integer number"],
    ["status=LIVE", "status must be one of the following values: READY_FOR_USE, STARTED, ENDED, TOKEN_EXPIRED"],
    ["projectId=nope", "projectId must be a UUID"],
  ]) {
    const r = await api(server, "GET", `/api/v1/livestream?${query}`, { key });
    assert.equal(r.status, 400, query);
    assert.equal(r.body.statusCode, 400);
    assert.equal(r.body.error, "Bad Request");
    assert.ok(Array.isArray(r.body.message) && r.body.message.includes(message), `${query}: ${JSON.stringify(r.body)}`);
  }
  const both = await api(server, "GET", "/api/v1/livestream?page=0&limit=500", { key });
  assert.equal(both.body.message.length, 2);
});

test("body validation: types, lengths, unknown fields, UUIDs, expiresIn", async () => {
  const cases = [
    [{ name: 5, projectId, mediaServerId }, "name must be a string"],
    [{ name: "", projectId, mediaServerId }, "name should not be empty"],
    [{ name: "x".repeat(256), projectId, mediaServerId }, "name must be shorter than or equal to 255 characters"],
    [{ projectId, mediaServerId }, "name should not be empty"],
    [{ name: "a", projectId: "nope", mediaServerId }, "projectId must be a UUID"],
    [{ name: "a", projectId, mediaServerId: 7 }, "mediaServerId must be a UUID"],
    [{ name: "a", projectId, mediaServerId, expiresIn: 59 }, "expiresIn must not be less than 60"],
    [{ name: "a", projectId, mediaServerId, expiresIn: 2592001 }, "expiresIn must not be greater than 2592000"],
    [{ name: "a", projectId, mediaServerId, expiresIn: "3600" }, "expiresIn must be an integer number"],
    [{ name: "a", projectId, mediaServerId, expiresIn: 100.5 }, "expiresIn must be an integer number"],
    [{ name: "a", projectId, mediaServerId, admin: true }, "property admin should not exist"],
  ];
  for (const [body, message] of cases) {
    const r = await api(server, "POST", "/api/v1/livestream", { key, body });
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.ok(r.body.message.includes(message), `${JSON.stringify(body)} -> ${JSON.stringify(r.body.message)}`);
  }
  const many = await api(server, "POST", "/api/v1/livestream", { key, body: { name: 1, projectId: 2, mediaServerId: 3, x: 1 } });
  assert.ok(many.body.message.length >= 4, JSON.stringify(many.body));
  const unknownServer = await create("a", { mediaServerId: "00000000-0000-4000-8000-000000000000" });
  assert.equal(unknownServer.status, 404);
  assert.equal(unknownServer.body.message, "Media server not found");
});

test("malformed bodies and requests get the error envelope", async () => {
  const bad = await api(server, "POST", "/api/v1/livestream", { key, raw: "{\"name\": ", headers: { "content-type": "application/json" } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error, "Bad Request");
  const arr = await api(server, "POST", "/api/v1/livestream", { key, raw: "[1,2]", headers: { "content-type": "application/json" } });
  assert.equal(arr.status, 400);
  const deep = await api(server, "POST", "/api/v1/livestream", { key, raw: "[".repeat(5000) + "]".repeat(5000), headers: { "content-type": "application/json" } });
  assert.equal(deep.status, 400);
  const form = await api(server, "POST", "/api/v1/livestream", { key, raw: "name=a", headers: { "content-type": "application/x-www-form-urlencoded" } });
  assert.equal(form.status, 400);
  const big = await api(server, "POST", "/api/v1/livestream", { key, raw: JSON.stringify({ name: "x".repeat(70 * 1024) }), headers: { "content-type": "application/json" } });
  assert.equal(big.status, 413);
  assert.equal(big.body.statusCode, 413);
  const badId = await api(server, "GET", "/api/v1/livestream/not-a-uuid", { key });
  assert.equal(badId.status, 400);
  assert.equal(badId.body.message, "Validation failed (uuid is expected)");
  const method = await api(server, "PUT", "/api/v1/livestream", { key, body: {} });
  assert.equal(method.status, 405);
  assert.equal(method.body.statusCode, 405);
  const nowhere = await api(server, "GET", "/api/v1/nothing-here", { key });
  assert.equal(nowhere.status, 404);
  assert.equal(nowhere.body.error, "Not Found");
  const huge = await api(server, "GET", "/api/v1/health", { headers: { "x-filler": "y".repeat(20000) } });
  assert.equal(huge.status, 431);
  // The server keeps serving after all of that.
  assert.equal((await api(server, "GET", "/api/v1/health")).status, 200);
});

test("the API key is required and must be current", async () => {
  for (const k of [undefined, "", "ls_proj_v1_" + "A".repeat(43), "nonsense"]) {
    const r = await api(server, "GET", "/api/v1/livestream", { key: k });
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, { statusCode: 401, message: "Invalid API Key", error: "Unauthorized" });
  }
});

test("projects are isolated: 403 for another projectId, 404 for its livestreams", async () => {
  const { body: { data: theirs } } = await api(server, "POST", "/api/v1/livestream", {
    key: other.apiKey, body: { name: "theirs", projectId: other.projectId, mediaServerId } });
  const forbidden = await api(server, "POST", "/api/v1/livestream", { key, body: { name: "x", projectId: other.projectId, mediaServerId } });
  assert.equal(forbidden.status, 403);
  assert.equal(forbidden.body.error, "Forbidden");
  assert.equal((await api(server, "GET", `/api/v1/livestream?projectId=${other.projectId}`, { key })).status, 403);
  assert.equal((await api(server, "GET", `/api/v1/livestream/${theirs.id}`, { key })).status, 404);
  assert.equal((await api(server, "PATCH", `/api/v1/livestream/${theirs.id}`, { key, body: { name: "mine now" } })).status, 404);
  assert.equal((await api(server, "DELETE", `/api/v1/livestream/${theirs.id}`, { key })).status, 404);
  assert.equal((await api(server, "POST", "/api/v1/livestream/generate-push-token", { key, body: { id: theirs.id } })).status, 404);
  assert.equal((await api(server, "POST", "/api/v1/livestream/generate-push-token", { key, body: { streamKey: theirs.streamKey } })).status, 404);
  const mine = await api(server, "GET", "/api/v1/livestream?limit=100", { key });
  assert.ok(!mine.body.data.some((l) => l.id === theirs.id));
  // Still there for its owner.
  assert.equal((await api(server, "GET", `/api/v1/livestream/${theirs.id}`, { key: other.apiKey })).status, 200);
});

test("public stream info and preview page carry no secrets", async () => {
  const { body: { data: made } } = await create("public");
  const info = await api(server, "GET", `/api/v1/livestreams/stream-info/${made.streamKey}`);
  assert.equal(info.status, 200);
  assert.equal(info.headers.get("access-control-allow-origin"), "*");
  assert.equal(info.body.data.id, made.id);
  assert.equal(info.body.data.status, "READY_FOR_USE");
  assert.ok(!info.text.includes(made.pushToken.split(".")[2]), "no token in public info");
  for (const field of ["pushToken", "streamKeyWithParams", "streamKeyWithToken", "rtmpUrl"]) assert.equal(info.body.data[field], undefined);
  const page = await fetch(server.url(`/api/v1/livestreams/preview-playback/${made.streamKey}`));
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type"), /^text\/html/);
  const html = await page.text();
  assert.ok(html.includes(made.streamKey) && html.includes("/assets/hls.min.js"));
  const js = await fetch(server.url("/assets/hls.min.js"));
  assert.equal(js.status, 200);
  assert.ok((await js.text()).length > 100000, "hls.js is served by the binary itself");
  assert.equal((await api(server, "GET", "/api/v1/livestreams/stream-info/0123456789abcdef0123456789abcdef")).status, 404);
  assert.equal((await api(server, "GET", "/api/v1/livestreams/stream-info/<script>")).status, 404);
  const preflight = await fetch(server.url(`/api/v1/livestreams/stream-info/${made.streamKey}`), { method: "OPTIONS" });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
});

test("health reports ok", async () => {
  const r = await api(server, "GET", "/api/v1/health");
  assert.equal(r.status, 200);
  assert.equal(r.body.data.status, "ok");
});
