#!/usr/bin/env node
// Glass-to-glass latency of a live stream in hls.js, on loopback: the MPEG-TS
// master and the low-latency master, straight from the origin and through a
// caching reverse proxy (nginx with proxy_cache), all in one run on one stream.
//
// Latency is what hls.js reports for the frame at the playhead: Date.now()
// minus hls.playingDate (the frame's EXT-X-PROGRAM-DATE-TIME). LunarStream
// stamps a segment's program date time with the wall clock at which its first
// frame reached the server, so the figure covers ingest, packaging, delivery
// and the player's buffer, not the encoder's own delay (x264 with
// -tune zerolatency adds no frames of delay).
//
// Usage: node bench/ll/latency.js [--write]   (bench/ll/run.sh installs nginx first)
//   --write   replace the "Low-latency HLS" section of bench/RESULTS.md.
// Environment:
//   LUNARSTREAM_BIN   server binary (default build/src/app/lunarstream)
//   BENCH_SECONDS     samples per player (default 20 s, one every 250 ms)
//   BENCH_WARMUP      seconds of play before sampling starts (default 6)
//   BENCH_SIZE        encoder picture size (default 1280x720)
// Starts its own lunarstream (SQLite), ffmpeg, nginx and Chromium on 127.0.0.1
// and stops exactly those on exit.
"use strict";
const os = require("node:os");
const path = require("node:path");
const { spawn } = require("node:child_process");
const { repo, testLib, replaceResultsSection } = require("../lib/node_bench.js");
const { startServer, partnerProject, tempDir } = testLib("server");
const { launchChromium } = testLib("browser");
const { deadPort } = testLib("net");
const { startCachingProxy } = testLib("caching_proxy");

const write = process.argv.includes("--write");
const sampleSeconds = Number(process.env.BENCH_SECONDS || 20);
const warmupSeconds = Number(process.env.BENCH_WARMUP || 6);
const size = process.env.BENCH_SIZE || "1280x720";
const hlsJs = path.join(repo, "web", "node_modules", "hls.js", "dist", "hls.min.js");

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// The encoder: a 30 fps test picture with a 1 s GOP, x264 without frame delay.
function publish(url, seconds) {
  const args = ["-hide_banner", "-loglevel", "error", "-re",
    "-f", "lavfi", "-i", `testsrc2=size=${size}:rate=30`, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
    "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
    "-g", "30", "-keyint_min", "30", "-sc_threshold", "0", "-b:v", "2500k",
    "-c:a", "aac", "-b:a", "128k", "-t", String(seconds), "-f", "flv", url];
  const proc = spawn("ffmpeg", args, { stdio: ["ignore", "ignore", "pipe"] });
  proc.stderrText = "";
  proc.stderr.on("data", (c) => { proc.stderrText += c; });
  return proc;
}

// Plays `url` in hls.js and samples latency and stalls.
async function measure(browser, label, url, lowLatency) {
  const page = await browser.newPage();
  await page.setContent("<video id=v muted playsinline style='width:640px'></video>");
  await page.addScriptTag({ path: hlsJs });
  const started = await page.evaluate(([src, ll]) => new Promise((resolve) => {
    const video = document.getElementById("v");
    // LL: hls.js holds PART-HOLD-BACK behind the live edge unless a live sync
    // setting is given (which would override it); MPEG-TS: three segments, as
    // the preview page plays it.
    const hls = new Hls(ll ? { lowLatencyMode: true } : { lowLatencyMode: false, liveSyncDurationCount: 3 });
    window.__hls = hls;
    window.__stalls = 0;
    window.__stallMs = 0;
    let waitingSince = 0;
    video.addEventListener("waiting", () => { if (!waitingSince) { waitingSince = performance.now(); window.__stalls += 1; } });
    video.addEventListener("playing", () => {
      if (waitingSince) { window.__stallMs = Math.max(window.__stallMs, performance.now() - waitingSince); waitingSince = 0; }
    });
    hls.on(Hls.Events.ERROR, (_, d) => { if (d.fatal) resolve("fatal " + d.details); });
    hls.on(Hls.Events.MANIFEST_PARSED, () => { video.play().catch(() => {}); resolve("ok"); });
    hls.loadSource(src);
    hls.attachMedia(video);
  }), [url, lowLatency]);
  if (started !== "ok") throw new Error(`${label}: ${started}`);
  await page.waitForTimeout(warmupSeconds * 1000);
  await page.evaluate(() => { window.__stalls = 0; window.__stallMs = 0; });
  const samples = [];
  const until = Date.now() + sampleSeconds * 1000;
  while (Date.now() < until) {
    const s = await page.evaluate(() => {
      const d = window.__hls.playingDate;
      return d ? Date.now() - d.getTime() : null;
    });
    if (s !== null) samples.push(s);
    await page.waitForTimeout(250);
  }
  const stalls = await page.evaluate(() => ({ count: window.__stalls, maxMs: window.__stallMs }));
  await page.close();
  samples.sort((a, b) => a - b);
  return { label, url, n: samples.length, p50: percentile(samples, 50), p95: percentile(samples, 95),
    min: samples[0], max: samples.at(-1), stalls };
}

async function main() {
  const load = os.loadavg().map((x) => x.toFixed(2)).join(" ");
  const server = await startServer({ dataDir: tempDir("ls-bench-ll-") });
  // nginx as a CDN edge (tests/integration/lib/caching_proxy.js): proxy_cache
  // keyed on the whole request URI, so the blocking-reload query is passed
  // through and cached per _HLS_msn/_HLS_part, with request collapsing.
  const nginx = await startCachingProxy({ port: await deadPort(), originPort: server.httpPort });
  if (nginx.kind !== "nginx") throw new Error("nginx is not installed (bench/ll/run.sh installs it)");
  let ffmpeg = null;
  let browser = null;
  try {
    const project = await partnerProject(server, "ll-bench");
    const stream = await project.newStream("latency");
    const runs = 4;
    ffmpeg = publish(stream.rtmpUrl, 30 + runs * (warmupSeconds + sampleSeconds + 5));
    const origin = server.url("/hls/" + stream.streamKey);
    const edge = nginx.base + "/hls/" + stream.streamKey;
    const deadline = Date.now() + 20000;
    while (!(await fetch(origin + "/ll.m3u8")).ok) {
      if (Date.now() > deadline) throw new Error("no LL master: " + ffmpeg.stderrText);
      await new Promise((r) => setTimeout(r, 200));
    }
    // A player joining a stream whose playlist is still short starts closer to
    // the live edge than it ever will again: wait until the MPEG-TS window is
    // full (6 segments of 2 s) so that every figure is a steady state.
    const liveSince = Date.now();
    while (Date.now() - liveSince < 14000) await new Promise((r) => setTimeout(r, 500));
    browser = await launchChromium();
    const results = [];
    results.push(await measure(browser, "MPEG-TS master, origin", origin + "/master.m3u8", false));
    results.push(await measure(browser, "LL-HLS master, origin", origin + "/ll.m3u8", true));
    results.push(await measure(browser, "LL-HLS master, nginx proxy_cache", edge + "/ll.m3u8", true));
    results.push(await measure(browser, "MPEG-TS master, nginx proxy_cache", edge + "/master.m3u8", false));
    report(results, load);
  } finally {
    if (browser) await browser.close();
    if (ffmpeg) ffmpeg.kill("SIGKILL");
    await nginx.kill();
    await server.stop();
  }
}

function report(results, load) {
  const fmt = (ms) => (ms / 1000).toFixed(2);
  const rows = results.map((r) =>
    `| ${r.label} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.min)} | ${fmt(r.max)} | ${r.n} | ${r.stalls.count} | ${Math.round(r.stalls.maxMs)} |`);
  const ts = results.find((r) => r.label.startsWith("MPEG-TS master, origin"));
  const ll = results.find((r) => r.label.startsWith("LL-HLS master, origin"));
  const edge = results.find((r) => r.label.startsWith("LL-HLS master, nginx"));
  const text = [
    "## Low-latency HLS",
    "",
    "Glass-to-glass latency in hls.js (headless Chromium): `Date.now() - hls.playingDate` sampled every 250 ms",
    `for ${sampleSeconds} s after ${warmupSeconds} s of play, one ffmpeg publish (${size}, 30 fps, 1 s GOP, x264`,
    "`-tune zerolatency`, AAC) with the default ladder transcoding beside it; the MPEG-TS master and the LL master",
    "of the same stream, from the origin and through nginx `proxy_cache` (cache key = the whole request URI, so",
    "blocking-reload queries pass through; `proxy_cache_lock` on). Program date times are stamped when a",
    "segment's first frame reaches the server, so the encoder's own delay is not counted. Players join once the",
    "stream has been live for 14 s (a full MPEG-TS window), so each figure is a steady state.",
    `Reproduce: \`bench/ll/run.sh --write\`. Load average at start: ${load}.`,
    "",
    "| player source | p50 s | p95 s | min s | max s | samples | stalls | longest stall ms |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
    `Goal (issue #15): at most 1.5 s at the origin and 2 s through a caching proxy. LL at the origin is `
      + `${(ts.p50 / ll.p50).toFixed(1)}× lower than the MPEG-TS master at p50; through the proxy, ${fmt(edge.p50)} s.`,
    "",
  ].join("\n");
  console.log(text);
  if (write) replaceResultsSection("Low-latency HLS", text);
}

main().catch((e) => { console.error(e); process.exit(1); });
