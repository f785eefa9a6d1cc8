// External media nodes in integration tests: registers a ZLMediaKit or
// MediaMTX node with the CLI and starts a fake node (lib/fake_node.js) whose
// hooks point at the server, the way docs/operations.md configures them.
"use strict";
const assert = require("node:assert/strict");
const test = require("node:test");
const { api, cli, cliWithStdin, startServer } = require("./server");
const { startFakeNode } = require("./fake_node");

const ZLM_HOOKS = ["on_publish", "on_stream_changed", "on_server_started", "on_server_keepalive", "on_server_exited",
                   "on_stream_not_found", "on_stream_none_reader"];

// Adds a media server with the CLI; `extra` are more flags. Resolves the
// printed JSON ({id, hookSecret, ...}).
async function addMediaServer(server, type, name, extra = []) {
  const host = `${name}.example`;
  const r = await cli(["media-server", "add", "--type", type, "--name", name, "--rtmp-url", `rtmp://${host}/live`,
    "--hls-url", `http://${host}:8080`, ...extra, ...server.storeArgs, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

// Registers a node (with its API when options.withApi) and starts its fake.
// Resolves {node, registered}; node.apiUrl is known only once the fake runs,
// so the server is added first without an API and updated after.
async function startNode(server, type, name, { withApi = true, apiSecret = "api-" + name, hookPath, secretless = false,
                                               nodeOptions = {}, extra = [], dropHooks = [] } = {}) {
  const registered = await addMediaServer(server, type, name, extra);
  const q = secretless ? "" : `?secret=${encodeURIComponent(registered.hookSecret)}`;
  let hooks;
  if (type === "ZLMEDIAKIT") {
    hooks = Object.fromEntries(ZLM_HOOKS.map((h) => [h, server.url(`/api/v1/hooks/zlmediakit/${h}${q}`)]));
    if (hookPath) hooks.on_publish = server.url(hookPath + q);
  } else {
    hooks = { auth: server.url(`/api/v1/hooks/mediamtx/auth${q}`), ready: server.url(`/api/v1/hooks/mediamtx/ready${q}`),
              notReady: server.url(`/api/v1/hooks/mediamtx/not-ready${q}`) };
  }
  for (const h of dropHooks) delete hooks[h];
  const node = await startFakeNode({ type: type === "ZLMEDIAKIT" ? "zlmediakit" : "mediamtx", apiSecret, mediaServerId: name,
    aliveIntervalSeconds: 0.5, retryDelayMs: 200, continuePushMs: 300, hlsDelayMs: 100, ...nodeOptions, hooks });
  // ZLMediaKit sends on_server_started without waiting for it; a publish whose
  // hook overtakes it would be ended by the restart it reports. Tests publish
  // once it has been answered (a real publisher connects seconds later).
  if (hooks.on_server_started) await node.waitForHook((h) => h.name === "on_server_started");
  if (withApi) {
    const u = await cli(["media-server", "update", "--id", registered.id, "--api-url", node.apiUrl, "--api-secret", apiSecret,
      ...server.storeArgs, "--json"]);
    assert.equal(u.code, 0, u.stderr);
  }
  return { node, registered };
}

// Polls `fn` until it resolves truthy, or fails after timeoutMs.
async function eventually(fn, what, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const statusOf = async (server, key) => (await api(server, "GET", `/api/v1/livestreams/stream-info/${key}`)).body?.data?.status;

async function serverView(server, id) {
  const r = await cli(["media-server", "list", ...server.storeArgs, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).find((s) => s.id === id);
}

// Short leases and polls, so losses show within seconds.
const NODE_ENV = { LUNARSTREAM_NODES_LEASE_SECONDS: "3", LUNARSTREAM_NODES_POLL_INTERVAL_SECONDS: "1" };

// One server (logging at info) and a project for a test file's external
// nodes of `type`; the fakes started with ctx.node() are crashed after the
// file, then the server is stopped. ctx.server may be replaced (restart tests).
function useNodeServer(type, projectName) {
  const ctx = { nodes: [] };
  test.before(async () => {
    ctx.server = await startServer({ env: NODE_ENV, logLevel: "info" });
    ctx.project = JSON.parse((await cli(["project", "create", "--name", projectName, ...ctx.server.storeArgs, "--json"])).stdout);
  });
  test.after(async () => {
    for (const n of ctx.nodes) await n.crash();
    await ctx.server.stop();
  });
  ctx.node = async (name, options) => {
    const started = await startNode(ctx.server, type, name, options);
    ctx.nodes.push(started.node);
    return started;
  };
  // POST /livestream on mediaServerId with the project's key (or another's).
  ctx.createOn = (mediaServerId, key = ctx.project.apiKey, projectId = ctx.project.projectId) =>
    api(ctx.server, "POST", "/api/v1/livestream", { key, body: { name: "s", projectId, mediaServerId } });
  ctx.streamOn = async (mediaServerId) => {
    const r = await ctx.createOn(mediaServerId);
    assert.equal(r.status, 201, r.text);
    return r.body.data;
  };
  // A livestream's recorded STARTED -> ENDED span in seconds (ms precision), as the partner API shows it.
  ctx.spanOf = async (stream) => {
    const r = await api(ctx.server, "GET", `/api/v1/livestream/${stream.id}`, { key: ctx.project.apiKey });
    assert.equal(r.status, 200, r.text);
    const { startedAt, endedAt } = r.body.data;
    assert.ok(startedAt && endedAt, r.text);
    return (Date.parse(endedAt) - Date.parse(startedAt)) / 1000;
  };
  // Ingest seconds of one livestream as GET /api/v1/admin/projects/:id/usage
  // reports them (a system administrator made by the CLI asks), summed over
  // the hours around now.
  ctx.ingestSecondsOf = async (livestreamId) => {
    if (!ctx.adminToken) {
      const password = "usage admin password";
      const made = await cliWithStdin(["user", "create", "--email", "usage@example.com", "--password-stdin", "--admin",
        ...ctx.server.storeArgs], password);
      assert.equal(made.code, 0, made.stderr);
      const login = await api(ctx.server, "POST", "/api/v1/auth/login", { body: { email: "usage@example.com", password } });
      assert.equal(login.status, 200, login.text);
      ctx.adminToken = login.body.data.accessToken;
    }
    const hour = 3600 * 1000;
    const from = new Date(Math.floor(Date.now() / hour) * hour - 2 * hour).toISOString();
    const to = new Date(Math.floor(Date.now() / hour) * hour + 2 * hour).toISOString();
    const r = await api(ctx.server, "GET", `/api/v1/admin/projects/${ctx.project.projectId}/usage?from=${from}&to=${to}&granularity=hour`,
      { headers: { Authorization: `Bearer ${ctx.adminToken}` } });
    assert.equal(r.status, 200, r.text);
    let seconds = 0;
    for (const bucket of r.body.data) {
      for (const s of bucket.streams) if (s.livestreamId === livestreamId) seconds += s.ingestSeconds;
    }
    return seconds;
  };
  return ctx;
}

module.exports = { NODE_ENV, useNodeServer, addMediaServer, startNode, eventually, statusOf, serverView };
