// Scale-out across processes: one PostgreSQL, two `--role api` processes and
// two `--role media` nodes, all on loopback. A push token issued by API node
// 1 publishes to media node 2; API node 2 reports it; a media node that dies
// (kill -9) loses its lease and its stream ENDs; the stream moves to the
// other node and republishes there; an API node killed mid-creates loses no
// acknowledged livestream; a PostgreSQL restart gives 503s, then recovery.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { spawn } = require("node:child_process");
const { cli, api, tempDir } = require("./lib/server");
const { startPostgres } = require("./lib/postgres");
const { ffmpegPublish, ffprobe, waitFor } = require("./lib/media");
const { deadPort: freePort } = require("./lib/net");

const BIN = process.env.LUNARSTREAM_BIN;
const LEASE_SECONDS = 3;

// One lunarstream process of a role, on port 0 (api) or on the given ports
// (media: its public URLs were registered before it started). Resolves once
// its ready line is out.
function startRole(role, args, env = {}) {
  const proc = spawn(BIN, ["serve", "--role", role, "--log-level", "warn", ...args],
    { env: { ...process.env, LUNARSTREAM_NODES_LEASE_SECONDS: String(LEASE_SECONDS), ...env },
      stdio: ["ignore", "pipe", "pipe"] });
  const node = { proc, role, stdout: "", stderr: "" };
  node.exited = new Promise((resolve) => proc.on("exit", (code, signal) => resolve({ code, signal })));
  node.url = (p) => node.api + p;
  node.stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return node.exited;
    proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), 10000);
    const result = await node.exited;
    clearTimeout(timer);
    return result;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${role} did not become ready:\n${node.stdout}${node.stderr}`)), 20000);
    proc.stdout.on("data", (chunk) => {
      node.stdout += chunk;
      const m = node.stdout.match(/LunarStream ready: api=(\S+).* http_port=(\d+)/);
      if (m && !node.api) {
        node.api = m[1];
        node.httpPort = Number(m[2]);
        clearTimeout(timer);
        resolve(node);
      }
    });
    proc.stderr.on("data", (chunk) => { node.stderr += chunk; });
    proc.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${role} exited with ${code} before ready:\n${node.stdout}${node.stderr}`));
    });
  });
}

let pg;
let databaseUrl;
const apis = [];
const media = [];
const registered = [];  // node add answers: {id, secret, ...}
let key;
let projectId;

async function addNode(name) {
  const http = await freePort();
  const rtmp = await freePort();
  const made = await cli(["node", "add", "--name", name, "--rtmp-url", `rtmp://127.0.0.1:${rtmp}/live`,
    "--hls-url", `http://127.0.0.1:${http}`, "--database", databaseUrl, "--json"]);
  assert.equal(made.code, 0, made.stderr);
  return { ...JSON.parse(made.stdout), httpPort: http, rtmpPort: rtmp };
}

async function startMedia(node, controlApi) {
  return startRole("media", ["--control-url", controlApi.api, "--node-id", node.id, "--node-secret", node.secret,
    "--http", `127.0.0.1:${node.httpPort}`, "--rtmp", `127.0.0.1:${node.rtmpPort}`]);
}

const startApi = () => startRole("api", ["--database", databaseUrl, "--data-dir", tempDir(), "--http", "127.0.0.1:0"]);

const info = async (node, s) => (await api(node, "GET", `/api/v1/livestreams/stream-info/${s.streamKey}`)).body.data;

test.before(async () => {
  pg = await startPostgres();
  databaseUrl = await pg.createDatabase();
  const migrated = await cli(["db", "migrate", "--database", databaseUrl]);
  assert.equal(migrated.code, 0, migrated.stderr);
  apis.push(await startApi(), await startApi());
  const made = await cli(["project", "create", "--name", "Scale-out", "--database", databaseUrl, "--json"]);
  assert.equal(made.code, 0, made.stderr);
  ({ apiKey: key, projectId } = JSON.parse(made.stdout));
  registered.push(await addNode("media-1"), await addNode("media-2"));
  // Each media node talks to a different API node: the rule that every API node
  // answers for every node is part of what is tested.
  media.push(await startMedia(registered[0], apis[0]), await startMedia(registered[1], apis[1]));
});

test.after(async () => {
  for (const n of [...media, ...apis]) await n.stop();
  if (pg) await pg.stop();
});

test("both media nodes are ONLINE on both API nodes", async () => {
  for (const a of apis) {
    await waitFor(async () => {
      const list = (await api(a, "GET", "/api/v1/media-servers/available", { key })).body.data;
      return registered.every((r) => list.some((s) => s.id === r.id && s.status === "ONLINE"));
    }, { what: "both nodes ONLINE", timeoutMs: 15000 });
  }
});

let stream;

test("a token from API node 1 publishes on media node 2; API node 2 says STARTED; its HLS plays", async (t) => {
  const made = await api(apis[0], "POST", "/api/v1/livestream",
    { key, body: { name: "across", projectId, mediaServerId: registered[1].id } });
  assert.equal(made.status, 201, made.text);
  stream = made.body.data;
  assert.equal(stream.rtmpServer, registered[1].rtmpBaseUrl ?? `rtmp://127.0.0.1:${registered[1].rtmpPort}/live`);
  const publisher = ffmpegPublish(`${stream.rtmpServer}/${stream.streamKeyWithParams}`, { seconds: 60 });
  stream.publisher = publisher;
  const began = Date.now();
  await waitFor(async () => (await info(apis[1], stream)).status === "STARTED", { what: "STARTED on API node 2", intervalMs: 50 });
  t.diagnostic(`STARTED seen on API node 2 ${Date.now() - began} ms after ffmpeg began`);
  const sources = (await info(apis[1], stream)).hlsSources;
  assert.ok(sources[0].url.startsWith(`http://127.0.0.1:${registered[1].httpPort}/`), JSON.stringify(sources));
  const streams = await waitFor(async () => {
    try { return await ffprobe(sources[0].url); } catch { return null; }
  }, { what: "the node's HLS", timeoutMs: 30000 });
  assert.ok(streams.some((s) => s.codec_type === "video"));
});

test("kill -9 of media node 2: OFFLINE and the stream ENDED within the lease", async () => {
  media[1].proc.kill("SIGKILL");
  await media[1].exited;
  await waitFor(async () => (await info(apis[0], stream)).status === "ENDED",
    { what: "ENDED after the lease", timeoutMs: (LEASE_SECONDS + 10) * 1000 });
  await stream.publisher.done;
  const list = (await api(apis[1], "GET", "/api/v1/media-servers/available", { key })).body.data;
  assert.equal(list.find((s) => s.id === registered[1].id).status, "OFFLINE");
});

test("the stream moves to media node 1 with a new token and republishes there", async () => {
  const moved = await api(apis[1], "POST", "/api/v1/livestream/generate-push-token",
    { key, body: { id: stream.id, mediaServerId: registered[0].id } });
  assert.equal(moved.status, 201, moved.text);
  const s = moved.body.data;
  assert.equal(s.mediaServerId, registered[0].id);
  const publisher = ffmpegPublish(`${s.rtmpServer}/${s.streamKeyWithParams}`, { seconds: 4 });
  await waitFor(async () => (await info(apis[0], stream)).status === "STARTED", { what: "STARTED on node 1" });
  assert.equal((await publisher.done).code, 0, publisher.stderrText);
  await waitFor(async () => (await info(apis[1], stream)).status === "ENDED", { what: "ENDED on node 1" });
});

test("kill -9 of an API node loses no acknowledged create", async () => {
  const victim = await startApi();
  const acknowledged = [];
  const attempts = [];
  let stop = false;
  for (let worker = 0; worker < 4; worker++) {
    attempts.push((async () => {
      for (let i = 0; i < 200 && !stop; i++) {
        try {
          const r = await api(victim, "POST", "/api/v1/livestream",
            { key, body: { name: `crash ${worker}-${i}`, projectId, mediaServerId: registered[0].id } });
          if (r.status === 201) acknowledged.push(r.body.data.id);
        } catch { return; }  // the connection died with the process
      }
    })());
  }
  await waitFor(async () => acknowledged.length >= 20, { what: "some creates acknowledged", intervalMs: 20 });
  victim.proc.kill("SIGKILL");
  stop = true;
  await Promise.all(attempts);
  await victim.exited;
  for (const id of acknowledged) {
    const got = await api(apis[0], "GET", `/api/v1/livestream/${id}`, { key });
    assert.equal(got.status, 200, `acknowledged livestream ${id} is there after the crash`);
  }
});

test("PostgreSQL restarts: 503 from the API nodes while it is down, then recovery", async () => {
  await pg.restart(async () => {
    for (const a of apis) {
      const r = await api(a, "POST", "/api/v1/livestream",
        { key, body: { name: "during outage", projectId, mediaServerId: registered[0].id } });
      assert.equal(r.status, 503, r.text);
    }
  });
  for (const a of apis) {
    const r = await waitFor(async () => {
      const made = await api(a, "POST", "/api/v1/livestream",
        { key, body: { name: "after outage", projectId, mediaServerId: registered[0].id } });
      return made.status === 201 ? made : null;
    }, { what: "a create after the restart", timeoutMs: 15000 });
    assert.equal((await api(apis[0], "GET", `/api/v1/livestream/${r.body.data.id}`, { key })).status, 200);
  }
});
