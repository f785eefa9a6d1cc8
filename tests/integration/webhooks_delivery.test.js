// Webhook delivery against the real binary and real receivers on loopback,
// every delivery checked by the independent `standardwebhooks` package:
// a receiver down for a (compressed) hour gets every event once it is back,
// in order per livestream; a receiver answering 500, one that hangs and one
// that redirects are retried with the same webhook-id (the redirect never
// followed); a `kill -9` with 1000 events pending loses none of them.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const http = require("node:http");
const { spawnSync } = require("node:child_process");
const { Webhook } = require("standardwebhooks");
const { startServer, cli, api, partnerProject, BIN } = require("./lib/server");
const { checkWebhookDelivery } = require("./lib/openapi");

// Compressed: the whole schedule spans a few seconds instead of a day.
const kEnv = {
  LUNARSTREAM_WEBHOOKS_RETRY_SCHEDULE: "0s, 100ms, 200ms, 300ms, 500ms, 500ms, 500ms, 500ms, 500ms, 500ms, " +
    "500ms, 500ms, 500ms, 500ms, 500ms, 500ms, 500ms, 500ms, 500ms, 500ms",
  LUNARSTREAM_WEBHOOKS_ALLOW_PRIVATE_TARGETS: "true",
  LUNARSTREAM_WEBHOOKS_TIMEOUT_MS: "1000",
  LUNARSTREAM_RATELIMIT_PARTNER_PER_MINUTE: "100000",
  LUNARSTREAM_RATELIMIT_PARTNER_PER_HOUR: "1000000",
};

// A receiver on 127.0.0.1. mode(path) says how to answer: "ok", "down"
// (503), "fail" (500), "hang" (never), "redirect" (307 to /ok), "park"
// (200, once release(path) is called).
function receiver() {
  const got = [];  // {path, headers, body, answered}
  const okIds = new Map();  // path -> Set of webhook-ids answered 200
  const waiters = [];
  const modes = new Map();
  const hung = [];
  const parked = [];  // {path, id, res}
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const mode = modes.get(req.url) || "ok";
      const entry = { path: req.url, headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), answered: mode };
      got.push(entry);
      if (mode === "ok") {
        if (!okIds.has(req.url)) okIds.set(req.url, new Set());
        okIds.get(req.url).add(req.headers["webhook-id"]);
      }
      for (const w of [...waiters]) w();
      if (mode === "hang") { hung.push(res); return; }
      if (mode === "park") { parked.push({ path: req.url, id: req.headers["webhook-id"], res }); return; }
      if (mode === "down") { res.writeHead(503).end("down"); return; }
      if (mode === "fail") { res.writeHead(500).end("boom"); return; }
      if (mode === "redirect") { res.writeHead(307, { location: "/ok" }).end("moved"); return; }
      res.writeHead(200).end("thanks");
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => {
    const base = `http://127.0.0.1:${server.address().port}`;
    resolve({
      url: (p) => base + p,
      setMode: (p, m) => modes.set(p, m),
      // Answers 200 to what `p` has parked, and to everything after.
      release: (p) => {
        modes.set(p, "ok");
        if (!okIds.has(p)) okIds.set(p, new Set());
        for (const r of parked.filter((x) => x.path === p)) {
          okIds.get(p).add(r.id);
          r.res.writeHead(200).end("thanks");
        }
        for (const w of [...waiters]) w();
      },
      got: (p) => got.filter((g) => g.path === p),
      // How many distinct events `p` answered 200 (cheap: checked on every request).
      delivered: (p) => (okIds.get(p) || new Set()).size,
      // Resolves once pred() holds (checked on every request), or rejects after ms.
      until: (pred, ms = 60000) => new Promise((ok, fail) => {
        if (pred()) return ok();
        const timer = setTimeout(() => fail(new Error("receiver: condition not met in time")), ms);
        const w = () => {
          if (!pred()) return;
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(w), 1);
          ok();
        };
        waiters.push(w);
      }),
      close: () => {
        for (const r of hung) r.destroy();
        for (const r of parked) r.res.destroy();
        server.closeAllConnections();
        return new Promise((r) => server.close(r));
      },
    });
  }));
}

// Endpoints are managed by `lunarstream webhook ...`; without it (a tree
// that has the delivery but not the management yet) there is nothing to run.
const kHaveCli = spawnSync(BIN, ["webhook", "--help"]).status === 0;
const itest = kHaveCli ? test : test.skip;

// An endpoint through the CLI (the secret is printed once, with --json).
async function addEndpoint(server, projectId, url) {
  const r = await cli(["webhook", "add", "--project", projectId, "--url", url, "--json", ...server.storeArgs]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

async function attempts(server, endpointId) {
  const r = await cli(["webhook", "attempts", endpointId, "--limit", "100", "--json", ...server.storeArgs]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

// Checks every request with the standardwebhooks package, and each event
// against the OpenAPI document's webhooks; returns the events, first copy of
// each webhook-id, in arrival order.
function verified(requests, secret) {
  const wh = new Webhook(secret);
  const seen = new Set();
  const events = [];
  for (const r of requests) {
    const event = wh.verify(r.body, r.headers);  // throws on a bad or stale signature
    assert.equal(r.headers["content-type"], "application/json");
    assert.equal(r.headers["user-agent"], "LunarStream-Webhooks/1");
    assert.match(r.headers["ls-signature"], /^t=\d+,v1=[0-9a-f]{64}$/);
    if (seen.has(r.headers["webhook-id"])) continue;
    seen.add(r.headers["webhook-id"]);
    checkWebhookDelivery(event, r.headers);  // as docs/openapi.json describes it
    events.push({ id: r.headers["webhook-id"], ...event });
  }
  return events;
}

function assertInOrderPerSubject(events) {
  const last = new Map();
  for (const e of events) {
    const subject = e.data && e.data.id;
    const previous = last.get(subject) || 0;
    assert.equal(e.sequence, previous + 1, `${subject}: ${e.type} #${e.sequence} after #${previous}`);
    last.set(subject, e.sequence);
  }
}

itest("a receiver down for a compressed hour gets every event afterwards, in order per stream, each verified", async () => {
  const rx = await receiver();
  const server = await startServer({ env: kEnv });
  try {
    const project = await partnerProject(server, "Webhooks down");
    const endpoint = await addEndpoint(server, project.projectId, rx.url("/hook"));
    assert.match(endpoint.secret, /^whsec_[A-Za-z0-9+/]{32}$/);
    rx.setMode("/hook", "down");
    const streams = [];
    for (let i = 0; i < 5; i++) streams.push(await project.newStream(`down-${i}`));
    for (const s of streams.slice(0, 2)) {
      const del = await api(server, "DELETE", `/api/v1/livestream/${s.id}`, { key: project.key });
      assert.ok(del.status === 200 || del.status === 204, del.text);
    }
    // The "hour": several failed attempts per event.
    await rx.until(() => rx.got("/hook").length >= 20);
    rx.setMode("/hook", "ok");
    const expected = 5 + 2;
    await rx.until(() => rx.delivered("/hook") >= expected);
    const events = verified(rx.got("/hook"), endpoint.secret);
    assert.equal(events.length, expected);
    assertInOrderPerSubject(events);
    assert.deepEqual(events.filter((e) => e.type === "livestream.deleted").map((e) => e.data.id).sort(),
      streams.slice(0, 2).map((s) => s.id).sort());
    for (const e of events) assert.equal(e.data.pushToken, undefined, "no secrets in webhook data");
  } finally {
    await server.stop();
    await rx.close();
  }
});


itest("500, hanging and redirecting receivers are retried with the same webhook-id; redirects are not followed", async () => {
  const rx = await receiver();
  const server = await startServer({ env: kEnv });
  try {
    const project = await partnerProject(server, "Webhooks failing");
    const failing = await addEndpoint(server, project.projectId, rx.url("/fail"));
    const hanging = await addEndpoint(server, project.projectId, rx.url("/hang"));
    const redirecting = await addEndpoint(server, project.projectId, rx.url("/redirect"));
    const healthy = await addEndpoint(server, project.projectId, rx.url("/ok"));
    rx.setMode("/fail", "fail");
    rx.setMode("/hang", "hang");
    rx.setMode("/redirect", "redirect");
    await project.newStream("one");
    // The healthy endpoint is not held up by the others.
    await rx.until(() => rx.got("/ok").length >= 1);
    await rx.until(() => rx.got("/fail").length >= 3 && rx.got("/hang").length >= 2 && rx.got("/redirect").length >= 3);
    for (const [p, e] of [["/fail", failing], ["/hang", hanging], ["/redirect", redirecting]]) {
      const requests = rx.got(p);
      verified(requests, e.secret);
      assert.equal(new Set(requests.map((r) => r.headers["webhook-id"])).size, 1, `${p}: one event, one id`);
    }
    assert.equal(verified(rx.got("/ok"), healthy.secret).length, 1, "the redirect target was never requested");
    const log = await attempts(server, redirecting.id);
    assert.ok(log.length >= 3);
    assert.ok(log.every((a) => a.status === 307), JSON.stringify(log));
    const hangLog = await attempts(server, hanging.id);
    assert.ok(hangLog.some((a) => a.status === null && /timed out after 1000 ms/.test(a.error)), JSON.stringify(hangLog));
    const failLog = await attempts(server, failing.id);
    assert.ok(failLog.some((a) => a.status === 500), JSON.stringify(failLog));
    const metrics = await (await fetch(server.url("/metrics"))).text();
    assert.match(metrics, /^lunarstream_webhook_deliveries_total\{outcome="succeeded"\} [1-9]/m);
    assert.match(metrics, /^lunarstream_webhook_deliveries_total\{outcome="retry"\} [1-9]/m);
    assert.match(metrics, /^lunarstream_webhook_backlog \d+$/m);
  } finally {
    await server.stop();
    await rx.close();
  }
});

itest("private targets are refused unless allowed", async () => {
  const rx = await receiver();
  const server = await startServer({ env: { ...kEnv, LUNARSTREAM_WEBHOOKS_ALLOW_PRIVATE_TARGETS: "false" } });
  try {
    const project = await partnerProject(server, "Webhooks private");
    const endpoint = await addEndpoint(server, project.projectId, rx.url("/hook"));
    await project.newStream("private");
    let log = [];
    for (let i = 0; i < 200 && log.length === 0; i++) {
      log = await attempts(server, endpoint.id);
    }
    assert.ok(log.length >= 1);
    assert.equal(log[0].error, "target address is private: 127.0.0.1");
    assert.equal(rx.got("/hook").length, 0);
  } finally {
    await server.stop();
    await rx.close();
  }
});

itest("a slow endpoint's backlog does not hold up another endpoint, and none of its events is sent twice", async () => {
  const rx = await receiver();
  // Long enough that nothing parked times out: every request below is answered once.
  const server = await startServer({ env: { ...kEnv, LUNARSTREAM_WEBHOOKS_TIMEOUT_MS: "30000" } });
  try {
    const project = await partnerProject(server, "Webhooks fairness");
    const slow = await addEndpoint(server, project.projectId, rx.url("/slow"));
    rx.setMode("/slow", "park");
    // The slow endpoint's backlog is older than every event of the fast one,
    // and far more than it may have in flight (webhooks.per_endpoint_concurrency, 4).
    for (let i = 0; i < 20; i++) await project.newStream(`slow-${i}`);
    await rx.until(() => rx.got("/slow").length >= 4);
    const fast = await addEndpoint(server, project.projectId, rx.url("/fast"));
    for (let i = 0; i < 30; i++) await project.newStream(`fast-${i}`);
    // Every fast event arrives while the slow endpoint holds its first four.
    await rx.until(() => rx.delivered("/fast") >= 30);
    assert.equal(rx.got("/slow").length, 4, "no more than per_endpoint_concurrency at once");
    assert.equal(verified(rx.got("/fast"), fast.secret).length, 30);
    rx.release("/slow");
    const want = 20 + 30;
    await rx.until(() => rx.delivered("/slow") >= want);
    // Each once: nothing was left to a lease and sent again when it lapsed.
    const requests = rx.got("/slow");
    assert.equal(requests.length, want);
    assert.equal(verified(requests, slow.secret).length, want);
    const log = await attempts(server, slow.id);
    assert.equal(log.length, want);
    assert.ok(log.every((a) => a.status === 200), JSON.stringify(log.filter((a) => a.status !== 200)));
  } finally {
    await server.stop();
    await rx.close();
  }
});

itest("kill -9 with 1000 events pending, then a restart: every event is delivered", async () => {
  const rx = await receiver();
  let server = await startServer({ env: { ...kEnv, LUNARSTREAM_WEBHOOKS_RETRY_SCHEDULE: "0s, 200ms, 200ms, 200ms, 200ms, 200ms, 200ms, 200ms, 200ms, 200ms, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s" } });
  const { dataDir, databaseUrl } = server;
  try {
    const project = await partnerProject(server, "Webhooks crash");
    const endpoint = await addEndpoint(server, project.projectId, rx.url("/hook"));
    rx.setMode("/hook", "hang");
    // 1000 events: created + deleted for 500 livestreams.
    const ids = [];
    for (let i = 0; i < 500; i++) ids.push((await project.newStream(`crash-${i}`)).id);
    for (const id of ids) await api(server, "DELETE", `/api/v1/livestream/${id}`, { key: project.key });
    await rx.until(() => rx.got("/hook").length >= 4);  // requests in flight when it dies
    server.proc.kill("SIGKILL");
    await server.exited;
    rx.setMode("/hook", "ok");
    server = await startServer({ dataDir, database: databaseUrl || undefined, env: kEnv });
    const want = 1000;
    // Deliveries the killed process had claimed wait for its leases to lapse (timeout + 30 s).
    await rx.until(() => rx.delivered("/hook") >= want, 120000);
    const events = verified(rx.got("/hook"), endpoint.secret);
    assert.equal(events.length, want);
    assertInOrderPerSubject(events);
  } finally {
    await server.stop();
    await rx.close();
  }
});
