// Scale-out roles: a `--role api` process and `--role media` nodes registered
// with `node add`. A publish on a node is decided by the API tier over the
// internal API; its HLS is served by the node; deleting the livestream cuts
// the publisher on the node; a node that dies is OFFLINE after its lease and
// its stream ENDED; wrong credentials stop a node at start.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const crypto = require("node:crypto");
const net = require("node:net");
const { spawn } = require("node:child_process");
const { BIN, cli, startServer, api, tempDir, partnerProject } = require("./lib/server");
const { ffmpegPublish, ffprobe, waitFor } = require("./lib/media");
const { deadPort } = require("./lib/net");

const LEASE_SECONDS = 3;
let apiServer;
let project;
const nodes = [];

// A `--role media` process; resolves once its ready line is out, or rejects with its output when it exits first.
function startNode(args) {
  const proc = spawn(BIN, ["serve", "--role", "media", "--log-level", "info", ...args],
    { env: { ...process.env }, stdio: ["ignore", "pipe", "pipe"] });
  const node = { proc, stdout: "", stderr: "" };
  node.exited = new Promise((resolve) => proc.on("exit", (code, signal) => resolve({ code, signal })));
  proc.stderr.on("data", (c) => { node.stderr += c; });
  node.ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("node did not become ready:\n" + node.stdout + node.stderr)), 20000);
    proc.stdout.on("data", (chunk) => {
      node.stdout += chunk;
      if (/LunarStream ready: .* http_port=\d+ rtmp_port=\d+/.test(node.stdout)) {
        clearTimeout(timer);
        resolve(node);
      }
    });
    proc.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`node exited with ${code} before ready:\n${node.stdout}${node.stderr}`));
    });
  });
  nodes.push(node);
  return node;
}

// Registers a node on free ports and starts it.
async function addNode(name) {
  const [http, rtmp] = [await deadPort(), await deadPort()];
  const added = await cli(["node", "add", "--name", name, "--rtmp-url", `rtmp://127.0.0.1:${rtmp}/live`,
    "--hls-url", `http://127.0.0.1:${http}`, ...apiServer.storeArgs, "--json"]);
  assert.equal(added.code, 0, added.stderr);
  const info = JSON.parse(added.stdout);
  assert.deepEqual(Object.keys(info).sort(), ["apiUrl", "hlsBaseUrl", "id", "name", "rtmpBaseUrl", "secret"]);
  assert.equal(info.apiUrl, `http://127.0.0.1:${http}`);
  const node = startNode(["--control-url", apiServer.api, "--node-id", info.id, "--node-secret", info.secret,
    "--http", `127.0.0.1:${http}`, "--rtmp", `127.0.0.1:${rtmp}`]);
  await node.ready;
  Object.assign(node, info);
  return node;
}

async function streamInfo(key) {
  return (await api(apiServer, "GET", `/api/v1/livestreams/stream-info/${key}`)).body;
}

async function newStreamOn(node, name) {
  const r = await api(apiServer, "POST", "/api/v1/livestream",
    { key: project.key, body: { name, projectId: project.projectId, mediaServerId: node.id } });
  assert.equal(r.status, 201, r.text);
  return r.body.data;
}

test.before(async () => {
  apiServer = await startServer({ args: ["--role", "api"], env: { LUNARSTREAM_NODES_LEASE_SECONDS: String(LEASE_SECONDS) } });
  const made = await cli(["project", "create", "--name", "roles", ...apiServer.storeArgs, "--json"]);
  assert.equal(made.code, 0, made.stderr);
  const { apiKey, projectId } = JSON.parse(made.stdout);
  project = { key: apiKey, projectId };
});

test.after(async () => {
  for (const node of nodes) {
    if (node.proc.exitCode === null && node.proc.signalCode === null) node.proc.kill("SIGTERM");
    await node.exited;
  }
  if (apiServer) assert.equal((await apiServer.stop()).code, 0);
});

test("the API tier runs no media plane", async () => {
  assert.equal(apiServer.rtmpPort, 0);
  const hls = await fetch(apiServer.url("/hls/0123456789abcdef0123456789abcdef/master.m3u8"));
  assert.equal(hls.status, 404);
  const available = await api(apiServer, "GET", "/api/v1/media-servers/available", { key: project.key });
  assert.equal(available.status, 200);
  assert.deepEqual(available.body.data, []);
});

test("role media refuses a database and needs its node credentials", async () => {
  const withDb = await cli(["serve", "--role", "media", "--database", "postgres://u:p@127.0.0.1:1/db",
    "--control-url", "http://127.0.0.1:1", "--node-id", "00000000-0000-4000-8000-000000000000", "--node-secret", "x"]);
  assert.equal(withDb.code, 2);
  assert.match(withDb.stderr, /--role media keeps no database/);
  const missing = await cli(["serve", "--role", "media", "--http", "127.0.0.1:0", "--rtmp", "127.0.0.1:0"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--control-url/);
});

test("a node whose secret the API tier refuses stops at start", async () => {
  const added = await cli(["node", "add", "--name", "wrong", "--rtmp-url", "rtmp://127.0.0.1:1935/live",
    "--hls-url", "http://127.0.0.1:1", ...apiServer.storeArgs, "--json"]);
  assert.equal(added.code, 0, added.stderr);
  const { id } = JSON.parse(added.stdout);
  const node = startNode(["--control-url", apiServer.api, "--node-id", id, "--node-secret", "ls_node_wrong",
    "--http", "127.0.0.1:0", "--rtmp", "127.0.0.1:0"]);
  await assert.rejects(node.ready, /exited with 1/);
  assert.match(node.stderr, /refuses this node's credentials/);
  assert.equal((await cli(["node", "remove", id, ...apiServer.storeArgs])).code, 0);
});

test("a node whose API tier does not answer yet starts anyway and keeps retrying", async () => {
  const added = await cli(["node", "add", "--name", "early", "--rtmp-url", "rtmp://127.0.0.1:1935/live",
    "--hls-url", "http://127.0.0.1:1", ...apiServer.storeArgs, "--json"]);
  assert.equal(added.code, 0, added.stderr);
  const { id, secret } = JSON.parse(added.stdout);
  const node = startNode(["--control-url", `http://127.0.0.1:${await deadPort()}`, "--node-id", id,
    "--node-secret", secret, "--http", "127.0.0.1:0", "--rtmp", "127.0.0.1:0"]);
  await node.ready;
  assert.match(node.stdout + node.stderr, /does not answer yet/);
  // The node's own routes, through api() so they meet docs/openapi.json too.
  const nodeHttp = { url: (p) => `http://127.0.0.1:${node.stdout.match(/http_port=(\d+)/)[1]}${p}` };
  const health = await api(nodeHttp, "GET", "/api/v1/health");
  assert.equal(health.status, 200);
  assert.deepEqual(health.body, { status: "ok", role: "media" });
  const callToken = { authorization: `Bearer ${crypto.createHash("sha256").update(secret).digest("hex")}` };
  const streams = await api(nodeHttp, "GET", "/internal/v1/streams", { headers: callToken });
  assert.equal(streams.status, 200, streams.text);
  assert.deepEqual(streams.body, { streams: [] });
  assert.equal((await api(nodeHttp, "GET", "/internal/v1/streams")).status, 401);
  const cut = await api(nodeHttp, "POST", "/internal/v1/streams/0123456789abcdef0123456789abcdef/cut", { headers: callToken });
  assert.equal(cut.status, 200, cut.text);
  node.proc.kill("SIGTERM");
  assert.equal((await node.exited).code, 0);
  assert.equal((await cli(["node", "remove", id, ...apiServer.storeArgs])).code, 0);
});

test("publish on a node, HLS from the node, delete cuts the publisher, move with generate-push-token, kill -9 ends", async () => {
  const a = await addNode("node-a");
  const b = await addNode("node-b");
  const listed = await cli(["node", "list", ...apiServer.storeArgs, "--json"]);
  assert.equal(listed.code, 0, listed.stderr);
  const byId = Object.fromEntries(JSON.parse(listed.stdout).map((n) => [n.id, n]));
  assert.equal(byId[a.id].status, "ONLINE");
  assert.equal(byId[b.id].status, "ONLINE");

  // Publish on node A with the token the API tier issued.
  const first = await newStreamOn(a, "on-a");
  assert.equal(first.rtmpServer, a.rtmpBaseUrl);
  assert.ok(first.hlsSources[0].url.startsWith(a.hlsBaseUrl), JSON.stringify(first.hlsSources));
  const publisher = ffmpegPublish(`${first.rtmpServer}/${first.streamKeyWithParams}`, { seconds: 60 });
  try {
    await waitFor(async () => (await streamInfo(first.streamKey))?.data?.status === "STARTED",
      { what: "STARTED on the API tier" });
    const streams = await ffprobe(first.hlsSources[0].url);
    assert.ok(streams.some((s) => s.codec_type === "video"), JSON.stringify(streams));
    // Deleting the livestream cuts the publisher on the node.
    const removed = await api(apiServer, "DELETE", `/api/v1/livestream/${first.id}`, { key: project.key });
    assert.equal(removed.status, 200, removed.text);
    const exit = await publisher.done;
    assert.notEqual(exit.code, 0, "ffmpeg was cut");
  } finally {
    publisher.kill("SIGKILL");
  }

  // A stream moved from A to B with a new token publishes on B; kill -9 of B ends it within the lease.
  const second = await newStreamOn(a, "moved");
  const moved = await api(apiServer, "POST", "/api/v1/livestream/generate-push-token",
    { key: project.key, body: { livestreamId: second.id, mediaServerId: b.id } });
  assert.equal(moved.status, 201, moved.text);
  assert.equal(moved.body.data.mediaServerId, b.id, moved.text);
  assert.equal(moved.body.data.mediaServer.id, b.id);
  assert.ok(moved.body.data.hlsSources[0].url.startsWith(b.hlsBaseUrl), moved.text);
  assert.equal(moved.body.data.rtmpServer, b.rtmpBaseUrl);
  const onB = ffmpegPublish(`${moved.body.data.rtmpServer}/${moved.body.data.streamKeyWithParams}`, { seconds: 60 });
  try {
    await waitFor(async () => (await streamInfo(second.streamKey))?.data?.status === "STARTED",
      { what: "STARTED on node B" });
    b.proc.kill("SIGKILL");
    await b.exited;
    await waitFor(async () => (await streamInfo(second.streamKey))?.data?.status === "ENDED",
      { what: "ENDED after node B's lease", timeoutMs: (LEASE_SECONDS + 10) * 1000 });
    const after = JSON.parse((await cli(["node", "list", ...apiServer.storeArgs, "--json"])).stdout);
    assert.equal(after.find((n) => n.id === b.id).status, "OFFLINE");
  } finally {
    onB.kill("SIGKILL");
  }
});
