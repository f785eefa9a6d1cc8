#!/usr/bin/env node
// Webhook delivery on loopback: event-to-receiver latency at a steady rate of
// events, how fast a backlog drains once a receiver that was down comes
// back, and the latency of that receiver while a second endpoint that
// answers only after 3 s has a backlog (one slow endpoint must not delay
// another). Events are livestream creations through the partner API; latency is
// the receiver's clock at arrival minus the event's `timestamp` (the commit
// of the change, same machine clock).
//
// Usage: node bench/webhooks/run.js [--write]
//   --write   replace the "Webhooks" section of bench/RESULTS.md.
// Environment:
//   LUNARSTREAM_BIN   server binary (default build/src/app/lunarstream)
//   BENCH_RATE        events per second in the latency run (default 100)
//   BENCH_SECONDS     length of the latency run (default 20)
//   BENCH_BACKLOG     events queued while the receiver is down (default 2000)
//   BENCH_SLOW_BACKLOG  events queued for the slow endpoint first (default 200)
//   BENCH_SLOW_SECONDS  length of the run beside it, at BENCH_RATE / 2 (default 10)
// Starts its own lunarstream (SQLite) on 127.0.0.1 with a fresh data dir and
// stops exactly that one on exit.
"use strict";
const http = require("node:http");
const os = require("node:os");
// The test helpers' own packages (ajv for the OpenAPI checks) live in web/node_modules.
const { testLib, replaceResultsSection } = require("../lib/node_bench.js");
const { startServer, cli, partnerProject } = testLib("server");

const write = process.argv.includes("--write");
const rate = Number(process.env.BENCH_RATE || 100);
const seconds = Number(process.env.BENCH_SECONDS || 20);
const backlog = Number(process.env.BENCH_BACKLOG || 2000);
const slowBacklog = Number(process.env.BENCH_SLOW_BACKLOG || 200);
const slowSeconds = Number(process.env.BENCH_SLOW_SECONDS || 10);
const slowAnswerMs = 3000;

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  let down = false;
  const latencies = [];
  const seen = new Set();
  let lastArrival = 0;
  let besideSlow = null;  // latencies of the fast endpoint during run 3
  let slowRequests = 0;
  const slowTimers = new Set();
  const receiver = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      if (req.url === "/slow") {
        slowRequests++;
        const t = setTimeout(() => { slowTimers.delete(t); res.writeHead(204).end(); }, slowAnswerMs);
        slowTimers.add(t);
        return;
      }
      if (down) return res.writeHead(503).end();
      const now = Date.now();
      const id = req.headers["webhook-id"];
      if (!seen.has(id)) {
        seen.add(id);
        const latency = now - Date.parse(JSON.parse(Buffer.concat(chunks).toString()).timestamp);
        latencies.push(latency);
        if (besideSlow) besideSlow.push(latency);
        lastArrival = now;
      }
      res.writeHead(204).end();
    });
  });
  await new Promise((r) => receiver.listen(0, "127.0.0.1", r));
  const load = os.loadavg().map((x) => x.toFixed(2)).join(" ");
  const server = await startServer({
    env: {
      LUNARSTREAM_WEBHOOKS_ALLOW_PRIVATE_TARGETS: "true",
      // Compressed so the drain run does not wait minutes between attempts.
      LUNARSTREAM_WEBHOOKS_RETRY_SCHEDULE: "0s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s",
      LUNARSTREAM_RATELIMIT_PARTNER_PER_MINUTE: "10000000",
      LUNARSTREAM_RATELIMIT_PARTNER_PER_HOUR: "10000000",
    },
  });
  try {
    const project = await partnerProject(server, "Webhooks bench");
    const add = await cli(["webhook", "add", "--project", project.projectId, "--url",
      `http://127.0.0.1:${receiver.address().port}/hook`, "--json", ...server.storeArgs]);
    if (add.code !== 0) throw new Error(`webhook add: ${add.stderr}`);

    // 1. Steady rate.
    const total = rate * seconds;
    const start = Date.now();
    const creates = [];
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      creates.push(project.newStream(`rate-${i}`));
    }
    await Promise.all(creates);
    const deadline = Date.now() + 60000;
    while (seen.size < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const sorted = [...latencies].sort((a, b) => a - b);
    const steady = { total, delivered: seen.size, p50: percentile(sorted, 50), p90: percentile(sorted, 90),
      p99: percentile(sorted, 99), max: sorted[sorted.length - 1] };

    // 2. Backlog drain.
    down = true;
    const before = seen.size;
    const queued = [];
    for (let i = 0; i < backlog; i++) {
      queued.push(project.newStream(`backlog-${i}`));
      if (queued.length >= 16) await Promise.all(queued.splice(0));
    }
    await Promise.all(queued);
    down = false;
    const upAt = Date.now();
    const drainDeadline = upAt + 120000;
    while (seen.size < before + backlog && Date.now() < drainDeadline) await new Promise((r) => setTimeout(r, 50));
    const drainMs = lastArrival - upAt;
    const drain = { backlog, delivered: seen.size - before, seconds: drainMs / 1000,
      perSecond: ((seen.size - before) / (drainMs / 1000)).toFixed(0) };

    // 3. Beside a slow endpoint with a backlog: a second endpoint of the
    // project answers only after 3 s; it gets slowBacklog events at once (so
    // its backlog is older than anything after), then events come at half the
    // steady rate and the first endpoint's latency is measured.
    const slowAdd = await cli(["webhook", "add", "--project", project.projectId, "--url",
      `http://127.0.0.1:${receiver.address().port}/slow`, "--json", ...server.storeArgs]);
    if (slowAdd.code !== 0) throw new Error(`webhook add: ${slowAdd.stderr}`);
    const beforeSlow = seen.size;
    const burst = [];
    for (let i = 0; i < slowBacklog; i++) {
      burst.push(project.newStream(`slow-backlog-${i}`));
      if (burst.length >= 16) await Promise.all(burst.splice(0));
    }
    await Promise.all(burst);
    const burstDeadline = Date.now() + 60000;
    while (seen.size < beforeSlow + slowBacklog && Date.now() < burstDeadline) await new Promise((r) => setTimeout(r, 20));
    besideSlow = [];
    const slowRate = Math.max(1, Math.floor(rate / 2));
    const slowTotal = slowRate * slowSeconds;
    const beside = [];
    const startBeside = Date.now();
    const firstBeside = seen.size;
    for (let i = 0; i < slowTotal; i++) {
      const due = startBeside + (i * 1000) / slowRate;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      beside.push(project.newStream(`beside-${i}`));
    }
    await Promise.all(beside);
    const besideDeadline = Date.now() + 60000;
    while (seen.size < firstBeside + slowTotal && Date.now() < besideDeadline) await new Promise((r) => setTimeout(r, 20));
    const besideSorted = [...besideSlow].sort((a, b) => a - b);
    const slowRun = { total: slowTotal, delivered: seen.size - firstBeside, p50: percentile(besideSorted, 50),
      p90: percentile(besideSorted, 90), p99: percentile(besideSorted, 99), max: besideSorted[besideSorted.length - 1],
      slowRequests };
    besideSlow = null;

    const when = new Date().toISOString().slice(0, 16) + "Z";
    const text = `## Webhooks

Written by \`node bench/webhooks/run.js --write\` on ${when}. nproc ${os.cpus().length}, load average before the run ${load}.

One \`lunarstream serve\` (SQLite) and one receiver (Node \`http\`, answers 204 at once) on loopback; events are
livestream creations through the partner API (\`livestream.created\`, one endpoint). Latency = arrival at the
receiver minus the event's \`timestamp\` (when the change committed), both on this machine's clock.

| run | events | delivered | p50 ms | p90 ms | p99 ms | max ms |
|---|---:|---:|---:|---:|---:|---:|
| ${rate} events/s for ${seconds} s | ${steady.total} | ${steady.delivered} | ${steady.p50} | ${steady.p90} | ${steady.p99} | ${steady.max} |

| backlog drain | events | delivered | seconds | events/s |
|---|---:|---:|---:|---:|
| receiver down while ${backlog} events queued, then up | ${drain.backlog} | ${drain.delivered} | ${drain.seconds.toFixed(1)} | ${drain.perSecond} |

| beside a slow endpoint | events | delivered | p50 ms | p90 ms | p99 ms | max ms |
|---|---:|---:|---:|---:|---:|---:|
| ${slowRate} events/s for ${slowSeconds} s while a second endpoint (answers after ${slowAnswerMs / 1000} s) has ${slowBacklog} events queued | ${slowRun.total} | ${slowRun.delivered} | ${slowRun.p50} | ${slowRun.p90} | ${slowRun.p99} | ${slowRun.max} |

The dispatcher polls the outbox every 200 ms and again as soon as an attempt finishes; the
default \`webhooks.per_endpoint_concurrency\` (4) bounds the drain of one endpoint. The
slow endpoint took ${slowRun.slowRequests} requests during the last run (at most 4 at a time, 3 s each).
`;
    process.stdout.write(text);
    if (write) replaceResultsSection("Webhooks", text);
  } finally {
    await server.stop();
    for (const t of slowTimers) clearTimeout(t);
    receiver.closeAllConnections();
    receiver.close();
  }
}

main().catch((e) => {
  console.error(e.stack || e.message);
  process.exit(1);
});
