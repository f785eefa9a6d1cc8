// The media plane with real clients: ffmpeg and GStreamer publish RTMP with
// the token from the API; ffprobe reads the HLS that the API points at.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { startServer, api, cli, partnerProject } = require("./lib/server");
const { ffmpegPublish, gstPublish, ffprobe, waitFor } = require("./lib/media");

let server;
let key;
let projectId;
let project;
let newStream;

// The server's signing key, known to the test so it can sign an expired
// token (imported on first start, as an upgrade from a key file would be).
const signingKeyPem = require("node:crypto").generateKeyPairSync("rsa", { modulusLength: 2048 })
  .privateKey.export({ type: "pkcs8", format: "pem" });

test.before(async () => {
  server = await startServer({ logLevel: "info", legacyKeyPem: signingKeyPem });
  project = await partnerProject(server, "media");
  ({ key, projectId, newStream } = project);
});

test.after(async () => {
  assert.equal((await server.stop()).code, 0);
});

const info = async (s) => (await api(server, "GET", `/api/v1/livestreams/stream-info/${s.streamKey}`)).body.data;
const statusOf = async (s) => (await info(s)).status;
const publishUrl = (s) => `${s.rtmpServer}/${s.streamKeyWithParams}`;
async function text(url) {
  const r = await fetch(url);
  return { status: r.status, body: await r.text(), headers: r.headers };
}
const mediaSequence = (playlist) => Number((playlist.match(/#EXT-X-MEDIA-SEQUENCE:(\d+)/) || [])[1]);

async function checkLiveThenEnded(stream, publisher, publisherName) {
  await waitFor(async () => (await statusOf(stream)) === "STARTED", { what: `${publisherName} STARTED`, timeoutMs: 15000 });
  const started = await info(stream);
  assert.match(started.startedAt, /Z$/);
  assert.equal(started.endedAt, null);

  const master = stream.hlsSources[0].url;
  const live = `${server.api}/live/${stream.streamKey}/hls.m3u8`;
  await waitFor(async () => (await text(live)).status === 200, { what: "first playlist", timeoutMs: 15000 });
  const m = await text(master);
  assert.equal(m.status, 200);
  assert.equal(m.headers.get("content-type"), "application/vnd.apple.mpegurl");
  assert.equal(m.headers.get("access-control-allow-origin"), "*");
  assert.match(m.body, /#EXT-X-STREAM-INF:.*RESOLUTION=640x360/);
  assert.match(m.body, /CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2"/);

  const streams = await ffprobe(master);
  const v = streams.find((s) => s.codec_type === "video");
  const a = streams.find((s) => s.codec_type === "audio");
  assert.equal(v.codec_name, "h264");
  assert.equal(v.width, 640);
  assert.equal(v.height, 360);
  assert.equal(a.codec_name, "aac");

  const first = await text(live);
  assert.match(first.body, /#EXT-X-PROGRAM-DATE-TIME:\d{4}-\d\d-\d\dT/);
  assert.equal(first.headers.get("cache-control"), "public, max-age=1");
  const seq = mediaSequence(first.body);
  const segUri = first.body.split("\n").find((l) => l.endsWith(".ts"));
  const seg = await fetch(`${server.api}/live/${stream.streamKey}/${segUri}`);
  assert.equal(seg.status, 200);
  assert.equal(seg.headers.get("content-type"), "video/mp2t");
  assert.match(seg.headers.get("cache-control"), /immutable/);
  const bytes = Buffer.from(await seg.arrayBuffer());
  assert.equal(bytes.length % 188, 0);
  assert.equal(bytes[0], 0x47);
  // The playlist advances: new segments are listed as the stream goes on.
  await waitFor(async () => {
    const p = (await text(live)).body;
    const lines = p.split("\n").filter((l) => l.endsWith(".ts"));
    return mediaSequence(p) > seq || lines[lines.length - 1] !== first.body.split("\n").filter((l) => l.endsWith(".ts")).pop();
  }, { what: "playlist to advance", timeoutMs: 10000 });

  const exit = await publisher.done;
  assert.equal(exit.code, 0, `${publisherName} failed: ${publisher.stderrText}`);
  await waitFor(async () => (await statusOf(stream)) === "ENDED", { what: "ENDED", timeoutMs: 5000 });
  const ended = await info(stream);
  assert.match(ended.endedAt, /Z$/);
  const last = await text(live);
  assert.match(last.body, /#EXT-X-ENDLIST\s*$/);
}

test("ffmpeg publishes, HLS plays, the stream ends", async () => {
  const stream = await newStream("ffmpeg");
  assert.equal(await statusOf(stream), "READY_FOR_USE");
  const publisher = ffmpegPublish(publishUrl(stream), { seconds: 10 });
  await checkLiveThenEnded(stream, publisher, "ffmpeg");
});

test("GStreamer rtmp2sink publishes the same way", async () => {
  const stream = await newStream("gstreamer");
  const publisher = gstPublish(publishUrl(stream), { buffers: 300 });
  await checkLiveThenEnded(stream, publisher, "gst-launch");
});

test("a video-only and an audio-only publisher both work", async () => {
  const vStream = await newStream("video only");
  const v = ffmpegPublish(publishUrl(vStream), { seconds: 6, audio: false });
  const aStream = await newStream("audio only");
  const a = ffmpegPublish(publishUrl(aStream), { seconds: 6, video: false });
  for (const [s, kind] of [[vStream, "video"], [aStream, "audio"]]) {
    const live = `${server.api}/live/${s.streamKey}/hls.m3u8`;
    await waitFor(async () => (await text(live)).status === 200, { what: `${kind}-only playlist`, timeoutMs: 15000 });
    const streams = await ffprobe(live);
    assert.deepEqual(streams.map((x) => x.codec_type), [kind]);
  }
  assert.equal((await v.done).code, 0, v.stderrText);
  assert.equal((await a.done).code, 0, a.stderrText);
});

test("a reconnect continues the playlist after EXT-X-DISCONTINUITY", async () => {
  const stream = await newStream("reconnect");
  const live = `${server.api}/live/${stream.streamKey}/hls.m3u8`;
  const first = ffmpegPublish(publishUrl(stream), { seconds: 5 });
  assert.equal((await first.done).code, 0, first.stderrText);
  await waitFor(async () => (await statusOf(stream)) === "ENDED", { what: "ENDED" });
  const second = ffmpegPublish(publishUrl(stream), { seconds: 5 });
  await waitFor(async () => (await statusOf(stream)) === "STARTED", { what: "STARTED again" });
  await waitFor(async () => /#EXT-X-DISCONTINUITY\n/.test((await text(live)).body), { what: "discontinuity" });
  assert.equal((await second.done).code, 0, second.stderrText);
});

test("refused publishes: no token, bad signature, expired, retired, another stream's token, unknown key, deleted livestream", async () => {
  const stream = await newStream("refusals");
  const other = await newStream("other");
  const token = stream.pushToken;
  const [h, p, sig] = token.split(".");
  const tampered = `${h}.${p}.${sig.slice(0, -4)}${sig.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`;
  const cases = [
    ["no token", `${stream.rtmpServer}/${stream.streamKey}`],
    ["bad signature", `${stream.rtmpServer}/${stream.streamKey}?pushToken=${tampered}`],
    ["another stream's token", `${stream.rtmpServer}/${stream.streamKey}?pushToken=${other.pushToken}`],
    ["unknown stream key", `${stream.rtmpServer}/0123456789abcdef0123456789abcdef?pushToken=${token}`],
  ];
  // Expired: a token signed with the server's own key whose exp passed more
  // than the 60 s leeway ago, otherwise identical to the current one.
  const crypto = require("node:crypto");
  const pem = signingKeyPem;
  const header = JSON.parse(Buffer.from(h, "base64url"));
  const claims = JSON.parse(Buffer.from(p, "base64url"));
  const now = Math.floor(Date.now() / 1000);
  const expiredClaims = { ...claims, iat: now - 3600, exp: now - 120 };
  const input = `${Buffer.from(JSON.stringify(header)).toString("base64url")}.${Buffer.from(JSON.stringify(expiredClaims)).toString("base64url")}`;
  const expired = `${input}.${crypto.sign("RSA-SHA256", Buffer.from(input), pem).toString("base64url")}`;
  cases.push(["expired token", `${stream.rtmpServer}/${stream.streamKey}?pushToken=${expired}`]);
  // A deleted livestream's key and token are refused.
  const gone = await newStream("deleted before publish");
  assert.equal((await api(server, "DELETE", `/api/v1/livestream/${gone.id}`, { key })).status, 200);
  cases.push(["deleted livestream", publishUrl(gone)]);
  // Retired: a newer token replaces the one we hold.
  const renewed = await api(server, "POST", "/api/v1/livestream/generate-push-token", { key, body: { id: stream.id } });
  assert.equal(renewed.status, 201);
  cases.push(["retired token", `${stream.rtmpServer}/${stream.streamKey}?pushToken=${token}`]);
  for (const [name, url] of cases) {
    const publisher = ffmpegPublish(url, { seconds: 3 });
    const exit = await publisher.done;
    assert.notEqual(exit.code, 0, `${name}: ffmpeg must be refused`);
    assert.equal(await statusOf(stream), "READY_FOR_USE", name);
  }
  const log = server.stdout + server.stderr;
  assert.match(log, /publish refused: push token missing/);
  assert.match(log, /publish refused: push token expired/);
  // The current token still works afterwards.
  const ok = ffmpegPublish(`${stream.rtmpServer}/${stream.streamKey}?pushToken=${renewed.body.data.pushToken}`, { seconds: 3 });
  await waitFor(async () => (await statusOf(stream)) === "STARTED", { what: "STARTED with the current token" });
  assert.equal((await ok.done).code, 0, ok.stderrText);
});

test("a second publisher is refused while the first is live; token and key changes do not cut it", async () => {
  const stream = await newStream("single publisher");
  const first = ffmpegPublish(publishUrl(stream), { seconds: 12 });
  await waitFor(async () => (await statusOf(stream)) === "STARTED", { what: "first STARTED" });
  const second = ffmpegPublish(publishUrl(stream), { seconds: 3 });
  assert.notEqual((await second.done).code, 0, "the second publisher is refused");
  // Regenerating the push token and the API key leaves the live publisher alone.
  const renewed = await api(server, "POST", "/api/v1/livestream/generate-push-token", { key, body: { id: stream.id } });
  assert.equal(renewed.body.data.status, "STARTED");
  const regen = await cli(["apikey", "regenerate", "--project", projectId, ...server.storeArgs, "--json"]);
  assert.equal(regen.code, 0, regen.stderr);
  key = JSON.parse(regen.stdout).apiKey;
  project.key = key;
  assert.equal(await statusOf(stream), "STARTED");
  assert.equal((await first.done).code, 0, "the first publisher ran to its end: " + first.stderrText);
});

test("deleting a live livestream cuts its publisher and its HLS is gone", async (t) => {
  const stream = await newStream("to delete");
  // ffmpeg would publish for two minutes: only the server can end it within the bounds below.
  const publisher = ffmpegPublish(publishUrl(stream), { seconds: 120 });
  t.after(() => publisher.kill("SIGKILL"));
  const live = `${server.api}/live/${stream.streamKey}/hls.m3u8`;
  await waitFor(async () => (await text(live)).status === 200, { what: "playlist" });
  const log = () => server.stdout + server.stderr;
  // The server's own record of this publisher's connection (its peer address).
  const peer = (log().match(new RegExp(`rtmp (\\S+) publishing stream ${stream.streamKey}\\b`)) || [])[1];
  assert.ok(peer, "the server logged the publisher:\n" + log());

  const del = await api(server, "DELETE", `/api/v1/livestream/${stream.id}`, { key });
  assert.equal(del.status, 200);
  // The server closes that connection itself, for the deletion.
  const closedLine = new RegExp(`rtmp ${peer.replace(/[.[\]]/g, "\\$&")} stream ${stream.streamKey} closed: (.*)`);
  const reason = await waitFor(() => (log().match(closedLine) || [])[1], { what: "the server to close the publisher", timeoutMs: 10000 });
  assert.equal(reason, "livestream deleted");
  // ffmpeg fails its next write and gives up: an error exit long before its 120 s.
  const exit = await Promise.race([publisher.done, new Promise((resolve) => setTimeout(() => resolve("still publishing"), 15000))]);
  assert.notEqual(exit, "still publishing", "ffmpeg kept publishing after the delete");
  assert.equal(exit.signal, null);
  assert.notEqual(exit.code, 0, "ffmpeg must see its connection cut: " + publisher.stderrText);
  assert.match(publisher.stderrText, /Broken pipe|Connection reset|End of file/);
  assert.equal((await text(live)).status, 404);
  assert.equal((await text(stream.hlsSources[0].url)).status, 404);
  assert.equal((await api(server, "GET", `/api/v1/livestreams/stream-info/${stream.streamKey}`)).status, 404);
});

test("a publisher that sends garbage is dropped and others are undisturbed", async () => {
  const net = require("node:net");
  const stream = await newStream("undisturbed");
  const publisher = ffmpegPublish(publishUrl(stream), { seconds: 8 });
  await waitFor(async () => (await statusOf(stream)) === "STARTED", { what: "STARTED" });
  const port = Number(new URL(server.rtmp.replace("rtmp://", "http://")).port);
  for (const payload of [Buffer.alloc(4000, 0xff), Buffer.concat([Buffer.from([3]), Buffer.alloc(1536 * 2 + 500, 7)])]) {
    const sock = net.connect(port, "127.0.0.1");
    sock.resume();
    await new Promise((resolve) => { sock.on("connect", () => sock.end(payload)); sock.on("close", resolve); sock.on("error", resolve); });
  }
  assert.equal((await publisher.done).code, 0, publisher.stderrText);
  assert.equal((await api(server, "GET", "/api/v1/health")).status, 200);
});

test("a connection that never publishes is closed by the handshake timeout", async () => {
  const net = require("node:net");
  const sock = net.connect(server.rtmpPort, "127.0.0.1");
  sock.resume();
  const t0 = Date.now();
  await new Promise((resolve) => { sock.on("close", resolve); sock.on("error", resolve); });
  const waited = Date.now() - t0;
  assert.ok(waited >= 9000 && waited < 15000, `closed after ${waited} ms`);
});

test("a restart after a crash marks streams that were live as ENDED", async () => {
  const crashing = await startServer();
  try {
    const p = JSON.parse((await cli(["project", "create", "--name", "crash", ...crashing.storeArgs, "--json"])).stdout);
    const ms = (await api(crashing, "GET", "/api/v1/media-servers/available", { key: p.apiKey })).body.data[0].id;
    const made = (await api(crashing, "POST", "/api/v1/livestream", { key: p.apiKey, body: { name: "crash", projectId: p.projectId, mediaServerId: ms } })).body.data;
    const publisher = ffmpegPublish(`${made.rtmpServer}/${made.streamKeyWithParams}`, { seconds: 30 });
    const read = async (srv) => (await api(srv, "GET", `/api/v1/livestreams/stream-info/${made.streamKey}`)).body.data;
    await waitFor(async () => (await read(crashing)).status === "STARTED", { what: "STARTED" });
    crashing.proc.kill("SIGKILL");
    await crashing.exited;
    publisher.kill("SIGKILL");
    const restarted = await startServer({ dataDir: crashing.dataDir, database: crashing.databaseUrl });
    try {
      const after = await read(restarted);
      assert.equal(after.status, "ENDED");
      assert.match(after.endedAt, /Z$/);
    } finally {
      await restarted.stop();
    }
  } finally {
    await crashing.stop();
  }
});
