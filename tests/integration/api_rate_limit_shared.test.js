// Partner rate limits across API processes: two servers on one PostgreSQL
// database share one per-minute limit per API key (docs/operations.md, "Rate
// limits across nodes"). Requests alternate between them with one key until
// 429s; the total accepted is the limit and at most 10 % more.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { cli, startServer, api } = require("./lib/server");
const { startPostgres } = require("./lib/postgres");

const LIMIT = 100;
let pg;
const servers = [];

test.before(async () => {
  pg = await startPostgres();
  const database = await pg.createDatabase();
  const env = { LUNARSTREAM_RATELIMIT_PARTNER_PER_MINUTE: String(LIMIT), LUNARSTREAM_RATELIMIT_PARTNER_PER_HOUR: "100000",
    LUNARSTREAM_RATELIMIT_API_NODES: "2" };
  // One after the other: the first start sets up the database.
  servers.push(await startServer({ database, env }));
  servers.push(await startServer({ database, env }));
});

test.after(async () => {
  for (const s of servers) assert.equal((await s.stop()).code, 0, "SIGTERM shuts down cleanly");
  if (pg) await pg.stop();
});

test("two API processes on one database hold one partner limit between them", async (t) => {
  const made = await cli(["project", "create", "--name", "Shared limit", "--database", servers[0].databaseUrl, "--json"]);
  assert.equal(made.code, 0, made.stderr);
  const { apiKey: key } = JSON.parse(made.stdout);
  const send = (i) => api(servers[i % 2], "GET", "/api/v1/media-servers/available", { key });

  // Start in a minute window with room for the run (it takes well under 20 s).
  const first = await send(0);
  assert.equal(first.status, 200, first.text);
  let accepted = 1;  // `first`, unless it fell in the window before
  if (Number(first.headers.get("x-ratelimit-reset")) < 20) {
    const waitMs = Number(first.headers.get("x-ratelimit-reset")) * 1000 + 500;
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    accepted = 0;
  }
  let refusedInARow = 0;
  const perServer = [0, 0];
  // Bounded: far more than the limit; stops once both servers refuse for a while.
  for (let i = 0; i < 4 * LIMIT && refusedInARow < 20; ++i) {
    const r = await send(i);
    if (r.status === 200) {
      ++accepted;
      ++perServer[i % 2];
      refusedInARow = 0;
    } else {
      assert.equal(r.status, 429, r.text);
      ++refusedInARow;
    }
  }
  assert.ok(refusedInARow >= 20, `both servers refuse at the end (accepted ${accepted})`);
  assert.ok(accepted >= LIMIT, `accepted ${accepted} (per server ${perServer}) of a limit of ${LIMIT}`);
  assert.ok(accepted <= LIMIT + LIMIT / 10, `accepted ${accepted} (per server ${perServer}): at most 10 % over ${LIMIT}`);
  t.diagnostic(`accepted ${accepted} of ${LIMIT} (per server ${perServer})`);
  assert.ok(perServer[0] > 0 && perServer[1] > 0, "both servers served");
});
