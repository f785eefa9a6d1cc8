// Project and team administration from the CLI against a running API tier
// (`--role api`) with a `--role media` node: a project's own rate limit is
// enforced on the partner API while another project keeps the defaults, a
// regenerated key kills the old one at once, deleting a project cuts its live
// ffmpeg publisher on the node and removes its livestreams, and the audit log
// shows each of these changes with the CLI actor.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const os = require("node:os");
const { spawn } = require("node:child_process");
const { BIN, cli, startServer, api } = require("./lib/server");
const { ffmpegPublish, waitFor } = require("./lib/media");
const { deadPort } = require("./lib/net");

let apiServer;
let team;
const nodes = [];
const me = os.userInfo().username;

async function run(args) {
  const r = await cli([...args, ...apiServer.storeArgs]);
  assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : null;
}

async function newProject(name) {
  const made = await run(["project", "create", "--name", name, "--team-id", team.id, "--json"]);
  assert.equal(made.teamId, team.id);
  return { id: made.projectId, key: made.apiKey };
}

// A partner request with `key`; {status, limit, remaining, reset}.
async function partnerCall(key) {
  const r = await api(apiServer, "GET", "/api/v1/media-servers/available", { key });
  const num = (h) => (r.headers.get(h) === null ? null : Number(r.headers.get(h)));
  return { status: r.status, limit: num("x-ratelimit-limit"), remaining: num("x-ratelimit-remaining"),
    reset: num("x-ratelimit-reset"), text: r.text };
}

// A `--role media` node registered with `node add` on free ports, started.
async function addNode(name) {
  const [http, rtmp] = [await deadPort(), await deadPort()];
  const info = await run(["node", "add", "--name", name, "--rtmp-url", `rtmp://127.0.0.1:${rtmp}/live`,
    "--hls-url", `http://127.0.0.1:${http}`, "--json"]);
  const proc = spawn(BIN, ["serve", "--role", "media", "--log-level", "warn", "--control-url", apiServer.api,
    "--node-id", info.id, "--node-secret", info.secret, "--http", `127.0.0.1:${http}`, "--rtmp", `127.0.0.1:${rtmp}`],
  { env: { ...process.env }, stdio: ["ignore", "pipe", "pipe"] });
  const node = { proc, ...info, out: "" };
  node.exited = new Promise((resolve) => proc.on("exit", (code, signal) => resolve({ code, signal })));
  nodes.push(node);
  proc.stderr.on("data", (c) => { node.out += c; });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("node did not become ready:\n" + node.out)), 20000);
    proc.stdout.on("data", (chunk) => {
      node.out += chunk;
      if (/LunarStream ready: .* http_port=\d+ rtmp_port=\d+/.test(node.out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.on("exit", (code) => { clearTimeout(timer); reject(new Error(`node exited with ${code}:\n${node.out}`)); });
  });
  return node;
}

test.before(async () => {
  apiServer = await startServer({ args: ["--role", "api"] });
  team = await run(["team", "create", "--name", "Acme", "--json"]);
});

test.after(async () => {
  for (const node of nodes) {
    if (node.proc.exitCode === null && node.proc.signalCode === null) node.proc.kill("SIGTERM");
    await node.exited;
  }
  if (apiServer) assert.equal((await apiServer.stop()).code, 0);
});

test("a project's own rate limit answers 429 at its limit while another project keeps the default", async () => {
  const limited = await newProject("limited");
  const other = await newProject("default");
  const set = await run(["project", "set-rate-limit", "--project", limited.id, "--per-minute", "3",
    "--per-hour", "50", "--json"]);
  assert.deepEqual(set.rateLimit, { perMinute: 3, perHour: 50 });

  // Windows are aligned to the minute: start with enough of it left for four requests.
  const probe = await partnerCall(other.key);
  assert.equal(probe.status, 200, probe.text);
  assert.equal(probe.limit, 100, "the configured default");
  if (probe.reset < 10) await new Promise((resolve) => setTimeout(resolve, probe.reset * 1000 + 200));

  for (const remaining of [2, 1, 0]) {
    const ok = await partnerCall(limited.key);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.limit, 3);
    assert.equal(ok.remaining, remaining);
  }
  const refused = await partnerCall(limited.key);
  assert.equal(refused.status, 429, refused.text);
  assert.equal(refused.limit, 3);
  const fine = await partnerCall(other.key);
  assert.equal(fine.status, 200, fine.text);
  assert.equal(fine.limit, 100);

  // Back to the defaults: the project's next request is under the default limit again.
  const back = await run(["project", "set-rate-limit", "--project", limited.id, "--default", "--json"]);
  assert.equal(back.rateLimit, null);
  const again = await partnerCall(limited.key);
  assert.equal(again.status, 200, again.text);
  assert.equal(again.limit, 100);

  // Bad flags are refused with a clear message and exit code 2.
  for (const [args, message] of [
    [["--project", limited.id, "--per-minute", "0", "--per-hour", "5"], /--per-minute must be a whole number/],
    [["--project", limited.id, "--per-minute", "5"], /give both --per-minute N and --per-hour N, or --default/],
    [["--project", "nope", "--default"], /--project must be a project id/],
    [["--project", limited.id, "--default", "--per-hour", "5"], /--default takes no/],
  ]) {
    const r = await cli(["project", "set-rate-limit", ...args, ...apiServer.storeArgs]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
  }
});

test("a regenerated API key is shown once and the old key stops working at once", async () => {
  const project = await newProject("rotating");
  assert.equal((await partnerCall(project.key)).status, 200);
  const regenerated = await run(["apikey", "regenerate", "--project", project.id, "--json"]);
  assert.equal(regenerated.projectId, project.id);
  assert.notEqual(regenerated.apiKey, project.key);
  const old = await partnerCall(project.key);
  assert.equal(old.status, 401, old.text);
  assert.equal((await partnerCall(regenerated.apiKey)).status, 200);
});

test("deleting a project cuts its live publisher and removes its livestreams", async () => {
  const node = await addNode("edge");
  const project = await newProject("doomed");
  const made = await api(apiServer, "POST", "/api/v1/livestream",
    { key: project.key, body: { name: "live", projectId: project.id, mediaServerId: node.id } });
  assert.equal(made.status, 201, made.text);
  const idle = await api(apiServer, "POST", "/api/v1/livestream",
    { key: project.key, body: { name: "idle", projectId: project.id, mediaServerId: node.id } });
  assert.equal(idle.status, 201, idle.text);
  const stream = made.body.data;
  const info = async (key) => api(apiServer, "GET", `/api/v1/livestreams/stream-info/${key}`);
  const publisher = ffmpegPublish(`${stream.rtmpServer}/${stream.streamKeyWithParams}`, { seconds: 120 });
  try {
    await waitFor(async () => (await info(stream.streamKey)).body?.data?.status === "STARTED",
      { what: "STARTED" });
    const deleted = await run(["project", "delete", "--project", project.id, "--json"]);
    assert.deepEqual(deleted, { projectId: project.id, livestreamsDeleted: 2, publishersCut: 1, problems: [] });
    const exit = await publisher.done;
    assert.notEqual(exit.code, 0, "ffmpeg was cut");
  } finally {
    publisher.kill("SIGKILL");
  }
  assert.equal((await info(stream.streamKey)).status, 404);
  assert.equal((await info(idle.body.data.streamKey)).status, 404);
  assert.equal((await partnerCall(project.key)).status, 401, "the project's key went with it");
  const projects = await run(["project", "list", "--team", team.id, "--json"]);
  assert.ok(!projects.some((p) => p.id === project.id));
});

test("teams: rename, refuse to delete while projects remain, delete when empty", async () => {
  const spare = await run(["team", "create", "--name", "Spare", "--json"]);
  const renamed = await run(["team", "rename", "--team", spare.id, "--name", "Spare 2", "--json"]);
  assert.equal(renamed.name, "Spare 2");
  const busy = await cli(["team", "delete", "--team", team.id, ...apiServer.storeArgs]);
  assert.equal(busy.code, 1);
  assert.match(busy.stderr, /still has projects/);
  await run(["team", "delete", "--team", spare.id, "--json"]);
  const teams = await run(["team", "list", "--json"]);
  assert.ok(!teams.some((t) => t.id === spare.id));
  const unknown = await cli(["team", "frob", ...apiServer.storeArgs]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown team command 'frob'/);
});

test("the audit log shows each change with its actor, newest first, per team", async () => {
  const log = await run(["audit-log", "--team", team.id, "--limit", "100", "--json"]);
  const actions = log.data.map((e) => e.action);
  for (const action of ["team.created", "project.created", "project.rate_limit.changed",
    "project.api_key.regenerated", "project.deleted"]) {
    assert.ok(actions.includes(action), `${action} in ${actions.join(", ")}`);
  }
  assert.equal(actions[actions.length - 1], "team.created", "oldest last");
  assert.equal(log.meta.total, log.data.length);
  for (const e of log.data) {
    assert.deepEqual(e.actor, { type: "cli", id: me, label: me });
    assert.equal(e.teamId, team.id);
    assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  }
  const deleted = log.data.find((e) => e.action === "project.deleted");
  assert.equal(deleted.target.type, "project");
  assert.deepEqual(deleted.details.livestreamsDeleted, 2);
  const limit = log.data.find((e) => e.action === "project.rate_limit.changed" && e.details.to !== null);
  assert.deepEqual(limit.details, { from: null, to: { perMinute: 3, perHour: 50 } });
  // Media servers belong to no team: the node added above is in the unfiltered log.
  const all = await run(["audit-log", "--json"]);
  assert.ok(all.data.some((e) => e.action === "media_server.created" && e.teamId === null));
  // Pages.
  const first = await run(["audit-log", "--team", team.id, "--limit", "1", "--json"]);
  assert.equal(first.data.length, 1);
  assert.equal(first.data[0].id, log.data[0].id);
  const bad = await cli(["audit-log", "--limit", "0", ...apiServer.storeArgs]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--limit must be a whole number from 1 to 1000/);
});
