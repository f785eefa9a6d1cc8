// External MediaMTX nodes as managed nodes: its HTTP auth hook gates
// publishes with the push token and lets LunarStream's own Control API calls
// through, its ready/not-ready commands drive STARTED/ENDED, and its Control
// API (polled, and used to kick publishers) holds its lease. Driven by a fake
// node (lib/fake_node.js) that sends what a real MediaMTX sends.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { api, cli } = require("./lib/server");
const { NODE_ENV, addMediaServer, eventually, statusOf, serverView, useNodeServer } = require("./lib/external");

const ctx = useNodeServer("MEDIAMTX", "mtx");
const node = (name, options) => ctx.node(name, options);

const pathOf = (stream) => `live/${stream.streamKey}`;

test("playback URLs point at MediaMTX's HLS muxer on the origin and each CDN", async () => {
  const mtx = await addMediaServer(ctx.server, "MEDIAMTX", "mtxurls", ["--cdn", "bunny=https://b.example"]);
  const stream = await ctx.streamOn(mtx.id);
  assert.deepEqual(stream.hlsSources, [
    { name: "origin", url: `http://mtxurls.example:8080/live/${stream.streamKey}/index.m3u8` },
    { name: "bunny", url: `https://b.example/live/${stream.streamKey}/index.m3u8` },
  ]);
});

test("auth gates publishes by token, allows reads, and ready / not-ready drive the status", async () => {
  const { node: mtx, registered } = await node("gate");
  const stream = await ctx.streamOn(registered.id);
  assert.equal((await mtx.read({ path: pathOf(stream) })).allowed, true, "reads are allowed");
  const bad = await mtx.publish({ path: pathOf(stream), query: "pushToken=not.a.token" });
  assert.equal(bad.allowed, false);
  assert.equal(bad.status, 401);
  assert.equal(await statusOf(ctx.server, stream.streamKey), "READY_FOR_USE");
  const good = await mtx.publish({ path: pathOf(stream), query: `pushToken=${stream.pushToken}` });
  assert.equal(good.allowed, true);
  await mtx.waitForHook((h) => h.name === "ready");
  assert.equal(await statusOf(ctx.server, stream.streamKey), "STARTED");
  // LunarStream's own polls reach the Control API through the same auth hook (action "api").
  await eventually(async () => (await mtx.apiLog()).some((c) => c.path === "/v3/paths/list"), "a poll");
  const poll = (await mtx.apiLog()).find((c) => c.path === "/v3/paths/list");
  assert.equal(poll.auth, "Basic " + Buffer.from("lunarstream:api-gate").toString("base64"));
  await eventually(async () => (await serverView(ctx.server, registered.id)).status === "ONLINE", "ONLINE through its API");
  await mtx.unpublish(pathOf(stream));
  await mtx.waitForHook((h) => h.name === "notReady");
  assert.equal(await statusOf(ctx.server, stream.streamKey), "ENDED");
  // Metered from the lifecycle: ingest seconds are the STARTED -> ENDED span,
  // within half a second of the node's auth (publish) and not-ready calls.
  const log = await mtx.hookLog();
  const authorized = log.find((h) => h.name === "auth" && h.body.action === "publish" && h.status >= 200 && h.status < 300);
  const notReady = log.find((h) => h.name === "notReady");
  assert.ok(authorized && notReady, JSON.stringify(log.map((h) => [h.name, h.status])));
  const seconds = await ctx.ingestSecondsOf(stream.id);
  assert.equal(seconds, await ctx.spanOf(stream));
  assert.ok(seconds > 0 && Math.abs(seconds - (notReady.at - authorized.at) / 1000) <= 0.5,
    `${seconds} s metered, ${(notReady.at - authorized.at) / 1000} s between the node's calls`);
});

test("the api action is allowed only with LunarStream's credentials, and refusals are logged once without secrets", async () => {
  const { registered } = await node("apiauth", { withApi: true });
  const auth = (user, password, action = "api") => api(ctx.server, "POST", `/api/v1/hooks/mediamtx/auth?secret=${registered.hookSecret}`,
    { body: { user, password, token: password, ip: "127.0.0.1", action, path: "", protocol: "", id: null, query: "", userAgent: "curl" } });
  assert.equal((await auth("lunarstream", "api-apiauth")).status, 204);
  assert.equal((await auth("lunarstream", "guess-me")).status, 401);
  assert.equal((await auth("admin", "api-apiauth")).status, 401);
  assert.equal((await auth("lunarstream", "api-apiauth", "metrics")).status, 204);
  assert.equal((await auth("", "", "pprof")).status, 401);
  const logs = ctx.server.stdout + ctx.server.stderr;
  assert.match(logs, /hook \/api\/v1\/hooks\/mediamtx\/auth from 127\.0\.0\.1 \(MEDIAMTX apiauth\) refused: the api action is allowed only/);
  assert.ok(!logs.includes("guess-me") && !logs.includes(registered.hookSecret));
});

test("deleting a livestream kicks its publisher through the Control API", async () => {
  const { node: mtx, registered } = await node("kick");
  const stream = await ctx.streamOn(registered.id);
  const pub = await mtx.publish({ path: pathOf(stream), query: `pushToken=${stream.pushToken}` });
  assert.equal(pub.allowed, true);
  await mtx.waitForHook((h) => h.name === "ready");
  const del = await api(ctx.server, "DELETE", `/api/v1/livestream/${stream.id}`, { key: ctx.project.apiKey });
  assert.deepEqual(del.body.data, { id: stream.id, publisherCut: true });
  const kick = (await mtx.apiLog()).find((c) => c.method === "POST" && c.path.startsWith("/v3/rtmpconns/kick/"));
  assert.ok(kick, "kick was called");
  assert.equal(kick.path, `/v3/rtmpconns/kick/${pub.id}`);
  assert.deepEqual(await mtx.live(), []);
});

test("a lost not-ready is found by the poller, and a node whose API stops answering goes OFFLINE", async () => {
  const { node: mtx, registered } = await node("lost", { dropHooks: ["notReady"] });
  const stream = await ctx.streamOn(registered.id);
  assert.equal((await mtx.publish({ path: pathOf(stream), query: `pushToken=${stream.pushToken}` })).allowed, true);
  await mtx.waitForHook((h) => h.name === "ready");
  await mtx.unpublish(pathOf(stream));
  await eventually(async () => (await statusOf(ctx.server, stream.streamKey)) === "ENDED", "ENDED by the poller");
  // Published again, then the node dies: its lease (held by polls only) lapses.
  const again = await api(ctx.server, "POST", "/api/v1/livestream/generate-push-token", { key: ctx.project.apiKey, body: { id: stream.id } });
  assert.equal((await mtx.publish({ path: pathOf(stream), query: `pushToken=${again.body.data.pushToken}` })).allowed, true);
  assert.equal(await statusOf(ctx.server, stream.streamKey), "STARTED");
  await mtx.crash();
  await eventually(async () => (await statusOf(ctx.server, stream.streamKey)) === "ENDED", "ENDED when the lease lapsed", 10000);
  assert.equal((await serverView(ctx.server, registered.id)).status, "OFFLINE");
});

test("servers assigned to projects are available to those projects only, ONLINE first", async () => {
  const other = JSON.parse((await cli(["project", "create", "--name", "mtx-other", ...ctx.server.storeArgs, "--json"])).stdout);
  const mine = await addMediaServer(ctx.server, "MEDIAMTX", "mine", ["--project", ctx.project.projectId]);
  const list = async (key) => (await api(ctx.server, "GET", "/api/v1/media-servers/available", { key })).body.data;
  const forMe = await list(ctx.project.apiKey);
  const forOther = await list(other.apiKey);
  assert.ok(forMe.some((s) => s.id === mine.id));
  assert.ok(!forOther.some((s) => s.id === mine.id));
  const view = forMe.find((s) => s.id === mine.id);
  assert.equal(view.status, "UNKNOWN");
  assert.equal(view.lastSeenAt, null);
  assert.equal(view.liveStreams, 0);
  assert.equal(view.hlsPathTemplate, "{app}/{streamKey}/index.m3u8");
  assert.equal(view.apiSecret, undefined);
  const rank = { ONLINE: 0, UNKNOWN: 1, OFFLINE: 2 };
  for (let i = 1; i < forMe.length; i++) assert.ok(rank[forMe[i - 1].status] <= rank[forMe[i].status], JSON.stringify(forMe));
  assert.equal((await ctx.createOn(mine.id, other.apiKey, other.projectId)).status, 404);
  assert.equal((await ctx.createOn(mine.id)).status, 201);
});
