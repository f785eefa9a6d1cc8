// The typed client against the real binary (LUNARSTREAM_BIN): every partner
// route it wraps, its errors, and 429 handling.
import test from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { createRequire } from "node:module";

import { LunarStream, LunarStreamError } from "../dist/index.js";

const require = createRequire(import.meta.url);
const { startServer, partnerProject } = require("../../../tests/integration/lib/server.js");

let server;
let project;
let client;
let mediaServerId;

test.before(async () => {
  assert.ok(process.env.LUNARSTREAM_BIN, "LUNARSTREAM_BIN names the lunarstream binary to test against");
  server = await startServer();
  project = await partnerProject(server, "SDK");
  client = new LunarStream({ baseUrl: server.url(""), apiKey: project.key, projectId: project.projectId });
});

test.after(async () => {
  if (server) await server.stop();
});

test("media servers, then a livestream created, read, listed, renamed and deleted", async () => {
  const servers = await client.mediaServers.available();
  assert.equal(servers.length, 1);
  mediaServerId = servers[0].id;
  assert.equal(servers[0].type, "EMBEDDED");

  const created = await client.livestreams.create({ name: "Launch", mediaServerId });
  assert.equal(created.status, "READY_FOR_USE");
  assert.match(created.pushToken, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  assert.equal(created.streamKeyWithParams, `${created.streamKey}?pushToken=${created.pushToken}`);
  assert.equal(created.rtmpServer, created.rmtpServer);

  const read = await client.livestreams.get(created.id);
  assert.equal(read.id, created.id);
  assert.equal(read.pushToken, undefined, "reads carry no push token");

  await client.livestreams.create({ name: "Other", mediaServerId });
  const page = await client.livestreams.list({ search: "laun", limit: 5 });
  assert.deepEqual(page.items.map((l) => l.id), [created.id]);
  assert.deepEqual(page.pagination, { page: 1, limit: 5, total: 1, totalPages: 1 });
  assert.equal((await client.livestreams.list()).pagination.total, 2);

  assert.equal((await client.livestreams.rename(created.id, "Launch day")).name, "Launch day");
  assert.deepEqual(await client.livestreams.delete(created.id), { id: created.id });
  await assert.rejects(client.livestreams.get(created.id), (e) => e instanceof LunarStreamError && e.status === 404);
});

test("a new push token, by id and by stream key, replaces the old one", async () => {
  const l = await client.livestreams.create({ name: "Tokens", mediaServerId, expiresIn: 3600 });
  const byId = await client.pushTokens.generate({ id: l.id, expiresIn: 7200 });
  assert.notEqual(byId.pushToken, l.pushToken);
  const byKey = await client.pushTokens.generate({ streamKey: l.streamKey });
  assert.notEqual(byKey.pushToken, byId.pushToken);
  assert.equal(byKey.id, l.id);
});

test("stream-info is public and shows no secrets", async () => {
  const l = await client.livestreams.create({ name: "Public", mediaServerId });
  const anonymous = new LunarStream({ baseUrl: server.url("/api/v1/"), apiKey: "not-a-key" });
  const info = await anonymous.streamInfo(l.streamKey);
  assert.equal(info.id, l.id);
  assert.equal(info.pushToken, undefined);
  assert.equal(info.streamKeyWithParams, undefined);
  await assert.rejects(anonymous.streamInfo("no-such-key"), (e) => e.status === 404);
});

test("API errors carry the envelope: 400 with one message per problem, 401 for a wrong key", async () => {
  await assert.rejects(client.livestreams.create({ name: "", mediaServerId: "nope" }), (e) => {
    assert.ok(e instanceof LunarStreamError);
    assert.equal(e.status, 400);
    assert.equal(e.error, "Bad Request");
    assert.ok(e.messages.length >= 1, e.message);
    return true;
  });
  const wrong = new LunarStream({ baseUrl: server.url(""), apiKey: "ls_wrong", projectId: project.projectId });
  await assert.rejects(wrong.livestreams.list(), (e) => e.status === 401 && e.messages[0] === "Invalid API Key");
});

test("a 429 from the real server is thrown with its Retry-After when retries are off", async () => {
  const limited = await startServer({ env: { LUNARSTREAM_RATELIMIT_PARTNER_PER_MINUTE: "2" } });
  try {
    const p = await partnerProject(limited, "Limited");
    const c = new LunarStream({ baseUrl: limited.url(""), apiKey: p.key, projectId: p.projectId, maxRetries: 0 });
    // partnerProject used one request of the minute.
    await c.livestreams.list();
    await assert.rejects(c.livestreams.list(), (e) => {
      assert.equal(e.status, 429);
      assert.ok(e.retryAfterSeconds >= 1 && e.retryAfterSeconds <= 60, String(e.retryAfterSeconds));
      return true;
    });
  } finally {
    await limited.stop();
  }
});

test("a 429 is waited out as Retry-After says, then the call succeeds", async () => {
  const seen = [];
  const upstream = http.createServer((req, res) => {
    seen.push(Date.now());
    if (seen.length === 1) {
      res.writeHead(429, { "content-type": "application/json", "retry-after": "1" });
      res.end(JSON.stringify({ statusCode: 429, message: "Too Many Requests", error: "Too Many Requests" }));
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ data: { id: "x" }, meta: {} }));
  });
  await new Promise((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  try {
    const c = new LunarStream({ baseUrl: `http://127.0.0.1:${upstream.address().port}`, apiKey: "k" });
    assert.deepEqual(await c.livestreams.get("x"), { id: "x" });
    assert.equal(seen.length, 2);
    assert.ok(seen[1] - seen[0] >= 950, "the retry waited for Retry-After");
  } finally {
    upstream.close();
  }
});
