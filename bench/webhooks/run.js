#!/usr/bin/env node
// Webhook delivery on loopback: event-to-receiver latency at a steady rate of
// events, and how fast a backlog drains once a receiver that was down comes
// back. Events are livestream creations through the partner API; latency is
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
// Starts its own lunarstream (SQLite) on 127.0.0.1 with a fresh data dir and
// stops exactly that one on exit.
"use strict";
const fs = require("node:fs");
const http = require("node:http");
const os = require("node:os");
const path = require("node:path");
const repo = path.resolve(__dirname, "..", "..");
process.env.LUNARSTREAM_BIN = process.env.LUNARSTREAM_BIN || path.join(repo, "build", "src", "app", "lunarstream");
// The test helpers' own packages (ajv for the OpenAPI checks) live in web/node_modules.
process.env.NODE_PATH = [path.join(repo, "web", "node_modules"), process.env.NODE_PATH].filter(Boolean).join(path.delimiter);
require("node:module").Module._initPaths();
const { startServer, cli, partnerProject } = require(path.join(repo, "tests", "integration", "lib", "server.js"));

const write = process.argv.includes("--write");
const rate = Number(process.env.BENCH_RATE || 100);
const seconds = Number(process.env.BENCH_SECONDS || 20);
const backlog = Number(process.env.BENCH_BACKLOG || 2000);

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  let down = false;
  const latencies = [];
  const seen = new Set();
  let lastArrival = 0;
  const receiver = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      if (down) return res.writeHead(503).end();
      const now = Date.now();
      const id = req.headers["webhook-id"];
      if (!seen.has(id)) {
        seen.add(id);
        latencies.push(now - Date.parse(JSON.parse(Buffer.concat(chunks).toString()).timestamp));
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

The dispatcher polls the outbox every 200 ms and again as soon as an attempt finishes; the
default \`webhooks.per_endpoint_concurrency\` (4) bounds the drain of one endpoint.
`;
    process.stdout.write(text);
    if (write) {
      const file = path.join(repo, "bench", "RESULTS.md");
      const old = fs.readFileSync(file, "utf8");
      const startAt = old.indexOf("## Webhooks\n");
      let updated;
      if (startAt < 0) {
        updated = old.replace(/\n*$/, "\n\n") + text;
      } else {
        const next = old.indexOf("\n## ", startAt + 1);
        updated = old.slice(0, startAt) + text + (next < 0 ? "" : old.slice(next));
      }
      fs.writeFileSync(file, updated);
    }
  } finally {
    await server.stop();
    receiver.closeAllConnections();
    receiver.close();
  }
}

main().catch((e) => {
  console.error(e.stack || e.message);
  process.exit(1);
});
