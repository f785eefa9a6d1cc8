// Rate limits as docs/api.md states them: fixed windows, per API key on partner
// endpoints (a minute and an hour) and per client IP on public ones (a minute).
// Every limited response carries X-RateLimit-Limit, X-RateLimit-Remaining and
// X-RateLimit-Reset (seconds until the window ends); a 429 also carries
// Retry-After, with the same meaning. Checking that meaning takes waiting for a
// window to end (up to a minute), so these tests have their own file and check
// the limiters at once.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const http = require("node:http");
const { startServer } = require("./lib/server");

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

// GET with node:http rather than fetch: fetch joins repeated headers into one
// value ("4, 4"), rawHeaders shows each. Resolves {status, headers: {name:
// [values]}, body, at} where `at` is when the response arrived.
function get(server, path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(server.url(path), { headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => { text += c; });
      res.on("end", () => {
        const h = {};
        for (let i = 0; i < res.rawHeaders.length; i += 2) (h[res.rawHeaders[i].toLowerCase()] ||= []).push(res.rawHeaders[i + 1]);
        let body = null;
        try { body = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: h, body, at: Date.now() });
      });
    });
    req.on("error", reject);
    req.setTimeout(20000, () => req.destroy(new Error(`GET ${path} timed out`)));
  });
}

// The rate-limit headers of a response as integers, each required to be a
// plain non-negative integer that appears exactly once.
function rate(r) {
  const value = (name) => {
    const values = r.headers[name] || [];
    assert.equal(values.length, 1, `${name} once on a ${r.status}: ${JSON.stringify(values)}`);
    assert.match(values[0], /^\d+$/, name);
    return Number(values[0]);
  };
  const out = { limit: value("x-ratelimit-limit"), remaining: value("x-ratelimit-remaining"), reset: value("x-ratelimit-reset") };
  if (r.status === 429) out.retryAfter = value("retry-after");
  else assert.equal(r.headers["retry-after"], undefined, "Retry-After only on a 429");
  return out;
}

// Uses up one limiter's window and checks what the headers say on the way,
// then checks that Reset/Retry-After told the truth: the window still holds
// three seconds before the announced end, and is new just after it.
async function checkLimiter(send, limit) {
  // Start in a window with more than 5 s left, so that the run below fits in one.
  let first = await send();
  const probe = rate(first);
  if (probe.reset <= 5) {
    await sleep(probe.reset * 1000 + 500);
    first = await send();
  }
  const responses = [first];
  for (let i = 0; i < limit + 1; i++) responses.push(await send());
  assert.deepEqual(responses.map((r) => r.status), [...Array(limit).fill(200), 429, 429]);

  const headers = responses.map((r) => rate(r));
  assert.deepEqual(headers.map((h) => h.limit), Array(limit + 2).fill(limit));
  assert.deepEqual(headers.map((h) => h.remaining), [...Array.from({ length: limit }, (_, i) => limit - 1 - i), 0, 0]);
  for (const h of headers) assert.ok(h.reset >= 1 && h.reset <= 60, `Reset ${h.reset} is within a one-minute window`);
  // A fixed window: every response names the same end (to the second it is rounded to).
  const ends = responses.map((r, i) => r.at + headers[i].reset * 1000);
  assert.ok(Math.max(...ends) - Math.min(...ends) < 2000, `one window end: ${ends.map((e) => new Date(e).toISOString())}`);
  const last = responses.at(-1);
  const lastHeaders = headers.at(-1);
  assert.equal(lastHeaders.retryAfter, lastHeaders.reset, "Retry-After is the time until the window ends, like Reset");
  assert.equal(last.body.statusCode, 429);
  assert.equal(last.body.error, "Too Many Requests");

  // Not overstated: 3 s before the announced end the window still refuses.
  const announced = last.at + lastHeaders.retryAfter * 1000;
  await sleep(announced - 3000 - Date.now());
  const before = await send();
  assert.equal(before.status, 429, "still limited 3 s before Retry-After ends");
  assert.ok(rate(before).reset <= 3, "Reset counts down to the same end");
  // Not understated: just after it a new window has the whole limit.
  await sleep(announced + 500 - Date.now());
  const after = await send();
  assert.equal(after.status, 200, "allowed again once Retry-After has passed");
  const fresh = rate(after);
  assert.equal(fresh.remaining, limit - 1);
  assert.ok(fresh.reset >= 50 && fresh.reset <= 60, `a new window: Reset ${fresh.reset}`);
}

// Partner keys with 2 requests a minute and 3 an hour: the headers follow the
// window closer to running out, a 429 from the minute does not spend the hour,
// and a 429 from the hour says when the hour ends.
async function checkPerHour() {
  const server = await startServer({ env: { LUNARSTREAM_RATELIMIT_PARTNER_PER_MINUTE: "2", LUNARSTREAM_RATELIMIT_PARTNER_PER_HOUR: "3" } });
  try {
    const send = () => get(server, "/api/v1/livestream", { "ls-api-key": server.firstApiKey });
    const toHourEnd = () => 3600000 - (Date.now() % 3600000);
    // The run takes a minute and a few seconds: start it in an hour with more
    // than that left, and early enough in a minute that its first two fit in one.
    if (toHourEnd() < 75000) await sleep(toHourEnd() + 500);
    if (60000 - (Date.now() % 60000) < 5000) await sleep(60000 - (Date.now() % 60000) + 500);

    const first = await send();
    assert.equal(first.status, 200);
    assert.deepEqual([rate(first).limit, rate(first).remaining], [2, 1], "the minute (1 left) is closer than the hour (2 left)");
    const second = await send();
    assert.equal(second.status, 200);
    assert.deepEqual([rate(second).limit, rate(second).remaining], [2, 0]);
    const byMinute = await send();
    assert.equal(byMinute.status, 429);
    const minute = rate(byMinute);
    assert.deepEqual([minute.limit, minute.remaining], [2, 0]);
    assert.ok(minute.retryAfter >= 1 && minute.retryAfter <= 60, `Retry-After ${minute.retryAfter}: when the minute ends`);
    assert.equal(minute.retryAfter, minute.reset);
    assert.equal((await send()).status, 429);

    await sleep(byMinute.at + minute.retryAfter * 1000 + 500 - Date.now());
    const third = await send();
    assert.equal(third.status, 200, "the two 429s of the last minute did not spend the hour");
    const hour = rate(third);
    assert.deepEqual([hour.limit, hour.remaining], [3, 0], "the hour (0 left) is closer than the minute (1 left)");
    const expected = Math.ceil(toHourEnd() / 1000);
    assert.ok(Math.abs(hour.reset - expected) <= 2, `Reset ${hour.reset}: the hour ends in ${expected} s`);
    const byHour = await send();
    assert.equal(byHour.status, 429, "the minute has room, the hour has not");
    const h = rate(byHour);
    assert.deepEqual([h.limit, h.remaining], [3, 0]);
    assert.equal(h.retryAfter, h.reset);
    assert.ok(Math.abs(h.retryAfter - Math.ceil(toHourEnd() / 1000)) <= 2, `Retry-After ${h.retryAfter}: when the hour ends`);
    assert.equal(byHour.body.statusCode, 429);
    assert.equal(byHour.body.error, "Too Many Requests");
  } finally {
    await server.stop();
  }
}

test("rate limits count down in X-RateLimit headers and a 429's Retry-After says when the window ends", { concurrency: 3 }, async (t) => {
  const server = await startServer({ env: { LUNARSTREAM_RATELIMIT_PARTNER_PER_MINUTE: "5", LUNARSTREAM_RATELIMIT_PUBLIC_PER_MINUTE: "4" } });
  t.after(() => server.stop());
  const key = server.firstApiKey;
  await Promise.all([
    t.test("partner endpoints, per API key", () => checkLimiter(() => get(server, "/api/v1/livestream", { "ls-api-key": key }), 5)),
    t.test("public endpoints, per client IP", () => checkLimiter(() => get(server, "/api/v1/health"), 4)),
    t.test("partner endpoints, per API key and hour", checkPerHour),
  ]);
});

test("a public 429 carries each rate-limit header once", async (t) => {
    const server = await startServer({ env: { LUNARSTREAM_RATELIMIT_PUBLIC_PER_MINUTE: "1" } });
    t.after(() => server.stop());
    await get(server, "/api/v1/health");
    const limited = await get(server, "/api/v1/health");
    assert.equal(limited.status, 429);
    for (const name of ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "retry-after"]) {
      assert.equal((limited.headers[name] || []).length, 1, `${name}: ${JSON.stringify(limited.headers[name])}`);
    }
  });
