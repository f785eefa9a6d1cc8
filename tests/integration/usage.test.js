// Usage metering with the real binary (docs/platform.md "Usage metering"):
// ffmpeg publishes two streams of known length with the ABR ladder on, the
// test fetches known bytes from the origin a known number of times, and the
// `lunarstream usage` CLI must show every figure within 1 %. Then a kill -9
// after a flush and a restart: nothing is counted twice, at most the last
// interval is lost. Runs on PostgreSQL too (usage.postgres).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { spawn } = require("node:child_process");
const { BIN, startServer, cli, api, partnerProject } = require("./lib/server");
const { ffmpegPublish, waitFor } = require("./lib/media");
const { deadPort } = require("./lib/net");

const FLUSH_MS = 300;
const env = {
  LUNARSTREAM_USAGE_FLUSH_INTERVAL_MS: String(FLUSH_MS),
  // One small rung, fast, never shed on a busy machine: transcoded seconds are exact.
  LUNARSTREAM_ABR_LADDER: "240p:426x240:300k",
  LUNARSTREAM_ABR_X264_PRESET: "ultrafast",
  LUNARSTREAM_ABR_MAX_LAG_MS: "60000",
};

const HOUR = 3600 * 1000;
function range() {
  const now = Date.now();
  return [new Date(now - 2 * HOUR).toISOString(), new Date(now + 2 * HOUR).toISOString()];
}

// The CLI's JSON, summed over the range's buckets (a run may cross an hour).
async function usage(server, projectId) {
  const [from, to] = range();
  const r = await cli(["usage", "--project", projectId, "--from", from, "--to", to, "--json", ...server.storeArgs]);
  assert.equal(r.code, 0, r.stderr);
  const body = JSON.parse(r.stdout);
  const sum = { ingest: 0, transcode: 0, bytes: 0, requests: 0, streams: {}, heights: {} };
  for (const b of body.data) {
    sum.ingest += b.ingestSeconds;
    sum.transcode += b.transcodeSeconds;
    sum.bytes += b.egressBytes;
    sum.requests += b.egressRequests;
    for (const s of b.streams) sum.streams[s.livestreamId] = (sum.streams[s.livestreamId] || 0) + s.ingestSeconds;
    for (const [h, s] of Object.entries(b.transcodeByHeight)) sum.heights[h] = (sum.heights[h] || 0) + s;
  }
  return { body, sum };
}

const within = (actual, expected, what) =>
  assert.ok(Math.abs(actual - expected) <= expected * 0.01, `${what}: ${actual}, expected ${expected} ± 1 %`);

// Fetches `url` n times; the body bytes received.
async function fetchBytes(url, n) {
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const r = await fetch(url);
    assert.equal(r.status, 200, url);
    bytes += (await r.arrayBuffer()).byteLength;
  }
  return bytes;
}

// The original playlist's first segment; the playlist read is added to `served`.
async function firstSegmentUrl(server, stream, served) {
  const response = await fetch(`${server.api}/hls/${stream.streamKey}/original/index.m3u8`);
  assert.equal(response.status, 200);
  const playlist = await response.text();
  served.bytes += Buffer.byteLength(playlist);
  served.requests += 1;
  const segment = playlist.split("\n").find((l) => l && !l.startsWith("#"));
  assert.ok(segment, playlist);
  return `${server.api}/hls/${stream.streamKey}/original/${segment}`;
}

test("ingest, transcode and egress of two streams are metered within 1 %", { timeout: 120000 }, async () => {
  const server = await startServer({ env });
  try {
    const project = await partnerProject(server, "usage");
    const a = await project.newStream("four seconds");
    const b = await project.newStream("seven seconds");
    const publishes = [ffmpegPublish(`${a.rtmpServer}/${a.streamKeyWithParams}`, { seconds: 4, size: "640x480" }),
                       ffmpegPublish(`${b.rtmpServer}/${b.streamKeyWithParams}`, { seconds: 7, size: "640x480" })];
    for (const p of publishes) assert.equal((await p.done).code, 0, p.stderrText);

    // Known egress, from every kind of origin path: playlists, a segment, the pre-ABR path.
    const served = { bytes: 0, requests: 0 };
    const get = async (url, n = 1) => {
      served.bytes += await fetchBytes(url, n);
      served.requests += n;
    };
    const segment = await firstSegmentUrl(server, a, served);
    await get(segment, 5);
    await get(`${server.api}/hls/${a.streamKey}/master.m3u8`, 2);
    await get(`${server.api}/hls/${b.streamKey}/240p/index.m3u8`);
    await get(`${server.api}/live/${b.streamKey}/hls.m3u8`, 3);
    // A 404 is not egress.
    assert.equal((await fetch(`${server.api}/hls/${a.streamKey}/original/nope.ts`)).status, 404);
    const { bytes, requests } = served;

    // Until every figure is in (the ladder finishes encoding after the publish ends).
    let last;
    await waitFor(async () => {
      last = (await usage(server, project.projectId)).sum;
      return last.requests === requests && Math.abs(last.ingest - 11) <= 0.11 && Math.abs(last.transcode - 11) <= 0.11;
    }, { timeoutMs: 30000, what: "every figure flushed" }).catch(() => {});
    const sum = last;
    within(sum.streams[a.id], 4, "ingest seconds of the 4 s stream");
    within(sum.streams[b.id], 7, "ingest seconds of the 7 s stream");
    within(sum.ingest, 11, "ingest seconds");
    within(sum.heights["240"], 11, "transcode seconds at 240");
    assert.deepEqual(Object.keys(sum.heights), ["240"], "the original is not transcoding");
    assert.equal(sum.requests, requests);
    assert.equal(sum.bytes, bytes);

    // CSV: the contract's header, one line per hour.
    const [from, to] = range();
    const csv = await cli(["usage", "--project", project.projectId, "--from", from, "--to", to, "--csv", ...server.storeArgs]);
    assert.equal(csv.code, 0, csv.stderr);
    const lines = csv.stdout.trim().split("\n");
    assert.equal(lines[0], "start,end,ingest_seconds,transcode_seconds,egress_bytes,egress_requests");
    const json = (await usage(server, project.projectId)).body;
    assert.equal(lines.length, 1 + json.data.length);
    const csvSum = lines.slice(1).map((l) => l.split(",")).reduce((acc, f) => {
      acc.ingest += Number(f[2]);
      acc.bytes += Number(f[4]);
      acc.requests += Number(f[5]);
      return acc;
    }, { ingest: 0, bytes: 0, requests: 0 });
    assert.equal(csvSum.bytes, bytes);
    assert.equal(csvSum.requests, requests);
    within(csvSum.ingest, 11, "CSV ingest seconds");

    // Bad input: a clear error, exit 2.
    const bad = await cli(["usage", "--project", project.projectId, "--from", "yesterday", "--to", to, ...server.storeArgs]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /from must be an ISO-8601/);
  } finally {
    assert.equal((await server.stop()).code, 0);
  }
});

test("kill -9 after a flush and a restart: nothing counted twice, at most one interval lost", { timeout: 120000 }, async () => {
  let server = await startServer({ env });
  const project = await partnerProject(server, "usage-crash");
  const stream = await project.newStream("crash");
  const publish = ffmpegPublish(`${stream.rtmpServer}/${stream.streamKeyWithParams}`, { seconds: 4, size: "640x480" });
  assert.equal((await publish.done).code, 0, publish.stderrText);
  const segment = await firstSegmentUrl(server, stream, { bytes: 0, requests: 0 });
  await fetchBytes(segment, 3);
  const flushed = await waitFor(async () => {
    const u = await usage(server, project.projectId);
    return u.sum.requests === 4 && Math.abs(u.sum.ingest - 4) <= 0.04 ? u.sum : null;
  }, { timeoutMs: 30000, what: "the publish and 4 requests flushed" });
  // More egress, then kill -9 at once: these may or may not have been flushed.
  await fetchBytes(segment, 2);
  server.proc.kill("SIGKILL");
  assert.equal((await server.exited).signal, "SIGKILL");

  server = await startServer({ env, dataDir: server.dataDir, database: server.databaseUrl });
  try {
    // What was stored before the kill is there once: the restart replays nothing.
    const after = (await usage(server, project.projectId)).sum;
    assert.equal(after.ingest, flushed.ingest, "ingest counted once");
    assert.equal(after.transcode, flushed.transcode, "transcode counted once");
    assert.ok(after.requests >= 4 && after.requests <= 6, `requests ${after.requests}`);
  } finally {
    assert.equal((await server.stop()).code, 0);
  }
});

// A `--role media` node (as in roles.test.js): it has no store and sends its
// batches to the API tier over the internal node API.
async function startNode(apiServer, name) {
  const [http, rtmp] = [await deadPort(), await deadPort()];
  const added = await cli(["node", "add", "--name", name, "--rtmp-url", `rtmp://127.0.0.1:${rtmp}/live`,
    "--hls-url", `http://127.0.0.1:${http}`, ...apiServer.storeArgs, "--json"]);
  assert.equal(added.code, 0, added.stderr);
  const info = JSON.parse(added.stdout);
  const proc = spawn(BIN, ["serve", "--role", "media", "--log-level", "warn", "--control-url", apiServer.api,
    "--node-id", info.id, "--node-secret", info.secret, "--http", `127.0.0.1:${http}`, "--rtmp", `127.0.0.1:${rtmp}`],
  { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const node = { ...info, proc, stdout: "", stderr: "", hls: `http://127.0.0.1:${http}` };
  node.exited = new Promise((resolve) => proc.on("exit", (code, signal) => resolve({ code, signal })));
  proc.stderr.on("data", (c) => { node.stderr += c; });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("node did not become ready:\n" + node.stdout + node.stderr)), 20000);
    proc.stdout.on("data", (chunk) => {
      node.stdout += chunk;
      if (/LunarStream ready: /.test(node.stdout)) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`node exited with ${code} before ready:\n${node.stdout}${node.stderr}`));
    });
  });
  return node;
}

test("a media node's usage reaches the API tier's store, once", { timeout: 120000 }, async () => {
  const apiServer = await startServer({ args: ["--role", "api"], env });
  let node;
  try {
    node = await startNode(apiServer, "usage-node");
    const made = await cli(["project", "create", "--name", "usage-remote", ...apiServer.storeArgs, "--json"]);
    assert.equal(made.code, 0, made.stderr);
    const { apiKey, projectId } = JSON.parse(made.stdout);
    const r = await api(apiServer, "POST", "/api/v1/livestream",
      { key: apiKey, body: { name: "remote", projectId, mediaServerId: node.id } });
    assert.equal(r.status, 201, r.text);
    const stream = r.body.data;
    const publish = ffmpegPublish(`${stream.rtmpServer}/${stream.streamKeyWithParams}`, { seconds: 4, size: "640x480" });
    assert.equal((await publish.done).code, 0, publish.stderrText);
    const served = { bytes: 0, requests: 0 };
    const segment = await firstSegmentUrl({ api: node.hls }, stream, served);
    served.bytes += await fetchBytes(segment, 3);
    served.requests += 3;
    const { sum } = await waitFor(async () => {
      const u = await usage(apiServer, projectId);
      return u.sum.requests === served.requests && Math.abs(u.sum.transcode - 4) <= 0.04 ? u : null;
    }, { timeoutMs: 30000, what: "the node's usage stored by the API tier" });
    within(sum.streams[stream.id], 4, "ingest seconds on the node");
    within(sum.heights["240"], 4, "transcode seconds on the node");
    assert.equal(sum.bytes, served.bytes);
    // A clean stop flushes (nothing left to send) and adds nothing twice.
    node.proc.kill("SIGTERM");
    assert.equal((await node.exited).code, 0, node.stderr);
    const after = (await usage(apiServer, projectId)).sum;
    assert.equal(after.ingest, sum.ingest);
    assert.equal(after.requests, sum.requests);
  } finally {
    if (node && node.proc.exitCode === null) node.proc.kill("SIGKILL");
    assert.equal((await apiServer.stop()).code, 0);
  }
});
