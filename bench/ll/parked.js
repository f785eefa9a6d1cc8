#!/usr/bin/env node
// What LL-HLS blocking requests cost the origin (issue #15 item 2: "2000 parked
// requests over 100 streams: record CPU and memory"), on loopback, in one run.
//
// 100 live streams are published by the load generator (bench/loadgen: RTMP
// publishers replaying a small FLV, 320x240 30 fps with a 1 s GOP, below every
// ABR rung, and ABR off). Then 2000 HTTP clients (20 per stream, Node http with
// a keep-alive agent) each loop on blocking playlist reloads of their stream's
// `/hls/<key>/original/ll.m3u8?_HLS_msn=M&_HLS_part=P`:
//   - "next part": the part the last answer's EXT-X-PRELOAD-HINT names, as an
//     LL player does: each answer comes when that part is published;
//   - "next segment": part 0 of the segment after the open one, so each request
//     sits parked for a segment (2 s) and the origin mostly holds idle requests.
// Recorded for the same server process: CPU (utime + stime from
// /proc/<pid>/stat over the window, % of one core) and memory (VmRSS, VmHWM)
// with the streams and no clients (once their LL windows are full), then in
// each client phase, then again after the clients left; answered
// requests/s; the `lunarstream_hls_parked_requests` gauge of /metrics sampled
// every second; the answer delay (request sent to answer received) p50/p99.
//
// Usage: node bench/ll/parked.js [--write] [--quick]
//   --write   replace the "LL-HLS parked requests" section of bench/RESULTS.md.
//   --quick   10 streams x 20 clients, short phases (a smoke test; figures not comparable).
// Environment:
//   LUNARSTREAM_BIN     server binary (default build/src/app/lunarstream)
//   LOADGEN_BIN         load generator (default build/bench/loadgen/loadgen)
//   BENCH_STREAMS       live streams (default 100)
//   BENCH_CLIENTS       clients per stream (default 20)
//   BENCH_SECONDS       measured window of each client phase (default 30)
//   BENCH_IDLE_SECONDS  measured window with the streams and no clients (default 15)
//   BENCH_PIN           1: the server on the last CPU, this script and the load generator on the
//                       others (default 1 with 2 or more CPUs); 0: all share every CPU
//   BENCH_CACHE_DIR     where the test FLV is kept (default build/bench-ll)
// Starts its own lunarstream (SQLite), load generator and ffmpeg (once, for the
// FLV) on 127.0.0.1 and stops exactly those, by PID, on exit.
"use strict";
const fs = require("node:fs");
const http = require("node:http");
const os = require("node:os");
const path = require("node:path");
const { spawn, execFileSync } = require("node:child_process");
const { monitorEventLoopDelay } = require("node:perf_hooks");
const { repo, testLib, replaceResultsSection } = require("../lib/node_bench.js");
const { startServer, partnerProject, tempDir } = testLib("server");

const write = process.argv.includes("--write");
const quick = process.argv.includes("--quick");
const streamCount = Number(process.env.BENCH_STREAMS || (quick ? 10 : 100));
const perStream = Number(process.env.BENCH_CLIENTS || 20);
const phaseSeconds = Number(process.env.BENCH_SECONDS || (quick ? 8 : 30));
const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS || (quick ? 5 : 15));
const rampSeconds = 4;  // clients connect and settle before a window starts
// Until every stream's LL window is full (10 listed + 3 retired 2 s segments)
// and memory stops growing with the streams alone.
const warmupSeconds = Number(process.env.BENCH_WARMUP || (quick ? 6 : 30));
const cpus = os.cpus().length;
const pin = (process.env.BENCH_PIN || (cpus >= 2 ? "1" : "0")) === "1";
const loadgenBin = process.env.LOADGEN_BIN || path.join(repo, "build", "bench", "loadgen", "loadgen");
const cacheDir = process.env.BENCH_CACHE_DIR || path.join(repo, "build", "bench-ll");
const clkTck = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// A small FLV, encoded once: 320x240 30 fps, 1 s GOP, x264 zerolatency, AAC.
function testFlv() {
  const file = path.join(cacheDir, "testsrc-320x240-30fps-gop1s-aac-20s.flv");
  if (fs.existsSync(file) && fs.statSync(file).size > 0) return file;
  fs.mkdirSync(cacheDir, { recursive: true });
  console.error(`bench: encoding ${file} (once)`);
  execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y",
    "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
    "-t", "20", "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
    "-g", "30", "-keyint_min", "30", "-sc_threshold", "0", "-b:v", "300k",
    "-c:a", "aac", "-b:a", "64k", "-ac", "1", "-f", "flv", file + ".part"], { stdio: "inherit", timeout: 120000 });
  fs.renameSync(file + ".part", file);
  return file;
}

// --- the server process --------------------------------------------------------

function cpuTicks(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);  // utime, stime (fields 14 and 15)
}

function memory(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (name) => Number((status.match(new RegExp(`^${name}:\\s+(\\d+)`, "m")) || [0, 0])[1]);
  return { rssMiB: kib("VmRSS") / 1024, hwmMiB: kib("VmHWM") / 1024 };
}

// A window of `seconds` on the server: CPU as % of one core, memory at its end,
// and the parked gauge sampled every second.
async function window(server, seconds, metricsAgent) {
  const pid = server.proc.pid;
  const parked = [];
  const t0 = process.hrtime.bigint();
  const c0 = cpuTicks(pid);
  const self0 = process.cpuUsage();
  for (let i = 0; i < seconds; ++i) {
    await sleep(1000);
    const m = await getText(server, "/metrics", metricsAgent).catch(() => null);
    const g = m && m.status === 200 ? m.body.match(/^lunarstream_hls_parked_requests (\d+)/m) : null;
    if (g) parked.push(Number(g[1]));
  }
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = ((cpuTicks(pid) - c0) / clkTck / wallS) * 100;
  const self = process.cpuUsage(self0);
  const clientCpu = ((self.user + self.system) / 1e6 / wallS) * 100;
  parked.sort((a, b) => a - b);
  return { wallS, cpu, clientCpu, ...memory(pid), parked };
}

// --- HTTP ---------------------------------------------------------------------

function getText(server, pathAndQuery, agent) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port: server.httpPort, path: pathAndQuery, agent }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.setTimeout(15000, () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}

// The part the playlist's preload hint names: {msn, part}.
function preloadHint(body) {
  const m = body.match(/#EXT-X-PRELOAD-HINT:TYPE=PART,URI="seg(\d+)\.(\d+)\.m4s"/);
  return m ? { msn: Number(m[1]), part: Number(m[2]) } : null;
}

// One phase: every client loops on blocking reloads until `until` (ms since
// epoch); answers completed inside [from, until] are counted and timed.
async function clientPhase(server, keys, clientsPerStream, mode, from, until) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: keys.length * clientsPerStream });
  const delays = [];
  // atEdge: answers whose preload hint is the part right after the one asked
  // for, i.e. the request was there before its part and waited for it (a
  // client that fell behind the live edge gets parts that already exist at once).
  const outcome = { answered: 0, inWindow: 0, atEdge: 0, statuses: {}, errors: 0 };
  const next = (hint) => {
    if (mode === "next part") return hint;
    // Part 0 of the segment after the open one (the hint is already there when it names a part 0).
    return hint.part === 0 ? hint : { msn: hint.msn + 1, part: 0 };
  };
  const client = async (key) => {
    const base = `/hls/${key}/original/ll.m3u8`;
    let hint = null;
    while (Date.now() < until) {
      if (!hint) {
        const r = await getText(server, base, agent).catch(() => null);
        hint = r && r.status === 200 ? preloadHint(r.body) : null;
        if (!hint) { outcome.errors += 1; await sleep(200); }
        continue;
      }
      const want = next(hint);
      const sent = process.hrtime.bigint();
      let r;
      try {
        r = await getText(server, `${base}?_HLS_msn=${want.msn}&_HLS_part=${want.part}`, agent);
      } catch (e) {
        outcome.errors += 1;
        hint = null;
        continue;
      }
      const done = Date.now();
      const ms = Number(process.hrtime.bigint() - sent) / 1e6;
      outcome.statuses[r.status] = (outcome.statuses[r.status] || 0) + 1;
      outcome.answered += 1;
      hint = r.status === 200 ? preloadHint(r.body) : null;
      if (done >= from && done <= until) {
        outcome.inWindow += 1;
        if (r.status === 200) delays.push(ms);
        if (hint && ((hint.msn === want.msn && hint.part === want.part + 1) || (hint.msn === want.msn + 1 && hint.part === 0))) {
          outcome.atEdge += 1;
        }
      }
    }
  };
  const running = [];
  for (const key of keys) for (let i = 0; i < clientsPerStream; ++i) running.push(client(key));
  return { agent, delays, outcome, done: Promise.all(running) };
}

// --- the run ------------------------------------------------------------------

async function main() {
  const load = os.loadavg().map((x) => x.toFixed(2)).join(" ");
  if (!fs.existsSync(loadgenBin)) throw new Error(`${loadgenBin} is missing: cmake --build build --target loadgen`);
  const flv = testFlv();
  if (pin) execFileSync("taskset", ["-pc", `0-${cpus - 2}`, String(process.pid)], { stdio: "ignore" });
  const server = await startServer({
    dataDir: tempDir("ls-bench-parked-"),
    wrapper: pin ? ["taskset", "-c", String(cpus - 1)] : [],
    env: {
      LUNARSTREAM_ABR_ENABLED: "false",
      LUNARSTREAM_RATELIMIT_PARTNER_PER_MINUTE: "10000000",
      LUNARSTREAM_RATELIMIT_PARTNER_PER_HOUR: "10000000",
      LUNARSTREAM_RATELIMIT_PUBLIC_PER_MINUTE: "10000000",
    },
  });
  let loadgen = null;
  const metricsAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const project = await partnerProject(server, "ll-parked");
    const streams = [];
    for (let i = 0; i < streamCount; ++i) streams.push(await project.newStream(`parked-${i}`));
    const dir = tempDir("ls-bench-parked-run-");
    fs.writeFileSync(path.join(dir, "keys.txt"), streams.map((s) => s.streamKeyWithParams).join("\n") + "\n");
    const totalSeconds = 30 + warmupSeconds + 2 * idleSeconds + 3 * (phaseSeconds + rampSeconds + 12);
    const launch = pin ? ["taskset", "-c", `0-${cpus - 2}`, loadgenBin] : [loadgenBin];
    loadgen = spawn(launch[0], [...launch.slice(1), "--flv", flv, "--rtmp-url", `rtmp://127.0.0.1:${server.rtmpPort}/live/{key}`,
      "--keys", path.join(dir, "keys.txt"), "--streams", String(streamCount), "--duration", String(totalSeconds),
      "--ramp-ms", "2000", "--quiet", "--report", path.join(dir, "loadgen.json")], { stdio: ["ignore", "ignore", "pipe"] });
    loadgen.stderrText = "";
    loadgen.stderr.on("data", (c) => { loadgen.stderrText += c; });

    // Every stream live with LL parts, then two segment lengths more so the windows settle.
    const keys = streams.map((s) => s.streamKey);
    const deadline = Date.now() + 30000;
    for (const key of keys) {
      for (;;) {
        const r = await getText(server, `/hls/${key}/original/ll.m3u8`, metricsAgent).catch(() => null);
        if (r && r.status === 200 && preloadHint(r.body)) break;
        if (Date.now() > deadline) throw new Error(`stream ${key} has no LL playlist: ${loadgen.stderrText}`);
        await sleep(200);
      }
    }
    const sample = await getText(server, `/hls/${keys[0]}/original/ll.m3u8`, metricsAgent);
    const partTarget = (sample.body.match(/PART-TARGET=([0-9.]+)/) || [])[1];
    await sleep(warmupSeconds * 1000);

    const results = [];
    const idle = await window(server, idleSeconds, metricsAgent);
    results.push({ label: `${streamCount} streams, no clients`, clients: 0, ...idle });
    // The parked phase first, right after the streams alone, so its memory over
    // theirs is the parked requests' (the heap does not shrink back after a
    // phase). Then the next-part loop with a quarter of the clients (a rate one
    // client process keeps up with on a shared core), then with all of them.
    const phases = [[perStream, "next segment"], [Math.max(1, Math.round(perStream / 4)), "next part"], [perStream, "next part"]];
    for (const [clientsPerStream, mode] of phases) {
      const from = Date.now() + rampSeconds * 1000;
      const until = from + phaseSeconds * 1000;
      const phase = await clientPhase(server, keys, clientsPerStream, mode, from, until);
      await sleep(rampSeconds * 1000);
      const lag = monitorEventLoopDelay({ resolution: 10 });
      lag.enable();
      const w = await window(server, phaseSeconds, metricsAgent);
      lag.disable();
      // The clients stop asking at `until`; what is parked is answered within a segment.
      await Promise.race([phase.done, sleep(15000)]);
      phase.agent.destroy();
      const delays = phase.delays.sort((a, b) => a - b);
      results.push({
        label: `${streamCount * clientsPerStream} clients, ${mode}`, clients: streamCount * clientsPerStream, mode, ...w,
        answeredPerS: phase.outcome.inWindow / phaseSeconds, p50: percentile(delays, 50), p99: percentile(delays, 99),
        atEdge: phase.outcome.inWindow ? (100 * phase.outcome.atEdge) / phase.outcome.inWindow : NaN,
        loopLagP99: lag.percentile(99) / 1e6,
        statuses: phase.outcome.statuses, errors: phase.outcome.errors,
      });
      await sleep(2000);
    }
    const after = await window(server, idleSeconds, metricsAgent);
    results.push({ label: `${streamCount} streams, after the clients left`, clients: 0, ...after });
    if (loadgen.exitCode !== null) throw new Error(`the load generator stopped early: ${loadgen.stderrText}`);
    report(results, { load, partTarget });
  } finally {
    metricsAgent.destroy();
    if (loadgen && loadgen.exitCode === null) {
      loadgen.kill("SIGINT");
      await Promise.race([new Promise((r) => loadgen.on("exit", r)), sleep(5000)]);
      if (loadgen.exitCode === null) loadgen.kill("SIGKILL");
    }
    await server.stop();
  }
}

function report(results, { load, partTarget }) {
  const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : "–");
  const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : "–");
  const gauge = (r) => (r.parked.length ? `${r.parked[0]} / ${percentile(r.parked, 50)} / ${r.parked.at(-1)}` : "–");
  const other = (r) => {
    if (!r.statuses) return "–";
    const n = Object.entries(r.statuses).filter(([s]) => s !== "200").reduce((a, [, c]) => a + c, 0) + r.errors;
    return String(n);
  };
  const rows = results.map((r) =>
    `| ${r.label} | ${f1(r.cpu)} | ${f1(r.rssMiB)} | ${f1(r.hwmMiB)} | ${r.clients ? f0(r.answeredPerS) : "–"} | ${gauge(r)} | `
      + `${r.clients ? `${f0(r.p50)} / ${f0(r.p99)}` : "–"} | ${r.clients ? f0(r.atEdge) : "–"} | ${other(r)} | `
      + `${f1(r.clientCpu)}${r.clients ? ` (lag p99 ${f0(r.loopLagP99)} ms)` : ""} |`);
  const idle = results[0];
  const perRequestKiB = (r) => ((r.rssMiB - idle.rssMiB) * 1024) / Math.max(1, r.clients);
  const seg = results[1];
  const few = results[2];
  const next = results[3];
  const text = [
    "## LL-HLS parked requests",
    "",
    `${streamCount} live streams published by the load generator (bench/loadgen replaying a 320x240 30 fps, 1 s GOP,`,
    `300 kbit/s + 64 kbit/s AAC FLV; ABR off; PART-TARGET ${partTarget} s, 2 s segments), then ${streamCount * perStream}`,
    `HTTP clients (${perStream} per stream, Node http, keep-alive) looping on blocking reloads of`,
    "`/hls/<key>/original/ll.m3u8?_HLS_msn=M&_HLS_part=P`: *next part* asks for the part the last answer's",
    "preload hint names (what an LL player does), *next segment* for part 0 of the segment after the open one",
    `(each request parked for a segment, 2 s). Windows of ${idleSeconds} s (no clients, after ${warmupSeconds} s of publishing,`,
    `when the LL windows are full), ${phaseSeconds} s (each client phase, after ${rampSeconds} s of ramp) and ${idleSeconds} s after`,
    "the clients left; one server process throughout. Server CPU is utime + stime from /proc over the window",
    "(% of one core); memory is VmRSS at the window's end and VmHWM (peak since start); the parked gauge is",
    "`lunarstream_hls_parked_requests` sampled every second (min / median / max); delay is request sent to",
    "answer received at the client. "
      + (pin ? `Server pinned to CPU ${cpus - 1}, clients and load generator on the other ${cpus - 1}.` : "No CPU pinning.")
      + ` ${cpus} CPUs, load average at start: ${load} (other builds share the machine).`,
    "Reproduce: `node bench/ll/parked.js --write`. Peer: none; nginx-rtmp has no LL-HLS (no parts, no blocking",
    "reload), so the nginx comparison of the other sections does not apply.",
    "",
    "| phase | server CPU % | VmRSS MiB | VmHWM MiB | answered/s | parked (min / median / max) | delay p50 / p99 ms | waited at the edge % | non-200 + errors | client CPU % (event-loop lag) |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
    "*Waited at the edge*: answers whose preload hint is the part right after the one asked for, i.e. the",
    "request arrived before its part and was held for it; a client that falls behind the live edge (its own",
    "event loop late) asks for parts that exist and is answered at once, so it is not parked.",
    "",
    `Per parked request, over the streams alone: ${f1(perRequestKiB(seg))} KiB of RSS while ${seg.clients} sit parked `
      + `(next segment, measured right after the streams alone), ${f1(seg.cpu - idle.cpu)} points of one core for ${f0(seg.answeredPerS)} answers/s `
      + `(every part publish wakes the stream's waiters, which judge again and park again). The next-part loop: `
      + `${f0(few.answeredPerS)} answers/s with ${few.clients} clients cost ${f1(few.cpu - idle.cpu)} points, `
      + `${f0(next.answeredPerS)} answers/s with ${next.clients} clients ${f1(next.cpu - idle.cpu)} points over the streams `
      + `alone (${f0(next.atEdge)}% of them waited at the edge: below 100%, the clients, not the server, set the pace). `
      + "A parked request holds a socket and a waiter entry, no thread.",
    "",
  ].join("\n");
  console.log(text);
  console.error(JSON.stringify(results.map((r) => ({ ...r, parked: undefined })), null, 1));
  if (write) replaceResultsSection("LL-HLS parked requests", text);
}

main().catch((e) => { console.error(e); process.exit(1); });
