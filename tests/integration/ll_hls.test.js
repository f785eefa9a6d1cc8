// Low-latency HLS with real clients (issue #15): ffmpeg publishes RTMP with a
// low-latency x264 setting, the server packages fMP4 parts for the original
// and its ABR rendition, and the test reads them as a player would: strict
// hls-parser on every playlist, blocking playlist reloads, delta updates, a
// preload-hint part held until it exists, ffprobe on init + segment. hls.js
// with lowLatencyMode then plays the LL master in headless Chromium and the
// latency to the program date-time is logged (not asserted: speed belongs in
// bench/). The 503 of a blocking request that is never satisfied is covered
// by tests/unit/media/server/ll_origin_test.cpp (it needs a publisher that
// stalls).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { execFile } = require("node:child_process");
const { promisify } = require("node:util");
const HLS = require("hls-parser");
const { startServer, partnerProject } = require("./lib/server");
const { launchChromium } = require("./lib/browser");
const { ffmpegPublish, ffprobe, waitFor } = require("./lib/media");

const execFileP = promisify(execFile);
HLS.setOptions({ strictMode: true, silent: true });

let server;
let project;
let stream;
let publisher;
const url = (p) => `${server.api}/hls/${stream.streamKey}/${p}`;

async function get(u) {
  const r = await fetch(u);
  return { status: r.status, headers: r.headers, body: await r.text() };
}
async function getBytes(u) {
  const r = await fetch(u);
  return { status: r.status, headers: r.headers, bytes: Buffer.from(await r.arrayBuffer()) };
}

// The newest part a playlist lists: {msn, part} from its last EXT-X-PART URI.
function lastPart(body) {
  const uris = [...body.matchAll(/#EXT-X-PART:.*URI="seg(\d+)\.(\d+)\.m4s"/g)];
  const m = uris[uris.length - 1];
  return { msn: Number(m[1]), part: Number(m[2]) };
}
const mediaSequence = (body) => Number(body.match(/#EXT-X-MEDIA-SEQUENCE:(\d+)/)[1]);
const segmentCount = (body) => (body.match(/#EXTINF:/g) || []).length;

test.before(async () => {
  server = await startServer({ logLevel: "info" });
  project = await partnerProject(server, "ll");
  stream = await project.newStream("ll");
  // 854x480 in: the ladder adds 360p. Keyframes every second (-g 30).
  publisher = ffmpegPublish(`${stream.rtmpServer}/${stream.streamKeyWithParams}`,
    { seconds: 40, size: "854x480", gop: 30 });
});

test.after(async () => {
  if (publisher && publisher.exitCode === null) publisher.kill("SIGINT");
  if (publisher) await publisher.done;
  assert.equal((await server.stop()).code, 0);
});

test("LL master and every rendition's LL playlist parse strictly, with parts, reports and the TS URLs intact", async () => {
  const masterText = await waitFor(async () => {
    const m = await get(url("ll.m3u8"));
    return m.status === 200 && /360p\/ll\.m3u8/.test(m.body) && /original\/ll\.m3u8/.test(m.body) ? m : null;
  }, { what: "LL master with both renditions", timeoutMs: 25000 });
  assert.equal(masterText.headers.get("content-type"), "application/vnd.apple.mpegurl");
  assert.equal(masterText.headers.get("access-control-allow-origin"), "*");
  const master = HLS.parse(masterText.body);
  assert.ok(master.isMasterPlaylist);
  assert.deepEqual(master.variants.map((v) => v.uri), ["original/ll.m3u8", "360p/ll.m3u8"]);
  for (const v of master.variants) {
    assert.ok(v.bandwidth > 0, v.uri);
    assert.match(v.codecs, /^avc1\.[0-9a-f]{6},mp4a\.40\.2$/);
  }
  // The MPEG-TS master lists the same renditions with the same codecs.
  const tsMaster = HLS.parse((await get(url("master.m3u8"))).body);
  assert.deepEqual(tsMaster.variants.map((v) => v.codecs), master.variants.map((v) => v.codecs));

  const partTargets = [];
  for (const [name, other] of [["original", "360p"], ["360p", "original"]]) {
    const p = await waitFor(async () => {
      const r = await get(url(`${name}/ll.m3u8`));
      return r.status === 200 && /#EXTINF/.test(r.body) ? r : null;
    }, { what: `${name} LL playlist with a segment`, timeoutMs: 20000 });
    assert.equal(p.headers.get("cache-control"), "public, max-age=1");
    const playlist = HLS.parse(p.body);
    assert.ok(!playlist.isMasterPlaylist);
    // 200 ms configured, rounded to whole frames (the publisher sends 30 or 25 fps: 200 ms).
    assert.ok(playlist.partTargetDuration > 0 && playlist.partTargetDuration <= 0.2, p.body);
    partTargets.push(playlist.partTargetDuration);
    assert.ok(playlist.lowLatencyCompatibility.canBlockReload, p.body);
    assert.match(p.body, /#EXT-X-MAP:URI="init\.mp4"/);
    assert.match(p.body, /#EXT-X-PRELOAD-HINT:TYPE=PART,URI="seg\d+\.\d+\.m4s"/);
    assert.match(p.body, new RegExp(`#EXT-X-RENDITION-REPORT:URI="\\.\\./${other}/ll\\.m3u8",LAST-MSN=\\d+,LAST-PART=\\d+`));
    for (const d of p.body.matchAll(/#EXT-X-PART:DURATION=([0-9.]+)/g)) {
      assert.ok(Number(d[1]) <= playlist.partTargetDuration, d[0]);
    }
    const init = await getBytes(url(`${name}/init.mp4`));
    assert.equal(init.status, 200);
    assert.equal(init.headers.get("content-type"), "video/mp4");
    assert.match(init.headers.get("cache-control"), /immutable/);
  }
  assert.equal(partTargets[0], partTargets[1], "every rendition declares the same PART-TARGET");
  // Parts aligned across renditions: same URIs, same durations (same timestamps in, same cuts).
  const both = await Promise.all(["original", "360p"].map(async (n) => (await get(url(`${n}/ll.m3u8?_HLS_msn=${
    lastPart((await get(url("original/ll.m3u8"))).body).msn}`))).body));
  const parts = (b) => [...b.matchAll(/#EXT-X-PART:DURATION=([0-9.]+),URI="(seg\d+\.\d+\.m4s)"/g)].map((m) => m[2] + "@" + m[1]);
  const common = parts(both[0]).filter((p) => parts(both[1]).some((q) => q.split("@")[0] === p.split("@")[0]));
  assert.ok(common.length > 3, `${both[0]}\n${both[1]}`);
  for (const p of common) assert.ok(parts(both[1]).includes(p), `${p} aligned\n${both[0]}\n${both[1]}`);

  // The MPEG-TS URLs still work unchanged.
  const index = await get(url("original/index.m3u8"));
  assert.equal(index.status, 200);
  const tsUri = index.body.split("\n").find((l) => l.endsWith(".ts"));
  const ts = await getBytes(url(`original/${tsUri}`));
  assert.equal(ts.status, 200);
  assert.equal(ts.headers.get("content-type"), "video/mp2t");
  assert.equal(ts.bytes[0], 0x47);
  assert.equal((await get(`${server.api}/live/${stream.streamKey}/hls.m3u8`)).status, 200);
});

test("a blocking reload is answered once the asked part exists; too far ahead is 400", async () => {
  const now = (await get(url("original/ll.m3u8"))).body;
  const last = lastPart(now);
  // The next part: not listed in the playlist we just read (only its preload hint).
  const next = { msn: last.msn, part: last.part + 1 };
  const listed = (body, p) => new RegExp(`#EXT-X-PART:[^\\n]*URI="seg${p.msn}\\.${p.part}\\.m4s"`).test(body);
  assert.ok(!listed(now, next), now);
  const r = await get(url(`original/ll.m3u8?_HLS_msn=${next.msn}&_HLS_part=${next.part}`));
  assert.equal(r.status, 200);
  assert.match(r.headers.get("cache-control"), /^public, max-age=\d+$/);
  HLS.parse(r.body);
  // It holds that part, or the next segment's first one when a keyframe cut the segment there.
  assert.ok(listed(r.body, next) || listed(r.body, { msn: next.msn + 1, part: 0 }), r.body);
  const after = lastPart(r.body);
  assert.ok(after.msn > last.msn || after.part > last.part, r.body);

  const tooFar = await get(url(`original/ll.m3u8?_HLS_msn=${after.msn + 3}`));
  assert.equal(tooFar.status, 400, tooFar.body);
  assert.equal((await get(url("original/ll.m3u8?_HLS_msn=x"))).status, 400);
});

test("the preload-hint part blocks until published, and init + segment is playable fMP4", async () => {
  const playlist = (await get(url("original/ll.m3u8"))).body;
  const hint = playlist.match(/#EXT-X-PRELOAD-HINT:TYPE=PART,URI="(seg(\d+)\.(\d+)\.m4s)"/);
  assert.ok(hint, playlist);
  const before = lastPart(playlist);
  const part = await getBytes(url(`original/${hint[1]}`));
  // Published by now: either the hinted part (200) or, when a keyframe cut the
  // segment first, a 404 for a part that will never exist.
  if (part.status === 200) {
    assert.equal(part.headers.get("content-type"), "video/mp4");
    assert.equal(part.bytes.subarray(4, 8).toString("latin1"), "moof");
    const listed = (await get(url("original/ll.m3u8"))).body;
    assert.ok(listed.includes(`URI="${hint[1]}"`), listed);
  } else {
    assert.equal(part.status, 404);
    const listed = (await get(url("original/ll.m3u8"))).body;
    assert.ok(lastPart(listed).msn > before.msn, listed);
  }
  // A part far ahead is not held.
  assert.equal((await get(url(`original/seg${Number(hint[2]) + 5}.0.m4s`))).status, 404);

  const full = (await get(url("original/ll.m3u8"))).body;
  const segUri = full.split("\n").find((l) => /^seg\d+\.m4s$/.test(l));
  const init = await getBytes(url("original/init.mp4"));
  const seg = await getBytes(url(`original/${segUri}`));
  assert.equal(seg.status, 200);
  assert.equal(seg.headers.get("content-type"), "video/mp4");
  const file = path.join(server.dataDir, "ll-probe.mp4");
  fs.writeFileSync(file, Buffer.concat([init.bytes, seg.bytes]));
  const streams = await ffprobe(file);
  assert.deepEqual(streams.map((s) => s.codec_name).sort(), ["aac", "h264"]);
  const { stdout } = await execFileP("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0",
    "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", file], { timeout: 30000 });
  assert.ok(Number(stdout.trim()) >= 30, `frames in ${segUri}: ${stdout}`);
});

test("a delta update skips the old segments with EXT-X-SKIP", async () => {
  // CAN-SKIP-UNTIL is 12 s: wait until the playlist is longer than that.
  const full = await waitFor(async () => {
    const r = (await get(url("original/ll.m3u8"))).body;
    return segmentCount(r) >= 8 ? r : null;
  }, { what: "8 segments listed", timeoutMs: 30000 });
  const { msn } = lastPart(full);
  const [whole, delta] = await Promise.all([get(url(`original/ll.m3u8?_HLS_msn=${msn}`)),
    get(url(`original/ll.m3u8?_HLS_msn=${msn}&_HLS_skip=YES`))]);
  assert.equal(delta.status, 200);
  const skipped = Number((delta.body.match(/#EXT-X-SKIP:SKIPPED-SEGMENTS=(\d+)/) || [])[1]);
  assert.ok(skipped > 0, delta.body);
  assert.match(whole.body, /CAN-SKIP-UNTIL=12/);
  assert.equal(mediaSequence(delta.body), mediaSequence(whole.body));
  assert.equal(segmentCount(whole.body) - segmentCount(delta.body), skipped, `${whole.body}\n${delta.body}`);
  // The first segment the delta lists is the one after the skipped ones.
  const firstListed = Number(delta.body.match(/^seg(\d+)\.m4s$/m)[1]);
  assert.equal(firstListed, mediaSequence(delta.body) + skipped);
  const parsed = HLS.parse(delta.body);
  assert.ok(parsed.segments.length > 0);

  const metrics = (await get(`${server.api}/metrics`)).body;
  assert.match(metrics, /lunarstream_hls_requests_total\{kind="ll_playlist",status="200"\} [1-9]/);
  assert.match(metrics, /lunarstream_hls_requests_total\{kind="ll_playlist",status="400"\} [1-9]/);
  assert.match(metrics, /lunarstream_hls_requests_total\{kind="ll_segment",status="200"\} [1-9]/);
  assert.match(metrics, /lunarstream_hls_parked_requests \d+/);
  const held = Number(metrics.match(/lunarstream_hls_ll_buffer_bytes (\d+)/)[1]);
  console.log(`LL buffers held for 2 renditions (854x480 + 360p): ${(held / 1048576).toFixed(1)} MiB`);
});

test("hls.js in lowLatencyMode plays the LL master", async () => {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const logs = [];
    page.on("console", (m) => logs.push(m.text()));
    const fail = (e) => { throw new Error(`${e.message}\n${logs.join("\n")}`); };
    await page.goto(stream.previewPlayback);
    await page.waitForFunction(() => window.Hls, null, { timeout: 10000 });
    await page.evaluate((src) => {
      if (window.hls) window.hls.destroy();
      const video = document.createElement("video");
      video.muted = true;
      document.body.appendChild(video);
      const ll = new window.Hls({ lowLatencyMode: true });
      window.llHls = ll;
      window.llVideo = video;
      ll.on(window.Hls.Events.ERROR, (_, d) => console.log(`hls.js error ${d.type} ${d.details} fatal=${d.fatal}`));
      ll.loadSource(src);
      ll.attachMedia(video);
      ll.on(window.Hls.Events.MANIFEST_PARSED, () => video.play().catch(() => {}));
    }, url("ll.m3u8"));
    await page.waitForFunction(() => window.llVideo.currentTime > 1, null, { timeout: 20000 }).catch(fail);
    const t0 = await page.evaluate(() => window.llVideo.currentTime);
    await page.waitForFunction((t) => window.llVideo.currentTime > t + 2, t0, { timeout: 15000 }).catch(fail);
    const state = await page.evaluate(() => ({
      latencyMs: window.llHls.playingDate ? Date.now() - window.llHls.playingDate.getTime() : null,
      hlsLatency: window.llHls.latency,
      lowLatency: window.llHls.lowLatencyMode,
    }));
    assert.ok(state.lowLatency);
    console.log(`hls.js LL playback on loopback: ${state.latencyMs} ms behind the program date-time ` +
      `(hls.js latency estimate ${state.hlsLatency?.toFixed?.(2)} s)`);
  } finally {
    await browser.close();
  }
});
