// A player asking for the playlist as soon as the publish starts gets it (held
// until the first segment, not a 404 it would have to retry), while a stream
// key nobody publishes still gets its 404 at once.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { startServer, partnerProject } = require("./lib/server");
const { ffmpegPublish, waitFor } = require("./lib/media");

let server;
let newStream;

test.before(async () => {
  // Debug: the log line that says the stream's HLS state was opened is the
  // event this test waits for (the earliest moment a playlist request is held).
  server = await startServer({ logLevel: "debug" });
  ({ newStream } = await partnerProject(server, "hold"));
});

test.after(async () => {
  assert.equal((await server.stop()).code, 0);
});

async function text(url, options = {}) {
  const r = await fetch(url, options);
  return { status: r.status, body: await r.text(), headers: r.headers };
}

test("playlists requested before the first segment are answered 200 once it is published", async () => {
  const stream = await newStream("hold");  // asserts the 201
  const publisher = ffmpegPublish(`${stream.rtmpServer}/${stream.streamKeyWithParams}`, { seconds: 30 });
  try {
    await waitFor(async () => server.stdout.includes(`hls ${stream.streamKey}: opened`),
      { what: "the stream's HLS state to open", intervalMs: 5, timeoutMs: 15000 });
    // The first segment closes at the first keyframe 2 s in: none exists yet.
    const [master, media, alias] = await Promise.all([
      text(`${server.api}/hls/${stream.streamKey}/master.m3u8`),
      text(`${server.api}/hls/${stream.streamKey}/original/index.m3u8`),
      text(`${server.api}/live/${stream.streamKey}/hls.m3u8`),
    ]);
    assert.equal(master.status, 200, master.body);
    assert.match(master.body, /#EXT-X-STREAM-INF:.*RESOLUTION=640x360/);
    assert.equal(master.headers.get("content-type"), "application/vnd.apple.mpegurl");
    for (const playlist of [media, alias]) {
      assert.equal(playlist.status, 200, playlist.body);
      assert.match(playlist.body, /#EXTINF:[\d.]+,\nseg\d+\.ts\n/);
    }
  } finally {
    publisher.kill("SIGTERM");
    await publisher.done;
  }
});

test("a stream key nobody publishes gets 404 without being held", async () => {
  // Aborting well before the 4 s hold would end tells a held request from an
  // immediate answer without measuring anything.
  const signal = AbortSignal.timeout(2000);
  const unknown = "0123456789abcdef0123456789abcdef";
  const master = await text(`${server.api}/hls/${unknown}/master.m3u8`, { signal });
  assert.equal(master.status, 404);
  assert.equal(JSON.parse(master.body).statusCode, 404);
  const media = await text(`${server.api}/live/${unknown}/hls.m3u8`, { signal });
  assert.equal(media.status, 404);
});

test("/metrics counts the origin's answers by kind and status", async () => {
  const count = (metrics, kind, status) => Number((metrics.match(
    new RegExp(`lunarstream_hls_requests_total\\{kind="${kind}",status="${status}"\\} (\\d+)`)) || [])[1]);
  const before = (await text(`${server.api}/metrics`)).body;
  const unknown = "fedcba9876543210fedcba9876543210";
  assert.equal((await text(`${server.api}/hls/${unknown}/master.m3u8`)).status, 404);
  assert.equal((await text(`${server.api}/live/${unknown}/seg1.ts`)).status, 404);
  const after = (await text(`${server.api}/metrics`)).body;
  assert.equal(count(after, "master", "404"), count(before, "master", "404") + 1, after);
  assert.equal(count(after, "segment", "404"), count(before, "segment", "404") + 1, after);
  // The earlier test's held playlists were answered 200 and counted so.
  assert.ok(count(after, "master", "200") >= 1 && count(after, "playlist", "200") >= 2, after);
});
