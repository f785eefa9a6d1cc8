// External ZLMediaKit nodes as managed nodes (issue: external media servers
// that really work): a fake node (lib/fake_node.js) sends the hook calls and
// answers the API calls a real ZLMediaKit does, and LunarStream must keep
// every stream's status true through publishes, lost hooks, crashes,
// restarts of either side and deletes.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { startServer, api, cli } = require("./lib/server");
const { NODE_ENV, addMediaServer, eventually, statusOf, serverView, useNodeServer } = require("./lib/external");

const ctx = useNodeServer("ZLMEDIAKIT", "zlm");
const node = (name, options) => ctx.node(name, options);

// What the server has logged so far (spdlog writes to stdout).
const logOf = (s) => s.stdout + s.stderr;
const publishOf = (stream) => ({ stream: stream.streamKey, params: `pushToken=${stream.pushToken}` });

test("playback URLs are what a ZLMediaKit node serves, on its origin and CDNs, and a template changes them", async () => {
  const zlm = await addMediaServer(ctx.server, "ZLMEDIAKIT", "urls", ["--cdn", "bunny=https://b.example,gcore=https://g.example"]);
  const stream = await ctx.streamOn(zlm.id);
  const key = stream.streamKey;
  assert.deepEqual(stream.hlsSources, [
    { name: "original", url: `http://urls.example:8080/live/${key}/hls.m3u8` },
    { name: "bunny", url: `https://b.example/live/${key}/hls.m3u8` },
    { name: "gcore", url: `https://g.example/live/${key}/hls.m3u8` },
  ]);
  assert.deepEqual(stream.hlsPaths, stream.hlsSources.map((s) => s.url));
  assert.equal(stream.rtmpUrl, `rtmp://urls.example/live/${key}?pushToken=${stream.pushToken}`);
  const u = await cli(["media-server", "update", "--id", zlm.id, "--hls-path-template", "hls/{app}/{streamKey}.m3u8",
    ...ctx.server.storeArgs]);
  assert.equal(u.code, 0, u.stderr);
  const info = (await api(ctx.server, "GET", `/api/v1/livestreams/stream-info/${key}`)).body.data;
  assert.equal(info.hlsSources[0].url, `http://urls.example:8080/hls/live/${key}.m3u8`);
  assert.equal(info.hlsSources[2].url, `https://g.example/hls/live/${key}.m3u8`);
  const bad = await cli(["media-server", "update", "--id", zlm.id, "--hls-path-template", "../{streamKey}", ...ctx.server.storeArgs]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /'\.\.' segments/);
});

test("publish, registrations in any order, and only the publish's own registration ending ends the stream", async () => {
  const { node: zlm, registered } = await node("order", { nodeOptions: { shuffle: true } });
  const stream = await ctx.streamOn(registered.id);
  const first = await zlm.publish(publishOf(stream));
  assert.equal(first.allowed, true, JSON.stringify(first.answer));
  assert.equal(await statusOf(ctx.server, stream.streamKey), "STARTED");
  await zlm.waitForHook((h) => h.name === "on_stream_changed" && h.body.schema === "hls" && h.body.regist === true);
  // A stale report (lower hook_index than the publish) of the RTMP registration means nothing.
  const pub = (await zlm.hookLog()).find((h) => h.name === "on_publish");
  const stale = await api(ctx.server, "POST", `/api/v1/hooks/zlmediakit/on_stream_changed?secret=${registered.hookSecret}`,
    { body: { regist: false, schema: "rtmp", app: "live", stream: stream.streamKey, vhost: "__defaultVhost__", mediaServerId: "order",
              hook_index: pub.hookIndex - 1 } });
  assert.equal(stale.body.code, 0);
  assert.equal(await statusOf(ctx.server, stream.streamKey), "STARTED");
  // Every muxer but the RTMP source goes: the publish is still on.
  await zlm.unpublish(stream.streamKey, { lose: ["rtmp"] });
  await zlm.waitForHook((h) => h.name === "on_stream_changed" && h.body.schema === "ts" && h.body.regist === false);
  assert.equal(await statusOf(ctx.server, stream.streamKey), "STARTED");
  // The node's API no longer lists it: the poller ends it (the RTMP end hook was lost).
  await eventually(async () => (await statusOf(ctx.server, stream.streamKey)) === "ENDED", "ENDED by reconciliation");
  // Republishing works at once.
  assert.equal((await zlm.publish(publishOf(stream))).allowed, true);
  assert.equal(await statusOf(ctx.server, stream.streamKey), "STARTED");
  await zlm.unpublish(stream.streamKey);
  await eventually(async () => (await statusOf(ctx.server, stream.streamKey)) === "ENDED", "ENDED by on_stream_changed");
});

test("a publish on the node is metered from its hooks: ingest seconds are its STARTED -> ENDED span, once", async () => {
  const { node: zlm, registered } = await node("meter", { withApi: false });
  const stream = await ctx.streamOn(registered.id);
  assert.equal((await zlm.publish(publishOf(stream))).allowed, true);
  await new Promise((r) => setTimeout(r, 1500)); // the publish's length
  await zlm.unpublish(stream.streamKey);
  await eventually(async () => (await statusOf(ctx.server, stream.streamKey)) === "ENDED", "ENDED by on_stream_changed");
  // The node logs a hook once answered: the end's entry may come a moment after the status changed.
  const published = await zlm.waitForHook((h) => h.name === "on_publish" && h.body.stream === stream.streamKey);
  const unpublished = await zlm.waitForHook((h) => h.name === "on_stream_changed" && h.body.stream === stream.streamKey &&
    h.body.schema === "rtmp" && h.body.regist === false);
  const seconds = await ctx.ingestSecondsOf(stream.id);
  assert.equal(seconds, await ctx.spanOf(stream));
  const byHooks = (unpublished.at - published.at) / 1000;
  assert.ok(Math.abs(seconds - byHooks) <= 0.5, `${seconds} s metered, ${byHooks} s between the node's hooks`);
  // The node resends the end (it got no answer in time): nothing more is counted.
  const again = await api(ctx.server, "POST", `/api/v1/hooks/zlmediakit/on_stream_changed?secret=${registered.hookSecret}`,
    { raw: unpublished.raw, headers: { "content-type": "application/json" } });
  assert.equal(again.body.code, 0, again.text);
  assert.equal(await ctx.ingestSecondsOf(stream.id), seconds);
});

test("a crashed node goes OFFLINE within its lease, its streams END, and its restart brings it back", async () => {
  const { node: zlm, registered } = await node("crash", { withApi: false });
  const stream = await ctx.streamOn(registered.id);
  assert.equal((await zlm.publish(publishOf(stream))).allowed, true);
  await zlm.waitForHook((h) => h.name === "on_server_keepalive");
  assert.equal((await serverView(ctx.server, registered.id)).status, "ONLINE");
  await zlm.crash();
  await eventually(async () => (await statusOf(ctx.server, stream.streamKey)) === "ENDED", "ENDED after the lease", 10000);
  // The stream's END and the node's OFFLINE may be seen in either order under load: wait for both.
  const availableNow = async () =>
    (await api(ctx.server, "GET", "/api/v1/media-servers/available", { key: ctx.project.apiKey })).body.data;
  await eventually(async () => (await availableNow()).find((s) => s.id === registered.id).status === "OFFLINE",
    "OFFLINE after the lease", 10000);
  const available = await availableNow();
  const view = available.find((s) => s.id === registered.id);
  assert.equal(view.status, "OFFLINE");
  assert.equal(view.liveStreams, 0);
  assert.ok(available.indexOf(view) > available.findIndex((s) => s.status === "ONLINE"), "ONLINE servers come first");
  const lines = logOf(ctx.server).split("\n").filter((l) => l.includes(registered.id) && l.includes("OFFLINE"));
  assert.equal(lines.length, 1, lines.join("\n"));
  assert.match(lines[0], /nothing heard from it for \d+ s \(lease 3 s\); 1 live stream\(s\) ENDED/);
  // Its publish is metered up to the moment the lease ended it.
  const crashedSpan = await ctx.spanOf(stream);
  assert.equal(await ctx.ingestSecondsOf(stream.id), crashedSpan);
  const refused = await api(ctx.server, "POST", "/api/v1/livestream", { key: ctx.project.apiKey, body: { name: "x", projectId: ctx.project.projectId, mediaServerId: registered.id } });
  assert.equal(refused.status, 409);
  assert.match(refused.body.message, /OFFLINE/);
  // Back: on_server_started, ONLINE, and the key publishes at once.
  await zlm.restart();
  await zlm.waitForHook((h) => h.name === "on_server_started" && h.run === 2);
  assert.equal((await serverView(ctx.server, registered.id)).status, "ONLINE");
  assert.equal((await zlm.publish(publishOf(stream))).allowed, true);
  assert.equal(await statusOf(ctx.server, stream.streamKey), "STARTED");
  // A restart that LunarStream hears about ends what the node had.
  await zlm.crash();
  await zlm.restart();
  await eventually(async () => (await statusOf(ctx.server, stream.streamKey)) === "ENDED", "ENDED by on_server_started");
  // The second publish is metered up to the restart that ended it, added to the first.
  const total = await ctx.ingestSecondsOf(stream.id);
  assert.ok(Math.abs(total - (crashedSpan + (await ctx.spanOf(stream)))) < 0.0005, `${total} s`);
});

test("a node that exits cleanly is OFFLINE at once", async () => {
  const { node: zlm, registered } = await node("exit", { withApi: false });
  const stream = await ctx.streamOn(registered.id);
  assert.equal((await zlm.publish(publishOf(stream))).allowed, true);
  // The publish's registrations answered first: a contact processed after the exit would bring the node back.
  await eventually(async () => (await zlm.hookLog()).filter((h) => h.name === "on_stream_changed" && h.body.regist === true &&
    h.body.stream === stream.streamKey).length >= 4, "the publish's registrations");
  await zlm.stop();
  // Within 2 s, before its 3 s lease could lapse: the exit hook did it (the
  // node exits without waiting for the answer, so the check waits a moment).
  await eventually(async () => (await statusOf(ctx.server, stream.streamKey)) === "ENDED", "ENDED by on_server_exited", 2000);
  assert.equal((await serverView(ctx.server, registered.id)).status, "OFFLINE");
  assert.equal(await ctx.ingestSecondsOf(stream.id), await ctx.spanOf(stream));
});

test("deleting a livestream cuts its publisher on the node through close_streams", async () => {
  const { node: zlm, registered } = await node("cut");
  const stream = await ctx.streamOn(registered.id);
  assert.equal((await zlm.publish(publishOf(stream))).allowed, true);
  const started = Date.now();
  const del = await api(ctx.server, "DELETE", `/api/v1/livestream/${stream.id}`, { key: ctx.project.apiKey });
  assert.equal(del.status, 200);
  assert.deepEqual(del.body.data, { id: stream.id, publisherCut: true });
  assert.ok(Date.now() - started < 2000);
  const close = (await zlm.apiLog()).find((c) => c.path === "/index/api/close_streams");
  assert.ok(close, "close_streams was called");
  assert.equal(close.query.stream, stream.streamKey);
  assert.equal(close.query.force, "1");
  assert.equal(close.query.secret, "api-cut");
  assert.deepEqual(await zlm.live(), []);
});

test("without a node API the delete says the publisher could not be cut, and the key's next publish is refused", async () => {
  const { node: zlm, registered } = await node("nocut", { withApi: false });
  const stream = await ctx.streamOn(registered.id);
  assert.equal((await zlm.publish(publishOf(stream))).allowed, true);
  const del = await api(ctx.server, "DELETE", `/api/v1/livestream/${stream.id}`, { key: ctx.project.apiKey });
  assert.equal(del.status, 200);
  assert.equal(del.body.data.publisherCut, false);
  assert.match(del.body.data.publisherCutError, /no API configured/);
  await zlm.unpublish(stream.streamKey);
  const again = await zlm.publish(publishOf(stream));
  assert.equal(again.allowed, false);
  assert.match(again.answer.msg, /unknown stream key/);
});

test("the poller reconciles both ways and keeps going when a node's API is slow or failing", async () => {
  const { node: zlm, registered } = await node("recon");
  const stream = await ctx.streamOn(registered.id);
  assert.equal((await zlm.publish(publishOf(stream))).allowed, true);
  // A forged end report: LunarStream thinks ENDED while the node still has it.
  await api(ctx.server, "POST", `/api/v1/hooks/zlmediakit/on_stream_changed?secret=${registered.hookSecret}`,
    { body: { regist: false, schema: "rtmp", app: "live", stream: stream.streamKey } });
  assert.equal(await statusOf(ctx.server, stream.streamKey), "ENDED");
  await eventually(async () => (await statusOf(ctx.server, stream.streamKey)) === "STARTED", "STARTED again by the poller");
  // A failing API: logged once, no flapping; the keepalives still hold the lease.
  await zlm.setApi({ fail: "code-1" });
  await eventually(() => logOf(ctx.server).includes(`(${registered.id}): its API cannot be polled`), "the poll failure logged");
  await new Promise((r) => setTimeout(r, 2500));
  assert.equal(logOf(ctx.server).split(`(${registered.id}): its API cannot be polled`).length - 1, 1);
  assert.equal(await statusOf(ctx.server, stream.streamKey), "STARTED");
  assert.equal((await serverView(ctx.server, registered.id)).status, "ONLINE");
  // A slow API (beyond the 3 s budget) fails the same way.
  await zlm.setApi({ delayMs: 5000 });
  await eventually(() => new RegExp(`\\(${registered.id}\\): its API cannot be polled: .*timed out`).test(logOf(ctx.server)),
    "the slow poll logged", 20000);
  await zlm.setApi({});
  await eventually(() => logOf(ctx.server).includes(`(${registered.id}): its API answers again`), "the recovery logged");
  // Deleted while the API refused: the publisher stays on the node until a poll finds an unknown key, and cuts it.
  await zlm.setApi({ fail: "refuse" });
  const del = await api(ctx.server, "DELETE", `/api/v1/livestream/${stream.id}`, { key: ctx.project.apiKey });
  assert.equal(del.body.data.publisherCut, false);
  assert.match(del.body.data.publisherCutError, /could not be cut/);
  await zlm.setApi({});
  await eventually(async () => (await zlm.live()).length === 0, "the unknown key cut by the poller");
});

test("hook calls without a secret work from a listed address (the seed's push-auth) and are refused elsewhere, logged without secrets", async () => {
  const { node: seed, registered } = await node("seed", { withApi: false, secretless: true, hookPath: "/api/v1/push-auth",
                                                             extra: ["--hook-allow", "127.0.0.1/32,10.0.0.0/8"] });
  const stream = await ctx.streamOn(registered.id);
  assert.equal((await seed.publish(publishOf(stream))).allowed, true);
  assert.equal(await statusOf(ctx.server, stream.streamKey), "STARTED");
  const { node: other, registered: unlisted } = await node("unlisted", { withApi: false, secretless: true });
  const theirs = await ctx.streamOn(unlisted.id);
  // From 127.0.0.1 without a secret, the call belongs to the listed node, whose token this is not.
  const refused = await other.publish(publishOf(theirs));
  assert.equal(refused.allowed, false);
  assert.match(refused.answer.msg, /another media server|push token/);
  // A wrong secret is refused even from a listed address, and logged without it.
  const wrong = await api(ctx.server, "POST", "/api/v1/push-auth?secret=ls_hook_not_this_one", { body: { app: "live", stream: stream.streamKey } });
  assert.deepEqual(wrong.body, { code: -1, msg: "invalid hook secret" });
  const line = logOf(ctx.server).split("\n").find((l) => l.includes("/api/v1/push-auth from 127.0.0.1 refused: invalid hook secret"));
  assert.ok(line, logOf(ctx.server).slice(-2000));
  assert.ok(!logOf(ctx.server).includes("ls_hook_not_this_one"));
  assert.ok(!logOf(ctx.server).includes(stream.pushToken));
});

test("not_found and none_reader are answered so players and broadcasts behave", async () => {
  const { node: zlm, registered } = await node("readers", { withApi: false });
  const stream = await ctx.streamOn(registered.id);
  assert.deepEqual((await zlm.notFound(stream.streamKey)).answer, { code: 0, msg: "success", close: true });
  assert.equal((await zlm.publish(publishOf(stream))).allowed, true);
  assert.equal((await zlm.notFound(stream.streamKey)).answer.close, false);
  assert.equal((await zlm.noneReader(stream.streamKey)).answer.close, false);
});

test("a LunarStream restart leaves no stream of a silent node STARTED", async () => {
  const { dataDir, databaseUrl: database } = ctx.server;
  const { node: zlm, registered } = await node("restart", { withApi: false });
  const stream = await ctx.streamOn(registered.id);
  assert.equal((await zlm.publish(publishOf(stream))).allowed, true);
  await zlm.waitForHook((h) => h.name === "on_server_keepalive");
  await zlm.crash();
  await ctx.server.stop();
  await new Promise((r) => setTimeout(r, 3500));
  ctx.server = await startServer({ env: NODE_ENV, logLevel: "info", dataDir, database });
  assert.equal(await statusOf(ctx.server, stream.streamKey), "ENDED");
  assert.match(logOf(ctx.server), new RegExp(`\\(${registered.id}\\) is OFFLINE: nothing heard from it`));
});
