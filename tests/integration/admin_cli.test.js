// Administration commands, including while the server runs on the same data dir.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { spawn } = require("node:child_process");
const { cli, startServer, api, tempDir } = require("./lib/server");

test("help texts", async () => {
  const top = await cli(["--help"]);
  assert.equal(top.code, 0);
  for (const word of ["serve", "project", "apikey", "media-server", "team", "audit-log"]) assert.ok(top.stdout.includes(word));
  for (const sub of [["serve"], ["project", "create"], ["apikey", "regenerate"], ["media-server"], ["team"], ["audit-log"]]) {
    const r = await cli([...sub, "--help"]);
    assert.equal(r.code, 0, sub.join(" "));
    assert.match(r.stdout, /Usage: lunarstream/);
  }
  const unknown = await cli(["frobnicate"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command/);
});

test("bad flags and config values stop startup naming the field", async () => {
  const dir = tempDir();
  const badFlag = await cli(["serve", "--data-dir", dir, "--http", "nowhere"]);
  assert.equal(badFlag.code, 2);
  assert.match(badFlag.stderr, /http\.listen/);
  const conf = path.join(dir, "bad.conf");
  fs.writeFileSync(conf, "hls.window_segments = lots\n");
  const badFile = await cli(["serve", "--data-dir", dir, "--config", conf]);
  assert.equal(badFile.code, 2);
  assert.match(badFile.stderr, /hls\.window_segments/);
  const badEnv = await cli(["serve", "--data-dir", dir], { env: { ...process.env, LUNARSTREAM_TOKEN_TTL_SECONDS: "5" } });
  assert.equal(badEnv.code, 2);
  assert.match(badEnv.stderr, /token\.ttl_seconds/);
  const unknownKey = path.join(dir, "unknown.conf");
  fs.writeFileSync(unknownKey, "http.listn = 1.2.3.4:5\n");
  const r = await cli(["serve", "--data-dir", dir, "--config", unknownKey]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /http\.listn: unknown setting/);
});

test("first start creates data, later starts reuse it", async () => {
  const first = await startServer();
  const key = first.firstApiKey;
  assert.ok(key);
  assert.match(first.stdout, /curl -s -X POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/livestream/);
  // The signing key lives in the database; no key file is written any more.
  assert.equal(fs.existsSync(path.join(first.dataDir, "keys")), false);
  const jwks1 = await api(first, "GET", "/.well-known/jwks.json");
  const servers1 = await api(first, "GET", "/api/v1/media-servers/available", { key });
  assert.equal((await first.stop()).code, 0);

  const second = await startServer({ dataDir: first.dataDir });
  assert.equal(second.firstApiKey, null, "the key is printed only on the first start");
  const jwks2 = await api(second, "GET", "/.well-known/jwks.json");
  assert.deepEqual(jwks2.body, jwks1.body, "same signing key");
  const servers2 = await api(second, "GET", "/api/v1/media-servers/available", { key });
  assert.equal(servers2.status, 200, "same project and key");
  assert.equal(servers2.body.data[0].id, servers1.body.data[0].id, "same embedded media server");
  assert.equal((await second.stop()).code, 0);
});

test("apikey regenerate takes effect on a running server at once", async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const { projectId, apiKey } = JSON.parse((await cli(["project", "create", "--name", "Rotating", "--data-dir", server.dataDir, "--json"])).stdout);
  assert.equal((await api(server, "GET", "/api/v1/livestream", { key: apiKey })).status, 200);
  const regen = await cli(["apikey", "regenerate", "--project", projectId, "--data-dir", server.dataDir, "--json"]);
  assert.equal(regen.code, 0, regen.stderr);
  const fresh = JSON.parse(regen.stdout).apiKey;
  assert.notEqual(fresh, apiKey);
  assert.equal((await api(server, "GET", "/api/v1/livestream", { key: apiKey })).status, 401);
  assert.equal((await api(server, "GET", "/api/v1/livestream", { key: fresh })).status, 200);
  const unknown = await cli(["apikey", "regenerate", "--project", "00000000-0000-4000-8000-000000000000", "--data-dir", server.dataDir]);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /not found/i);
});

test("project list and the per-project ABR switch", async () => {
  const dir = tempDir();
  const made = JSON.parse((await cli(["project", "create", "--name", "abr", "--data-dir", dir, "--json"])).stdout);
  let list = JSON.parse((await cli(["project", "list", "--data-dir", dir, "--json"])).stdout);
  assert.deepEqual(list.map((p) => [p.id, p.abrEnabled]), [[made.projectId, true]]);
  const off = await cli(["project", "update", "--project", made.projectId, "--abr", "off", "--data-dir", dir, "--json"]);
  assert.equal(off.code, 0, off.stderr);
  list = JSON.parse((await cli(["project", "list", "--data-dir", dir, "--json"])).stdout);
  assert.equal(list[0].abrEnabled, false);
  const bad = await cli(["project", "update", "--project", made.projectId, "--abr", "maybe", "--data-dir", dir]);
  assert.equal(bad.code, 2);
  const missing = await cli(["project", "update", "--project", "00000000-0000-4000-8000-000000000000", "--abr", "on", "--data-dir", dir]);
  assert.equal(missing.code, 1);
});

test("media-server add, list and remove", async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const key = server.firstApiKey;
  const add = await cli(["media-server", "add", "--type", "ZLMEDIAKIT", "--name", "zlm-1", "--rtmp-url", "rtmp://zlm.example:1935/live",
    "--hls-url", "https://zlm.example", "--cdn", "bunny=https://zlm.b-cdn.example", "--cdn", "gcore=https://zlm.gcore.example",
    "--data-dir", server.dataDir, "--json"]);
  assert.equal(add.code, 0, add.stderr);
  const added = JSON.parse(add.stdout);
  assert.equal(added.type, "ZLMEDIAKIT");
  assert.match(added.hookSecret, /^ls_hook_/);
  const list = JSON.parse((await cli(["media-server", "list", "--data-dir", server.dataDir, "--json"])).stdout);
  assert.ok(Array.isArray(list));
  const zlm = list.find((s) => s.id === added.id);
  assert.deepEqual(zlm.cdns.map((c) => c.name), ["bunny", "gcore"]);
  assert.equal(zlm.hookSecret, undefined, "the secret is shown only once");

  const { body: { data: projects } } = await api(server, "GET", "/api/v1/media-servers/available", { key });
  assert.ok(projects.some((s) => s.id === added.id));
  const bad = await cli(["media-server", "add", "--type", "NGINX", "--name", "x", "--data-dir", server.dataDir]);
  assert.equal(bad.code, 2);
  const badUrl = await cli(["media-server", "add", "--type", "MEDIAMTX", "--name", "x", "--rtmp-url", "http://wrong", "--hls-url", "https://ok", "--data-dir", server.dataDir]);
  assert.equal(badUrl.code, 2);
  assert.match(badUrl.stderr, /rtmpBaseUrl/);
  const removed = await cli(["media-server", "remove", "--id", added.id, "--data-dir", server.dataDir, "--json"]);
  assert.equal(removed.code, 0, removed.stderr);
  const after = JSON.parse((await cli(["media-server", "list", "--data-dir", server.dataDir, "--json"])).stdout);
  assert.ok(!after.some((s) => s.id === added.id));
});

test("livestreams on a CDN-fronted media server list origin then CDNs in order", async (t) => {
  const server = await startServer({ args: ["--cdn", "bunny=https://b.example", "--cdn", "gcore=https://g.example/"] });
  t.after(() => server.stop());
  const key = server.firstApiKey;
  const { body: { data: [ms] } } = await api(server, "GET", "/api/v1/media-servers/available", { key });
  const project = (await cli(["project", "create", "--name", "cdn", "--data-dir", server.dataDir, "--json"]));
  const p = JSON.parse(project.stdout);
  const r = await api(server, "POST", "/api/v1/livestream", { key: p.apiKey, body: { name: "cdn", projectId: p.projectId, mediaServerId: ms.id } });
  assert.equal(r.status, 201);
  const k = r.body.data.streamKey;
  assert.deepEqual(r.body.data.hlsSources, [
    { name: "origin", url: `${server.api}/hls/${k}/master.m3u8` },
    { name: "bunny", url: `https://b.example/hls/${k}/master.m3u8` },
    { name: "gcore", url: `https://g.example/hls/${k}/master.m3u8` },
  ]);
});

test("a locked database gives 503 in the envelope and no partial rows", async (t) => {
  const server = await startServer({ env: { LUNARSTREAM_DATABASE_BUSY_TIMEOUT_MS: "300" } });
  t.after(() => server.stop());
  const key = server.firstApiKey;
  const { body: { data: [ms] } } = await api(server, "GET", "/api/v1/media-servers/available", { key });
  const p = JSON.parse((await cli(["project", "create", "--name", "locked", "--data-dir", server.dataDir, "--json"])).stdout);
  const body = { name: "while locked", projectId: p.projectId, mediaServerId: ms.id };
  // Another process holds an exclusive lock on the database.
  const holder = spawn("sqlite3", [path.join(server.dataDir, "lunarstream.db")], { stdio: ["pipe", "pipe", "pipe"] });
  holder.stdin.write("PRAGMA busy_timeout=100; BEGIN EXCLUSIVE; SELECT 'locked';\n");
  await new Promise((resolve) => holder.stdout.once("data", resolve));
  try {
    const r = await api(server, "POST", "/api/v1/livestream", { key: p.apiKey, body });
    assert.equal(r.status, 503, JSON.stringify(r.body));
    assert.equal(r.body.statusCode, 503);
    assert.equal(r.body.error, "Service Unavailable");
  } finally {
    holder.stdin.end("ROLLBACK;\n.quit\n");
    await new Promise((resolve) => holder.on("exit", resolve));
  }
  const list = await api(server, "GET", "/api/v1/livestream", { key: p.apiKey });
  assert.equal(list.status, 200);
  assert.equal(list.body.meta.pagination.total, 0, "nothing was half-written");
  assert.equal((await api(server, "POST", "/api/v1/livestream", { key: p.apiKey, body })).status, 201);
});
