// HLS Content Steering (docs/steering.md) end to end: the embedded server with
// two CDNs, each a caching reverse proxy on loopback in a process of its own
// (nginx with proxy_cache when installed, lib/caching_proxy.js). Masters carry
// EXT-X-CONTENT-STEERING and one variant set per pathway; the steering
// manifest at the origin orders the pathways by probed health; killing a CDN
// moves it down within a few probe intervals; drain and pin through the admin
// API apply at once, and through the CLI within a probe interval; stream-info's
// hlsSources follow the same order with the origin first.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { spawn } = require("node:child_process");
const { BIN, cli, cliWithStdin, startServer, api, partnerProject } = require("./lib/server");
const { ffmpegPublish, waitFor } = require("./lib/media");
const { deadPort } = require("./lib/net");
const { startCachingProxy } = require("./lib/caching_proxy");

const PASSWORD = "correct horse battery";

async function adminToken(server) {
  const r = await cliWithStdin(["user", "create", "--email", "ops@example.com", "--password-stdin", "--admin",
    ...server.storeArgs, "--json"], PASSWORD);
  assert.equal(r.code, 0, r.stderr);
  const login = await api(server, "POST", "/api/v1/auth/login", { body: { email: "ops@example.com", password: PASSWORD } });
  assert.equal(login.status, 200, login.text);
  return login.body.data.accessToken;
}

async function manifest(url) {
  const r = await fetch(`${url}?_HLS_pathway=alpha&_HLS_throughput=2500000`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get("content-type"), /^application\/json/);
  assert.equal(r.headers.get("access-control-allow-origin"), "*");
  assert.equal(r.headers.get("cache-control"), "no-cache");
  return r.json();
}

function pathwaysOf(master) {
  return [...master.matchAll(/#EXT-X-STREAM-INF:[^\n]*PATHWAY-ID="([^"]+)"\n([^\n]+)/g)].map((m) => ({ id: m[1], uri: m[2] }));
}

test("masters steer across two caching CDNs by probed health, pin and drain", { timeout: 240000 }, async (t) => {
  const [portA, portB] = [await deadPort(), await deadPort()];
  const server = await startServer({
    args: ["--cdn", `alpha=http://127.0.0.1:${portA}`, "--cdn", `beta=http://127.0.0.1:${portB}`],
    env: {
      LUNARSTREAM_STEERING_PROBE_INTERVAL_MS: "250",
      LUNARSTREAM_STEERING_PROBE_TIMEOUT_MS: "1000",
      LUNARSTREAM_STEERING_TTL_SECONDS: "1",
      LUNARSTREAM_ABR_ENABLED: "false",
    },
  });
  const edges = {};
  t.after(async () => {
    for (const edge of Object.values(edges)) await edge.kill();
    await server.stop();
  });
  edges.alpha = await startCachingProxy({ port: portA, originPort: server.httpPort });
  edges.beta = await startCachingProxy({ port: portB, originPort: server.httpPort });
  t.diagnostic(`CDN edges: ${edges.alpha.kind} (alpha pid ${edges.alpha.pid}, beta pid ${edges.beta.pid})`);

  const project = await partnerProject(server, "steering");
  const stream = await project.newStream("match");
  const key = stream.streamKey;
  const origin = `http://127.0.0.1:${server.httpPort}`;
  const publisher = ffmpegPublish(`${stream.rtmpServer}/${stream.streamKeyWithParams}`, { seconds: 200 });
  t.after(() => publisher.kill("SIGKILL"));

  // The master, at the origin and through a CDN: steering tag, three pathways.
  const master = await waitFor(async () => {
    const r = await fetch(`${origin}/hls/${key}/master.m3u8`);
    const text = r.status === 200 ? await r.text() : "";
    return text.includes("PATHWAY-ID=\"beta\"") ? text : null;
  }, { timeoutMs: 30000, what: "a steered master" });
  const serverUri = `${origin}/hls/${key}/steering.json`;
  assert.match(master, new RegExp(`#EXT-X-CONTENT-STEERING:SERVER-URI="${serverUri.replace(/\./g, "\\.")}",PATHWAY-ID="(alpha|beta)"\n`));
  const variants = pathwaysOf(master);
  assert.deepEqual([...new Set(variants.map((v) => v.id))].sort(), ["alpha", "beta", "origin"]);
  const bases = { alpha: edges.alpha.base, beta: edges.beta.base, origin };
  for (const v of variants) assert.equal(v.uri, `${bases[v.id]}/hls/${key}/original/index.m3u8`);
  const viaCdn = await (await fetch(`${edges.alpha.base}/hls/${key}/master.m3u8`)).text();
  assert.ok(viaCdn.includes(`SERVER-URI="${serverUri}"`), "the steering manifest is fetched from the origin, not the CDN");
  // Every pathway's media playlist answers.
  for (const v of variants) assert.equal((await fetch(v.uri)).status, 200, v.uri);
  // The low-latency master is steered the same way, its variants at each pathway's LL playlists.
  const llMaster = await waitFor(async () => {
    const r = await fetch(`${origin}/hls/${key}/ll.m3u8`);
    return r.status === 200 ? r.text() : null;
  }, { what: "the LL master" });
  assert.ok(llMaster.includes(`#EXT-X-CONTENT-STEERING:SERVER-URI="${serverUri}"`), llMaster);
  const llVariants = pathwaysOf(llMaster);
  assert.deepEqual([...new Set(llVariants.map((v) => v.id))].sort(), ["alpha", "beta", "origin"]);
  for (const v of llVariants) assert.equal(v.uri, `${bases[v.id]}/hls/${key}/original/ll.m3u8`);
  const info = (await api(server, "GET", `/api/v1/livestreams/stream-info/${key}`)).body.data;
  assert.deepEqual(info.llHlsSources.map((x) => x.name), info.hlsSources.map((x) => x.name));

  // The manifest: both CDNs healthy ahead of the origin.
  const first = await waitFor(async () => {
    const m = await manifest(serverUri);
    return m["PATHWAY-PRIORITY"].length === 3 && m["PATHWAY-PRIORITY"][2] === "origin" ? m : null;
  }, { what: "CDNs ahead of the origin" });
  assert.equal(first.VERSION, 1);
  assert.equal(first.TTL, 1);
  assert.equal(first["RELOAD-URI"], serverUri);
  assert.equal((await fetch(`${origin}/hls/nosuchstream/steering.json`)).status, 404);

  const sources = async () =>
    (await api(server, "GET", `/api/v1/livestreams/stream-info/${key}`)).body.data.hlsSources.map((s) => s.name);
  assert.equal((await sources())[0], "origin");

  const metricsUp = async (cdn) => {
    const text = await (await fetch(`${origin}/metrics`)).text();
    const m = text.match(new RegExp(`lunarstream_cdn_up\\{media_server="[^"]*",cdn="${cdn}",mode="[a-z]+"\\} (-?\\d)`));
    return m ? Number(m[1]) : null;
  };
  await waitFor(async () => (await metricsUp("alpha")) === 1, { what: "alpha up in /metrics" });
  assert.match(await (await fetch(`${origin}/metrics`)).text(), /lunarstream_cdn_probe_latency_seconds\{[^}]*cdn="beta"/);

  // Kill CDN alpha (its process, by PID): it falls behind the origin.
  await edges.alpha.kill();
  delete edges.alpha;
  const killedAt = Date.now();
  await waitFor(async () => JSON.stringify((await manifest(serverUri))["PATHWAY-PRIORITY"]) === '["beta","origin","alpha"]',
    { timeoutMs: 15000, intervalMs: 100, what: "alpha behind the origin" });
  t.diagnostic(`alpha moved down ${Date.now() - killedAt} ms after its edge died (probe interval 250 ms, 2 failures)`);
  assert.deepEqual(await sources(), ["origin", "beta", "alpha"]);
  assert.equal(await metricsUp("alpha"), 0);

  // Back up: ahead of the origin again.
  edges.alpha = await startCachingProxy({ port: portA, originPort: server.httpPort });
  await waitFor(async () => (await manifest(serverUri))["PATHWAY-PRIORITY"].indexOf("alpha") < 2,
    { timeoutMs: 15000, what: "alpha healthy again" });

  // Drain and pin through the admin API: at once.
  const token = await adminToken(server);
  const headers = { authorization: `Bearer ${token}` };
  const serverId = stream.mediaServer.id;
  const drained = await api(server, "PUT", `/api/v1/admin/media-servers/${serverId}/cdns/alpha/steering`,
    { headers, body: { mode: "drain" } });
  assert.equal(drained.status, 200, drained.text);
  assert.equal(drained.body.data.cdns.find((c) => c.name === "alpha").steering, "drain");
  assert.deepEqual((await manifest(serverUri))["PATHWAY-PRIORITY"], ["beta", "origin"]);
  const drainedMaster = await (await fetch(`${origin}/hls/${key}/master.m3u8`)).text();
  assert.ok(!drainedMaster.includes('PATHWAY-ID="alpha"'), "a drained CDN is not offered");
  assert.deepEqual(await sources(), ["origin", "beta", "alpha"]);

  const pinned = await api(server, "PUT", `/api/v1/admin/media-servers/${serverId}/cdns/alpha/steering`,
    { headers, body: { mode: "pin" } });
  assert.equal(pinned.status, 200, pinned.text);
  assert.deepEqual((await manifest(serverUri))["PATHWAY-PRIORITY"], ["alpha", "beta", "origin"]);
  assert.deepEqual(await sources(), ["origin", "alpha", "beta"]);
  const listed = await api(server, "GET", "/api/v1/admin/media-servers", { headers });
  const alpha = listed.body.data.find((s) => s.id === serverId).cdns.find((c) => c.name === "alpha");
  assert.equal(alpha.steering, "pin");
  assert.equal(alpha.health.rank, 1);

  const bad = await api(server, "PUT", `/api/v1/admin/media-servers/${serverId}/cdns/alpha/steering`,
    { headers, body: { mode: "sometimes" } });
  assert.equal(bad.status, 400);
  const unknown = await api(server, "PUT", `/api/v1/admin/media-servers/${serverId}/cdns/nope/steering`,
    { headers, body: { mode: "pin" } });
  assert.equal(unknown.status, 404);

  // The CLI, on the same store: applied within a probe interval.
  const viaCli = await cli(["media-server", "cdn", "--id", serverId, "--cdn", "beta", "--mode", "drain", ...server.storeArgs, "--json"]);
  assert.equal(viaCli.code, 0, viaCli.stderr);
  assert.equal(JSON.parse(viaCli.stdout).cdns.find((c) => c.name === "beta").steering, "drain");
  await waitFor(async () => JSON.stringify((await manifest(serverUri))["PATHWAY-PRIORITY"]) === '["alpha","origin"]',
    { timeoutMs: 10000, what: "beta drained by the CLI" });
  const badCli = await cli(["media-server", "cdn", "--id", serverId, "--cdn", "beta", "--mode", "later", ...server.storeArgs]);
  assert.notEqual(badCli.code, 0);
  assert.match(badCli.stderr, /--mode must be auto, pin or drain/);
});

// A `--role media` node steers by what the API tier measures: its pathways and
// their order arrive with each heartbeat answer.
test("a media node's masters and manifest follow the API tier's probes", { timeout: 180000 }, async (t) => {
  const apiServer = await startServer({ args: ["--role", "api"],
    env: { LUNARSTREAM_STEERING_PROBE_INTERVAL_MS: "250", LUNARSTREAM_STEERING_TTL_SECONDS: "2" } });
  t.after(() => apiServer.stop());
  const [http, rtmp, edgePort] = [await deadPort(), await deadPort(), await deadPort()];
  const added = await cli(["node", "add", "--name", "media-1", "--rtmp-url", `rtmp://127.0.0.1:${rtmp}/live`,
    "--hls-url", `http://127.0.0.1:${http}`, "--cdn", `edge=http://127.0.0.1:${edgePort}`, ...apiServer.storeArgs, "--json"]);
  assert.equal(added.code, 0, added.stderr);
  const info = JSON.parse(added.stdout);
  const proc = spawn(BIN, ["serve", "--role", "media", "--log-level", "warn", "--control-url", apiServer.api,
    "--node-id", info.id, "--node-secret", info.secret, "--http", `127.0.0.1:${http}`, "--rtmp", `127.0.0.1:${rtmp}`],
  { env: { ...process.env, LUNARSTREAM_NODE_HEARTBEAT_INTERVAL_MS: "300", LUNARSTREAM_ABR_ENABLED: "false" },
    stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise((resolve) => proc.on("exit", resolve));
  t.after(async () => { if (proc.exitCode === null) { proc.kill("SIGTERM"); await exited; } });
  let out = "";
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node not ready: ${out}`)), 20000);
    proc.stdout.on("data", (c) => { out += c; if (/LunarStream ready/.test(out)) { clearTimeout(timer); resolve(); } });
  });
  let edge = await startCachingProxy({ port: edgePort, originPort: http });
  t.after(() => edge.kill());

  const made = JSON.parse((await cli(["project", "create", "--name", "nodes", ...apiServer.storeArgs, "--json"])).stdout);
  const created = await api(apiServer, "POST", "/api/v1/livestream",
    { key: made.apiKey, body: { name: "on-node", projectId: made.projectId, mediaServerId: info.id } });
  assert.equal(created.status, 201, created.text);
  const stream = created.body.data;
  const publisher = ffmpegPublish(`${stream.rtmpServer}/${stream.streamKeyWithParams}`, { seconds: 120 });
  t.after(() => publisher.kill("SIGKILL"));

  const origin = `http://127.0.0.1:${http}`;
  const serverUri = `${origin}/hls/${stream.streamKey}/steering.json`;
  const priority = async () => {
    const r = await fetch(serverUri);
    return r.status === 200 ? (await r.json())["PATHWAY-PRIORITY"].join() : `HTTP ${r.status}`;
  };
  await waitFor(async () => (await priority()) === "edge,origin", { timeoutMs: 30000, what: "the node steering to its CDN" });
  const master = await (await fetch(`${edge.base}/hls/${stream.streamKey}/master.m3u8`)).text();
  assert.ok(master.includes(`#EXT-X-CONTENT-STEERING:SERVER-URI="${serverUri}",PATHWAY-ID="edge"`), master);
  assert.ok(master.includes(`${edge.base}/hls/${stream.streamKey}/original/index.m3u8`), master);

  await edge.kill();
  await waitFor(async () => (await priority()) === "origin,edge", { timeoutMs: 15000, what: "the dead CDN behind the node's origin" });
  const info2 = (await api(apiServer, "GET", `/api/v1/livestreams/stream-info/${stream.streamKey}`)).body.data;
  assert.deepEqual(info2.hlsSources.map((x) => x.name), ["origin", "edge"]);
  edge = await startCachingProxy({ port: edgePort, originPort: http });
  await waitFor(async () => (await priority()) === "edge,origin", { timeoutMs: 15000, what: "the CDN back ahead of the origin" });
});
