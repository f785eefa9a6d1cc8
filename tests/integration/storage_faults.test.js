// Storage faults under the real binary: while the disk is full or read-only,
// writes and /api/v1/health answer 503 in the error envelope (never 500) and
// the server stays up serving reads; once the disk is back, both recover by
// themselves, without a restart. Faults come from the server's test-only
// fault file, and once from a really full tmpfs where the test may mount one.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { cli, startServer, api } = require("./lib/server");
const { faultFile, mountTmpfs, fillFilesystem } = require("./lib/storage");

// A project of its own (CLI) and the embedded media server.
async function partner(server) {
  const made = await cli(["project", "create", "--name", "Faults", "--data-dir", server.dataDir, "--json"]);
  assert.equal(made.code, 0, made.stderr);
  const { apiKey: key, projectId } = JSON.parse(made.stdout);
  const servers = await api(server, "GET", "/api/v1/media-servers/available", { key });
  assert.equal(servers.status, 200, servers.text);
  return { server, key, projectId, mediaServerId: servers.body.data[0].id };
}

function create(p, name) {
  const body = { name, projectId: p.projectId, mediaServerId: p.mediaServerId };
  return api(p.server, "POST", "/api/v1/livestream", { key: p.key, body });
}

async function names(p) {
  const r = await api(p.server, "GET", "/api/v1/livestream?limit=100", { key: p.key });
  assert.equal(r.status, 200, "reads go on: " + r.text);
  return r.body.data.map((l) => l.name).sort();
}

// While writes fail: a create is 503 naming the cause, health is 503 with the
// reason, reads still answer, and the process is alive.
async function expectWritesRefused(p, cause) {
  const refused = await create(p, "refused");
  assert.equal(refused.status, 503, refused.text);
  assert.equal(refused.body.statusCode, 503);
  assert.match(refused.body.message, cause);
  const health = await api(p.server, "GET", "/api/v1/health");
  assert.equal(health.status, 503, health.text);
  assert.equal(health.body.statusCode, 503);
  assert.match(health.body.message, /^database not writable: /);
  assert.match(health.body.message, cause);
  assert.deepEqual(await names(p), ["before"]);
  assert.equal(p.server.proc.exitCode, null, "the server is still running");
}

async function expectRecovered(p) {
  const health = await api(p.server, "GET", "/api/v1/health");
  assert.equal(health.status, 200, health.text);
  assert.equal(health.body.data.database, "ok");
  const created = await create(p, "after");
  assert.equal(created.status, 201, created.text);
  assert.deepEqual(await names(p), ["after", "before"], "the refused create left nothing behind");
}

for (const [fault, cause] of [["full", /database or disk is full/], ["readonly", /database is read-only/]]) {
  test(`a ${fault} disk: writes and health answer 503 until it clears, then both recover without a restart`, async (t) => {
    const faults = faultFile();
    const server = await startServer({ env: faults.env });
    t.after(async () => {
      assert.equal((await server.stop()).code, 0, "SIGTERM shuts down cleanly");
      faults.remove();
      fs.rmSync(server.dataDir, { recursive: true, force: true });
    });
    const p = await partner(server);
    assert.equal((await create(p, "before")).status, 201);
    assert.equal((await api(server, "GET", "/api/v1/health")).status, 200);

    faults.set(fault);
    await expectWritesRefused(p, cause);
    faults.set("");
    await expectRecovered(p);
  });
}

test("a really full filesystem: writes and health answer 503, and recover once space is freed", async (t) => {
  const mount = await mountTmpfs("2m");
  if (!mount.dir) {
    t.skip(mount.reason);
    return;
  }
  let server;
  t.after(async () => {
    if (server) await server.stop();
    await mount.unmount();
  });
  server = await startServer({ dataDir: path.join(mount.dir, "data") });
  const p = await partner(server);
  assert.equal((await create(p, "before")).status, 201);

  const filler = fillFilesystem(mount.dir);
  await expectWritesRefused(p, /database or disk is full/);
  fs.rmSync(filler);
  await expectRecovered(p);
  assert.equal((await server.stop()).code, 0, "SIGTERM shuts down cleanly");
});

// A publisher that leaves while the disk is full: its end cannot be written
// yet, so the stream reads STARTED; the media server retries the write, and
// once the disk is back the stream is ENDED and a reconnect publishes,
// without a restart.
test("a stream whose publisher left during a storage fault ends once storage is back, and republishes", async () => {
  const { ffmpegPublish, waitFor } = require("./lib/media");
  const faults = faultFile();
  const server = await startServer({ env: faults.env, logLevel: "info" });
  try {
    const p = await partner(server);
    const made = await create(p, "live");
    assert.equal(made.status, 201, made.text);
    const stream = made.body.data;
    const status = async () => (await api(server, "GET", `/api/v1/livestreams/stream-info/${stream.streamKey}`)).body.data.status;
    const url = `${stream.rtmpServer}/${stream.streamKeyWithParams}`;
    const first = ffmpegPublish(url, { seconds: 30, size: "320x180" });
    await waitFor(async () => (await status()) === "STARTED", { what: "STARTED", timeoutMs: 15000 });

    faults.set("full");
    first.kill("SIGKILL");
    await first.done;
    await waitFor(async () => /could not record the end of stream/.test(server.stdout + server.stderr),
      { what: "the failed ENDED write logged", timeoutMs: 15000 });
    assert.equal(await status(), "STARTED", "the end is owed, not lost");

    faults.set("");
    await waitFor(async () => (await status()) === "ENDED", { what: "ENDED once storage is back", timeoutMs: 15000 });
    const second = ffmpegPublish(url, { seconds: 4, size: "320x180" });
    await waitFor(async () => (await status()) === "STARTED", { what: "republished", timeoutMs: 15000 });
    second.kill("SIGKILL");
    await second.done;
  } finally {
    await server.stop();
    faults.remove();
  }
});
