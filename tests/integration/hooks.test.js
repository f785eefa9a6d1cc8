// External media servers through their hooks (SPEC §4): ZLMediaKit's
// on_publish / on_stream_changed and MediaMTX's HTTP auth and ready hooks,
// called with the payloads those servers send.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { startServer, api, cli } = require("./lib/server");

let server;
let project;
const servers = {};

test.before(async () => {
  server = await startServer();
  project = JSON.parse((await cli(["project", "create", "--name", "hooks", ...server.storeArgs, "--json"])).stdout);
  for (const type of ["ZLMEDIAKIT", "MEDIAMTX"]) {
    const r = await cli(["media-server", "add", "--type", type, "--name", type.toLowerCase(), "--rtmp-url", `rtmp://${type.toLowerCase()}.example/live`,
      "--hls-url", `https://${type.toLowerCase()}.example`, ...server.storeArgs, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    servers[type] = JSON.parse(r.stdout);
  }
});

test.after(() => server.stop());

async function streamOn(type) {
  const r = await api(server, "POST", "/api/v1/livestream", { key: project.apiKey, body: { name: type, projectId: project.projectId, mediaServerId: servers[type].id } });
  assert.equal(r.status, 201);
  return r.body.data;
}
const statusOf = async (s) => (await api(server, "GET", `/api/v1/livestreams/stream-info/${s.streamKey}`)).body.data.status;
const post = (path, body, secret) => api(server, "POST", `${path}${secret ? `?secret=${encodeURIComponent(secret)}` : ""}`, { body });

function zlmPublish(stream, token) {
  return { mediaServerId: "your_server_id", app: "live", stream: stream.streamKey, params: `pushToken=${token}`, ip: "198.51.100.7",
    port: 55123, id: "140234", schema: "rtmp", vhost: "__defaultVhost__", originType: 1, originTypeStr: "rtmp_push" };
}

test("ZLMediaKit on_publish accepts the current token and on_stream_changed ends the stream", async () => {
  const stream = await streamOn("ZLMEDIAKIT");
  const secret = servers.ZLMEDIAKIT.hookSecret;
  const ok = await post("/api/v1/hooks/zlmediakit/on_publish", zlmPublish(stream, stream.pushToken), secret);
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.body, { code: 0, msg: "success" });
  assert.equal(await statusOf(stream), "STARTED");
  // A publisher that dropped may resume within ZLMediaKit's continue_push_ms;
  // the node itself refuses a real second publisher of a stream it has.
  const second = await post("/api/v1/push-auth", zlmPublish(stream, stream.pushToken), secret);
  assert.deepEqual(second.body, { code: 0, msg: "success" });
  // Other protocol muxers come and go without ending the publish.
  await post("/api/v1/hooks/zlmediakit/on_stream_changed", { regist: false, app: "live", stream: stream.streamKey, schema: "hls" }, secret);
  assert.equal(await statusOf(stream), "STARTED");
  const gone = await post("/api/v1/hooks/zlmediakit/on_stream_changed", { regist: false, app: "live", stream: stream.streamKey, schema: "rtmp", vhost: "__defaultVhost__" }, secret);
  assert.deepEqual(gone.body, { code: 0, msg: "success" });
  assert.equal(await statusOf(stream), "ENDED");
});

test("ZLMediaKit refusals carry a readable reason", async () => {
  const stream = await streamOn("ZLMEDIAKIT");
  const secret = servers.ZLMEDIAKIT.hookSecret;
  const missing = await post("/api/v1/hooks/zlmediakit/on_publish", { ...zlmPublish(stream, ""), params: "" }, secret);
  assert.equal(missing.status, 200);
  assert.equal(missing.body.code, -1);
  assert.match(missing.body.msg, /push token missing/);
  const tampered = stream.pushToken.slice(0, -3) + (stream.pushToken.endsWith("AAA") ? "BBB" : "AAA");
  assert.equal((await post("/api/v1/hooks/zlmediakit/on_publish", zlmPublish(stream, tampered), secret)).body.code, -1);
  // A token for a stream of another media server is refused on this one.
  const mtxStream = await streamOn("MEDIAMTX");
  const foreign = await post("/api/v1/hooks/zlmediakit/on_publish", zlmPublish(mtxStream, mtxStream.pushToken), secret);
  assert.equal(foreign.body.code, -1);
  assert.equal(await statusOf(stream), "READY_FOR_USE");
});

test("hook calls need the media server's own secret", async () => {
  const stream = await streamOn("ZLMEDIAKIT");
  // ZLMediaKit retries every answer that is not 200 with an integer code, so
  // refusals (a missing secret too) are 200 {"code":-1,...}.
  const none = await post("/api/v1/hooks/zlmediakit/on_publish", zlmPublish(stream, stream.pushToken));
  assert.equal(none.status, 200);
  assert.equal(none.body.code, -1);
  assert.match(none.body.msg, /secret missing/);
  const wrong = await post("/api/v1/hooks/zlmediakit/on_publish", zlmPublish(stream, stream.pushToken), "ls_hook_nope");
  assert.deepEqual(wrong.body, { code: -1, msg: "invalid hook secret" });
  const otherType = await post("/api/v1/hooks/zlmediakit/on_publish", zlmPublish(stream, stream.pushToken), servers.MEDIAMTX.hookSecret);
  assert.equal(otherType.body.code, -1);
  assert.match(otherType.body.msg, /for ZLMEDIAKIT media servers/);
  const mtxNone = await post("/api/v1/hooks/mediamtx/auth", { action: "read", path: `live/${stream.streamKey}` });
  assert.equal(mtxNone.status, 401, "MediaMTX reads a 401 as a refusal and does not retry");
  const header = await api(server, "POST", "/api/v1/hooks/zlmediakit/on_publish", { body: zlmPublish(stream, stream.pushToken), headers: { "ls-hook-secret": servers.ZLMEDIAKIT.hookSecret } });
  assert.equal(header.body.code, 0, "the secret may come in a header too");
  const garbage = await api(server, "POST", `/api/v1/hooks/zlmediakit/on_publish?secret=${servers.ZLMEDIAKIT.hookSecret}`, { raw: "{nope", headers: { "content-type": "application/json" } });
  assert.equal(garbage.status, 400);
  assert.equal(await statusOf(stream), "STARTED");
});

test("MediaMTX HTTP auth allows reads, checks publishes, and not-ready ends the stream", async () => {
  const stream = await streamOn("MEDIAMTX");
  const secret = servers.MEDIAMTX.hookSecret;
  const body = (action, query) => ({ user: "", password: "", token: "", ip: "198.51.100.9", action, path: `live/${stream.streamKey}`,
    protocol: "rtmp", id: "6f1e9c3e-1b2a-4d0c-9a51-1f0c2b3d4e5f", query });
  assert.equal((await post("/api/v1/hooks/mediamtx/auth", body("read", ""), secret)).status, 204);
  const denied = await post("/api/v1/hooks/mediamtx/auth", body("publish", "pushToken=not.a.token"), secret);
  assert.equal(denied.status, 401);
  assert.equal(await statusOf(stream), "READY_FOR_USE");
  const allowed = await post("/api/v1/hooks/mediamtx/auth", body("publish", `pushToken=${stream.pushToken}`), secret);
  assert.equal(allowed.status, 204);
  assert.equal(await statusOf(stream), "STARTED");
  assert.equal((await post("/api/v1/hooks/mediamtx/ready", { path: `live/${stream.streamKey}` }, secret)).status, 204);
  // runOnNotReady as a curl command passes the path in the query.
  const r = await fetch(server.url(`/api/v1/hooks/mediamtx/not-ready?secret=${secret}&path=live/${stream.streamKey}`), { method: "POST" });
  assert.equal(r.status, 204);
  assert.equal(await statusOf(stream), "ENDED");
});
