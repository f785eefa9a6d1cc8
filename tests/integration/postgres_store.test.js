// LunarStream on PostgreSQL (--database): the partner flow, a real publish,
// the CLI on the same database, and a PostgreSQL restart in the middle, during
// which requests fail 503 and after which they succeed with nothing lost.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { cli, startServer, api } = require("./lib/server");
const { startPostgres } = require("./lib/postgres");
const { ffmpegPublish, waitFor } = require("./lib/media");

let pg;
let server;
let key;
let projectId;
let mediaServerId;

test.before(async () => {
  pg = await startPostgres();
  server = await startServer({ database: await pg.createDatabase() });
  const made = await cli(["project", "create", "--name", "On PostgreSQL", "--database", server.databaseUrl, "--json"]);
  assert.equal(made.code, 0, made.stderr);
  ({ apiKey: key, projectId } = JSON.parse(made.stdout));
  // The CLI reads the same database the server wrote, here through the environment.
  const list = await cli(["media-server", "list", "--json"],
    { env: { ...process.env, LUNARSTREAM_DATABASE_URL: server.databaseUrl } });
  assert.equal(list.code, 0, list.stderr);
  mediaServerId = JSON.parse(list.stdout).find((s) => s.type === "EMBEDDED").id;
});

test.after(async () => {
  if (server) assert.equal((await server.stop()).code, 0, "SIGTERM shuts down cleanly");
  if (pg) await pg.stop();
});

const create = (name) => api(server, "POST", "/api/v1/livestream", { key, body: { name, projectId, mediaServerId } });
const names = async () =>
  (await api(server, "GET", `/api/v1/livestream?projectId=${projectId}`, { key })).body.data.map((s) => s.name).sort();
const statusOf = async (s) =>
  (await api(server, "GET", `/api/v1/livestreams/stream-info/${s.streamKey}`)).body.data.status;

test("the first start set up the database, and health says so", async () => {
  assert.match(server.firstApiKey, /^ls_proj_v1_/, "first start on an empty database prints an API key");
  const health = await api(server, "GET", "/api/v1/health");
  assert.equal(health.status, 200, health.text);
  assert.equal(health.body.data.database, "ok");
  const migrate = await cli(["db", "migrate", "--database", server.databaseUrl, "--json"]);
  assert.equal(migrate.code, 0, migrate.stderr);
  assert.ok(JSON.parse(migrate.stdout).schemaVersion >= 1, "already current is success");
  assert.ok(!migrate.stdout.includes("lunarstream@"), "the URL is printed without its user info");
});

test("partner flow: create, list, get, rename, push token, stream info, delete", async () => {
  const made = await create("pg show");
  assert.equal(made.status, 201, made.text);
  const s = made.body.data;
  assert.ok((await names()).includes("pg show"));
  const got = await api(server, "GET", `/api/v1/livestream/${s.id}`, { key });
  assert.equal(got.status, 200);
  assert.equal(got.body.data.streamKey, s.streamKey);
  const renamed = await api(server, "PATCH", `/api/v1/livestream/${s.id}`, { key, body: { name: "pg renamed" } });
  assert.equal(renamed.status, 200, renamed.text);
  assert.equal((await api(server, "GET", `/api/v1/livestream/${s.id}`, { key })).body.data.name, "pg renamed");
  const token = await api(server, "POST", "/api/v1/livestream/generate-push-token", { key, body: { id: s.id } });
  assert.equal(token.status, 201, token.text);
  assert.notEqual(token.body.data.streamKeyWithParams, s.streamKeyWithParams);
  assert.equal(await statusOf(s), "READY_FOR_USE");
  assert.equal((await api(server, "DELETE", `/api/v1/livestream/${s.id}`, { key })).status, 200);
  assert.equal((await api(server, "GET", `/api/v1/livestream/${s.id}`, { key })).status, 404);
});

test("ffmpeg publishes: STARTED, then ENDED", async () => {
  const s = (await create("pg publish")).body.data;
  const publisher = ffmpegPublish(`${s.rtmpServer}/${s.streamKeyWithParams}`, { seconds: 4 });
  await waitFor(async () => (await statusOf(s)) === "STARTED", { what: "STARTED", timeoutMs: 15000 });
  assert.equal((await publisher.done).code, 0, publisher.stderrText);
  await waitFor(async () => (await statusOf(s)) === "ENDED", { what: "ENDED", timeoutMs: 15000 });
});

test("PostgreSQL restarts: 503 while it is down, then everything acknowledged is there", async () => {
  const before = await create("before outage");
  assert.equal(before.status, 201, before.text);
  await pg.restart(async () => {
    const refused = await create("during outage");
    assert.equal(refused.status, 503, refused.text);
    assert.equal(refused.body.statusCode, 503);
    const health = await api(server, "GET", "/api/v1/health");
    assert.equal(health.status, 503, health.text);
    assert.equal(server.proc.exitCode, null, "the server is still running");
  });
  await waitFor(async () => (await api(server, "GET", "/api/v1/health")).status === 200,
    { what: "health back after the restart", timeoutMs: 15000 });
  const after = await create("after outage");
  assert.equal(after.status, 201, after.text);
  const all = await names();
  assert.ok(all.includes("before outage") && all.includes("after outage"), JSON.stringify(all));
  assert.ok(!all.includes("during outage"), "a refused create left nothing behind");
  assert.ok(all.includes("pg publish"), "rows from before the restart are all there");
});
