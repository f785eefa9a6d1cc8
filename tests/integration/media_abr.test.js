// The ABR ladder with real clients (SPEC §5): ffmpeg publishes over RTMP,
// the server transcodes in-process, ffprobe reads every rendition, hls.js in
// headless Chromium plays the master and switches between renditions. Streams
// are short and x264 runs its ultrafast preset on the publisher side: the
// whole file stays well under three minutes on a 2-core machine.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { execFile, spawn } = require("node:child_process");
const { promisify } = require("node:util");
const { startServer, api, cli, tempDir } = require("./lib/server");
const { launchChromium } = require("./lib/browser");
const { ffmpegPublish, ffprobe, waitFor } = require("./lib/media");

const execFileP = promisify(execFile);

let server;
let key;
let projectId;
let mediaServerId;
let browser;

test.before(async () => {
  server = await startServer({ logLevel: "info" });
  const p = JSON.parse((await cli(["project", "create", "--name", "abr", "--data-dir", server.dataDir, "--json"])).stdout);
  key = p.apiKey;
  projectId = p.projectId;
  mediaServerId = (await api(server, "GET", "/api/v1/media-servers/available", { key })).body.data[0].id;
});

test.after(async () => {
  if (browser) await browser.close();
  assert.equal((await server.stop()).code, 0);
});

async function newStream(name, project = projectId, apiKey = key) {
  const r = await api(server, "POST", "/api/v1/livestream", { key: apiKey, body: { name, projectId: project, mediaServerId } });
  assert.equal(r.status, 201, r.text);
  return r.body.data;
}

const publishUrl = (s) => `${s.rtmpServer}/${s.streamKeyWithParams}`;
const hlsUrl = (s, p) => `${server.api}/hls/${s.streamKey}/${p}`;
async function text(url) {
  const r = await fetch(url);
  return { status: r.status, body: await r.text() };
}

// Master playlist entries: [{name, attrs: {BANDWIDTH, RESOLUTION, ...}}], in order.
function parseMaster(body) {
  const lines = body.split("\n");
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const m = lines[i].match(/^#EXT-X-STREAM-INF:(.*)$/);
    if (!m) continue;
    const attrs = {};
    for (const [, k, v] of m[1].matchAll(/([A-Z-]+)=("[^"]*"|[^,]*)/g)) attrs[k] = v.replace(/^"|"$/g, "");
    out.push({ name: lines[i + 1].split("/")[0], attrs });
  }
  return out;
}

// Media playlist segments: [{sequence, duration (ms), pdt}], and whether it ended.
function parseMedia(body) {
  const sequence = Number((body.match(/#EXT-X-MEDIA-SEQUENCE:(\d+)/) || [])[1]);
  const segments = [];
  let pdt = null;
  for (const line of body.split("\n")) {
    const p = line.match(/^#EXT-X-PROGRAM-DATE-TIME:(.*)$/);
    if (p) pdt = p[1];
    const m = line.match(/^#EXTINF:([\d.]+),/);
    if (m) {
      segments.push({ sequence: sequence + segments.length, duration: Math.round(Number(m[1]) * 1000), pdt });
      pdt = null;
    }
  }
  return { segments, ended: /#EXT-X-ENDLIST/.test(body) };
}

async function metricsText() {
  return (await text(`${server.api}/metrics`)).body;
}

// RFC 6381 avc1.PPCCLL against what ffprobe reads from the stream itself.
function assertCodecMatchesStream(codecs, video, what) {
  const m = codecs.match(/^avc1\.([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2}),mp4a\.40\.2$/);
  assert.ok(m, `${what}: CODECS=${codecs}`);
  const profiles = { 66: /Baseline/, 77: /Main/, 100: /^High$/ };
  assert.match(video.profile, profiles[parseInt(m[1], 16)], `${what}: ${codecs} vs ${video.profile}`);
  assert.equal(parseInt(m[3], 16), video.level, `${what}: ${codecs} vs level ${video.level}`);
}

// Same sequence numbers, EXTINF within one frame, same program date-times.
function assertAligned(original, rendition, name) {
  assert.ok(original.segments.length >= 3, `original has ${original.segments.length} segments`);
  assert.deepEqual(rendition.segments.map((s) => s.sequence), original.segments.map((s) => s.sequence), name);
  rendition.segments.forEach((s, i) => {
    assert.ok(Math.abs(s.duration - original.segments[i].duration) <= 34,
      `${name} #${s.sequence}: ${s.duration} ms vs original ${original.segments[i].duration} ms`);
    assert.equal(s.pdt, original.segments[i].pdt, `${name} #${s.sequence} program date-time`);
  });
}

async function openBrowser() {
  if (!browser) browser = await launchChromium();
  const page = await browser.newPage();
  const logs = [];
  page.on("console", (m) => logs.push(m.text()));
  // Which rendition each fragment that starts playing comes from.
  await page.addInitScript(() => { window.playedHeights = []; });
  return { page, logs };
}

async function watchLevels(page) {
  await page.waitForFunction(() => typeof hls !== "undefined" && hls && hls.levels && hls.levels.length > 0, null, { timeout: 30000 });
  await page.evaluate(() => {
    hls.on(Hls.Events.FRAG_CHANGED, (_, data) => window.playedHeights.push(hls.levels[data.frag.level].height));
  });
}

// Waits until every named rendition's playlist has EXT-X-ENDLIST; returns them parsed, by name.
async function endedPlaylists(stream, names) {
  const ended = {};
  await waitFor(async () => {
    for (const name of names) ended[name] = parseMedia((await text(hlsUrl(stream, `${name}/index.m3u8`))).body);
    return Object.values(ended).every((p) => p.ended);
  }, { what: "every playlist ended", timeoutMs: 15000 });
  return ended;
}

test("a 1280x720 input gets original, 480p and 360p: aligned, probed, played and switched by hls.js", async (t) => {
  const stream = await newStream("ladder");
  const publisher = ffmpegPublish(publishUrl(stream), { seconds: 32, size: "1280x720" });
  t.after(() => publisher.kill("SIGKILL"));

  // The master points at every rendition once each has a segment.
  const master = await waitFor(async () => {
    const m = await text(stream.hlsSources[0].url);
    return m.status === 200 && /360p\/index/.test(m.body) && /480p\/index/.test(m.body) ? m.body : null;
  }, { what: "master with the ladder", timeoutMs: 20000 });
  const variants = parseMaster(master);
  assert.deepEqual(variants.map((v) => v.name), ["original", "480p", "360p"], master);
  assert.deepEqual(variants.map((v) => v.attrs.RESOLUTION), ["1280x720", "854x480", "640x360"], master);
  // BANDWIDTH never understates a rendition: at least its configured video
  // rate plus the audio ffmpeg declares (96 kbit/s), with TS overhead.
  const configured = { "480p": 1200000, "360p": 800000 };
  for (const [name, video] of Object.entries(configured)) {
    const v = variants.find((x) => x.name === name);
    const floor = video + 96000 + Math.floor((video + 96000) / 20);
    assert.ok(Number(v.attrs.BANDWIDTH) >= floor, `${name} BANDWIDTH ${v.attrs.BANDWIDTH} < ${floor}`);
  }
  for (const v of variants) {
    assert.ok(Number(v.attrs.BANDWIDTH) > 0 && Number(v.attrs["AVERAGE-BANDWIDTH"]) > 0, `${v.name}: ${master}`);
    assert.equal(v.attrs["FRAME-RATE"], "30.000", v.name);
  }

  // ffprobe reads each rendition: its size, H.264 at the profile and level the master announces, AAC.
  for (const v of variants) {
    const streams = await ffprobe(hlsUrl(stream, `${v.name}/index.m3u8`));
    const video = streams.find((s) => s.codec_type === "video");
    const audio = streams.find((s) => s.codec_type === "audio");
    assert.equal(video.codec_name, "h264", v.name);
    assert.equal(`${video.width}x${video.height}`, v.attrs.RESOLUTION, v.name);
    assert.equal(audio.codec_name, "aac", v.name);
    assertCodecMatchesStream(v.attrs.CODECS, video, v.name);
  }

  // GET /metrics while it is live, by livestream id.
  const metrics = await metricsText();
  const label = `{livestream="${stream.id}"}`;
  assert.ok(metrics.includes(`lunarstream_abr_renditions_active${label} 2\n`), metrics);
  assert.ok(metrics.includes(`lunarstream_abr_renditions_dropped${label} 0\n`), metrics);
  assert.match(metrics, new RegExp(`lunarstream_abr_frames_encoded_total\\{livestream="${stream.id}",rendition="360p"\\} [1-9]`));
  assert.ok(!metrics.includes(stream.streamKey), "the stream key stays out of /metrics");
  // Segments of both kinds were published, and their latency counted.
  for (const kind of ["original", "ladder"]) {
    assert.match(metrics, new RegExp(`lunarstream_hls_segment_publish_latency_seconds_count\\{rendition="${kind}"\\} [1-9]`), kind);
  }

  // hls.js plays the master, then is sent to each ladder rendition in turn.
  const { page, logs } = await openBrowser();
  t.after(() => page.close());
  const fail = (e) => { throw new Error(`${e.message}\n${logs.join("\n")}`); };
  await page.goto(stream.previewPlayback);
  await watchLevels(page);
  assert.deepEqual((await page.evaluate(() => hls.levels.map((l) => l.height))).sort((a, b) => a - b), [360, 480, 720]);
  await page.waitForFunction(() => document.querySelector("video").currentTime > 1, null, { timeout: 30000 }).catch(fail);
  for (const height of [360, 480]) {
    await page.evaluate((h) => { hls.currentLevel = hls.levels.findIndex((l) => l.height === h); }, height);
    await page.waitForFunction((h) => {
      const v = document.querySelector("video");
      return window.playedHeights.includes(h) && !v.paused && v.readyState >= 3;
    }, height, { timeout: 20000 }).catch(fail);
  }
  const before = await page.evaluate(() => document.querySelector("video").currentTime);
  await page.waitForFunction((t0) => document.querySelector("video").currentTime > t0 + 1, before, { timeout: 15000 }).catch(fail);

  // After the end, segment for segment, the renditions match the original.
  assert.equal((await publisher.done).code, 0, publisher.stderrText);
  const ended = await endedPlaylists(stream, ["original", "480p", "360p"]);
  for (const name of ["480p", "360p"]) assertAligned(ended.original, ended[name], name);
});

test("no upscaled renditions for a 640x360 input, and none at all when the project switched ABR off", async () => {
  const small = await newStream("small");
  // A second project with ABR off: its 1280x720 stream gets the original only.
  const other = JSON.parse((await cli(["project", "create", "--name", "no-abr", "--data-dir", server.dataDir, "--json"])).stdout);
  const off = await cli(["project", "update", "--project", other.projectId, "--abr", "off", "--data-dir", server.dataDir]);
  assert.equal(off.code, 0, off.stderr);
  const noAbr = await newStream("no abr", other.projectId, other.apiKey);

  const publishers = [ffmpegPublish(publishUrl(small), { seconds: 7, size: "640x360" }),
    ffmpegPublish(publishUrl(noAbr), { seconds: 7, size: "1280x720" })];
  for (const [s, size] of [[small, "640x360"], [noAbr, "1280x720"]]) {
    const master = await waitFor(async () => {
      const m = await text(s.hlsSources[0].url);
      return m.status === 200 && /original\/index/.test(m.body) ? m.body : null;
    }, { what: `${size} master`, timeoutMs: 20000 });
    const variants = parseMaster(master);
    assert.deepEqual(variants.map((v) => v.name), ["original"], master);
    assert.equal(variants[0].attrs.RESOLUTION, size);
  }
  const metrics = await metricsText();
  const transcoded = (id) => metrics.includes(`lunarstream_abr_queue_depth{livestream="${id}"}`);
  assert.ok(!transcoded(small.id) && !transcoded(noAbr.id), `no transcoder was started:\n${metrics}`);
  // The media plane counts both publishers' bytes, by livestream id.
  for (const s of [small, noAbr]) {
    assert.match(metrics, new RegExp(`lunarstream_media_bytes_in_total\\{livestream="${s.id}",protocol="rtmp"\\} [1-9]`));
  }
  for (const p of publishers) assert.equal((await p.done).code, 0, p.stderrText);
  for (const s of [small, noAbr]) {
    for (const name of ["480p", "360p"]) assert.equal((await text(hlsUrl(s, `${name}/index.m3u8`))).status, 404);
  }
});

// Two FLV files, 1280x720 then 640x360, joined into one at the tag level; ffmpeg
// copies it to RTMP in real time and sends a new AVC sequence header at the
// switch, as OBS does when its output resolution changes.
async function resolutionSwitchFlv(dir, seconds) {
  const parts = [];
  for (const size of ["1280x720", "640x360"]) {
    const file = path.join(dir, `${size}.flv`);
    await execFileP("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y",
      "-f", "lavfi", "-i", `testsrc=size=${size}:rate=30`, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
      "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p", "-g", "60", "-keyint_min", "60",
      "-sc_threshold", "0", "-c:a", "aac", "-b:a", "96k", "-t", String(seconds), "-f", "flv", file], { timeout: 60000 });
    parts.push(fs.readFileSync(file));
  }
  const tags = (buf) => {
    const out = [];
    for (let at = buf.readUInt32BE(5) + 4; at + 11 <= buf.length;) {
      const size = buf.readUIntBE(at + 1, 3);
      out.push({ type: buf[at] & 0x1f, ts: buf.readUIntBE(at + 4, 3) | (buf[at + 7] << 24), body: buf.subarray(at + 11, at + 11 + size) });
      at += 11 + size + 4;
    }
    return out;
  };
  const first = tags(parts[0]);
  const offset = Math.max(...first.map((t) => t.ts)) + 33;
  const second = tags(parts[1]).filter((t) => t.type !== 18).map((t) => ({ ...t, ts: t.ts + offset }));
  const out = [Buffer.from([0x46, 0x4c, 0x56, 1, 5, 0, 0, 0, 9, 0, 0, 0, 0])];
  for (const t of [...first, ...second]) {
    const header = Buffer.alloc(11);
    header[0] = t.type;
    header.writeUIntBE(t.body.length, 1, 3);
    header.writeUIntBE(t.ts & 0xffffff, 4, 3);
    header[7] = t.ts >>> 24;
    const previous = Buffer.alloc(4);
    previous.writeUInt32BE(11 + t.body.length);
    out.push(header, t.body, previous);
  }
  const file = path.join(dir, "switch.flv");
  fs.writeFileSync(file, Buffer.concat(out));
  return { file, switchMs: offset };
}

test("an input that changes resolution mid-stream keeps playing in every rendition", async (t) => {
  const dir = tempDir("ls-abr-");
  const { file, switchMs } = await resolutionSwitchFlv(dir, 8);
  const stream = await newStream("switch");
  const proc = spawn("ffmpeg", ["-hide_banner", "-loglevel", "error", "-re", "-i", file, "-c", "copy", "-f", "flv", publishUrl(stream)],
    { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  proc.stderr.on("data", (c) => { stderr += c; });
  const done = new Promise((resolve) => proc.on("exit", (code) => resolve(code)));
  t.after(() => proc.kill("SIGKILL"));

  await waitFor(async () => /480p\/index/.test((await text(stream.hlsSources[0].url)).body), { what: "ladder", timeoutMs: 20000 });
  const { page, logs } = await openBrowser();
  t.after(() => page.close());
  await page.goto(stream.previewPlayback);
  await watchLevels(page);
  // Playback carries on past the switch (the player started near the beginning).
  await page.waitForFunction((s) => {
    const v = document.querySelector("video");
    return v.currentTime > s + 2 && !v.paused;
  }, switchMs / 1000, { timeout: 40000 }).catch((e) => { throw new Error(`${e.message}\n${logs.join("\n")}`); });

  assert.equal(await done, 0, stderr);
  const ended = await endedPlaylists(stream, ["original", "480p", "360p"]);
  // No rendition stopped early: all of them run to the end, aligned.
  for (const name of ["480p", "360p"]) assertAligned(ended.original, ended[name], name);
  // The last segments: the original at 640x360, 480p no larger than its input, 360p unchanged.
  const last = (name) => hlsUrl(stream, `${name}/seg${ended[name].segments.at(-1).sequence}.ts`);
  const first = (name) => hlsUrl(stream, `${name}/seg${ended[name].segments[0].sequence}.ts`);
  const size = async (url) => {
    const v = (await ffprobe(url)).find((s) => s.codec_type === "video");
    return `${v.width}x${v.height}`;
  };
  assert.equal(await size(last("original")), "640x360");
  assert.equal(await size(last("480p")), "640x360");
  assert.equal(await size(last("360p")), "640x360");
  assert.equal(await size(first("480p")), "854x480");
  const master = parseMaster((await text(stream.hlsSources[0].url)).body);
  assert.deepEqual(master.map((v) => v.attrs.RESOLUTION), ["640x360", "640x360", "640x360"]);
});
