// Managing partner webhook endpoints against the real binary (SQLite, and
// PostgreSQL as webhooks_admin.postgres): the CLI prints the secret once
// (`add --json` answers {id, secret, ...}) and never lists it; the admin
// API's CRUD, strict bodies and validation; rotation shows a new secret and
// the overlap; a test event is a pending delivery, resend queues an event
// again under its id; the delivery log and events read back; every route x
// every role x own team / other team / outsider; the audit log names who did
// what and never a secret.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const crypto = require("node:crypto");
const http = require("node:http");
const { cli, cliWithStdin, startServer, api } = require("./lib/server");
const { waitFor } = require("./lib/media");

const PASSWORD = "correct horse battery";
const SECRET = /^whsec_[A-Za-z0-9+/]{32}$/;
const ENDPOINT_KEYS = ["createdAt", "description", "disabledAt", "disabledReason", "enabled", "events",
  "failingSince", "id", "projectId", "secretRotatingUntil", "updatedAt", "url"].sort();

async function makeUser(server, email, admin) {
  const r = await cliWithStdin(["user", "create", "--email", email, "--password-stdin", ...(admin ? ["--admin"] : []),
    ...server.storeArgs, "--json"], PASSWORD);
  assert.equal(r.code, 0, r.stderr);
  const login = await api(server, "POST", "/api/v1/auth/login", { body: { email, password: PASSWORD } });
  assert.equal(login.status, 200, login.text);
  return { email, id: login.body.data.user.id, token: login.body.data.accessToken, server };
}

const as = (user, method, path, body) =>
  api(user.server, method, path, { body, headers: user.token ? { authorization: `Bearer ${user.token}` } : {} });

const ROLE_ORDER = ["viewer", "member", "admin", "owner"];
function expected(caller, minRole, ownTeam) {
  if (caller === "sysadmin") return "ok";
  if (caller === "outsider" || !ownTeam) return 404;
  return ROLE_ORDER.indexOf(caller) >= ROLE_ORDER.indexOf(minRole) ? "ok" : 403;
}

async function webhookCli(server, args) {
  return cli(["webhook", ...args, ...server.storeArgs]);
}

test("webhook endpoints: CLI, admin API, access, audit", async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const sysadmin = await makeUser(server, "root@example.com", true);
  const outsider = await makeUser(server, "someone@example.com", false);
  const team = JSON.parse((await cli(["team", "create", "--name", "Shop", ...server.storeArgs, "--json"])).stdout);
  const otherTeam = JSON.parse((await cli(["team", "create", "--name", "Other", ...server.storeArgs, "--json"])).stdout);
  const project = (await as(sysadmin, "POST", "/api/v1/admin/projects", { teamId: team.id, name: "web" })).body.data;
  const other = (await as(sysadmin, "POST", "/api/v1/admin/projects", { teamId: otherTeam.id, name: "theirs" })).body.data;
  assert.ok(project && other);

  let cliHook;
  await t.test("CLI add --json prints the secret once; list never shows it", async () => {
    const added = await webhookCli(server, ["add", "--project", project.id, "--url", "https://partner.example/hooks",
      "--events", "livestream.started, livestream.ended", "--description", "ops", "--json"]);
    assert.equal(added.code, 0, added.stderr);
    cliHook = JSON.parse(added.stdout);
    assert.match(cliHook.secret, SECRET);
    assert.equal(cliHook.url, "https://partner.example/hooks");
    assert.deepEqual(cliHook.events, ["livestream.started", "livestream.ended"]);
    assert.equal(cliHook.description, "ops");
    assert.equal(cliHook.enabled, true);
    assert.equal(cliHook.projectId, project.id);
    assert.deepEqual(Object.keys(cliHook).sort(), [...ENDPOINT_KEYS, "secret"].sort());

    assert.equal(added.stderr, "", "a public URL: no warning");
    // A loopback URL is added, with a warning on stderr (deliveries to it are
    // refused while webhooks.allow_private_targets is off).
    const text = await webhookCli(server, ["add", "--project", project.id, "--url", "http://127.0.0.1:9/x"]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /Signing secret \(shown once\): whsec_/);
    assert.match(text.stderr, /^warning: url's host 127\.0\.0\.1 is not a public address .*webhooks\.allow_private_targets is off\n$/);

    const local = await webhookCli(server, ["add", "--project", project.id, "--url", "http://localhost:8080/hook",
      "--json"]);
    assert.equal(local.code, 0, local.stderr);
    assert.deepEqual(Object.keys(JSON.parse(local.stdout)).sort(), [...ENDPOINT_KEYS, "secret"].sort());
    assert.match(local.stderr, /^warning: url's host localhost is loopback: /);
    const allowed = await cli(["webhook", "add", "--project", project.id, "--url", "http://[fe80::1]/x", "--json",
      ...server.storeArgs], { env: { ...process.env, LUNARSTREAM_WEBHOOKS_ALLOW_PRIVATE_TARGETS: "true" } });
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal(allowed.stderr, "", "private targets allowed: nothing to say");
    for (const extra of [local, allowed]) {
      const removed = await webhookCli(server, ["remove", JSON.parse(extra.stdout).id]);
      assert.equal(removed.code, 0, removed.stderr);
    }

    const list = await webhookCli(server, ["list", "--project", project.id, "--json"]);
    assert.equal(list.code, 0, list.stderr);
    const items = JSON.parse(list.stdout);
    assert.equal(items.length, 2);
    assert.equal(items[0].id, cliHook.id);
    for (const item of items) assert.deepEqual(Object.keys(item).sort(), ENDPOINT_KEYS);
    assert.ok(!list.stdout.includes("whsec_"));
    const listText = await webhookCli(server, ["list", "--project", project.id]);
    assert.ok(!listText.stdout.includes("whsec_"));
    assert.match(listText.stdout, new RegExp(cliHook.id));
  });

  await t.test("CLI update, rotate-secret, test, events, resend, attempts, remove", async () => {
    let r = await webhookCli(server, ["update", cliHook.id, "--events", "", "--disable", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    let hook = JSON.parse(r.stdout);
    assert.deepEqual(hook.events, []);
    assert.equal(hook.enabled, false);
    assert.equal(hook.secret, undefined);
    r = await webhookCli(server, ["test", cliHook.id]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /is disabled: enable it first/);
    r = await webhookCli(server, ["update", cliHook.id, "--enable", "--json"]);
    assert.equal(JSON.parse(r.stdout).enabled, true);

    r = await webhookCli(server, ["rotate-secret", cliHook.id, "--overlap", "1h", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    hook = JSON.parse(r.stdout);
    assert.match(hook.secret, SECRET);
    assert.notEqual(hook.secret, cliHook.secret);
    const until = Date.parse(hook.secretRotatingUntil);
    assert.ok(until > Date.now() + 50 * 60 * 1000 && until <= Date.now() + 60 * 60 * 1000, hook.secretRotatingUntil);
    // Without --overlap: webhooks.secret_overlap from the environment (as the server reads it).
    r = await cli(["webhook", "rotate-secret", cliHook.id, "--json", ...server.storeArgs],
      { env: { ...process.env, LUNARSTREAM_WEBHOOKS_SECRET_OVERLAP: "2h" } });
    assert.equal(r.code, 0, r.stderr);
    const envUntil = Date.parse(JSON.parse(r.stdout).secretRotatingUntil);
    assert.ok(envUntil > Date.now() + 110 * 60 * 1000 && envUntil <= Date.now() + 120 * 60 * 1000, r.stdout);

    r = await webhookCli(server, ["test", cliHook.id, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const delivery = JSON.parse(r.stdout);
    assert.equal(delivery.endpointId, cliHook.id);
    assert.equal(delivery.state, "pending");
    assert.match(delivery.eventId, /^evt_[0-9a-f]{32}$/);

    r = await webhookCli(server, ["events", "--project", project.id, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const events = JSON.parse(r.stdout);
    const testEvent = events.find((e) => e.id === delivery.eventId);
    assert.ok(testEvent, r.stdout);
    assert.equal(testEvent.type, "webhook.test");

    r = await webhookCli(server, ["resend", cliHook.id, delivery.eventId, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const again = JSON.parse(r.stdout);
    assert.equal(again.eventId, delivery.eventId);
    assert.notEqual(again.id, delivery.id);

    r = await webhookCli(server, ["attempts", cliHook.id, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Array.isArray(JSON.parse(r.stdout)));

    r = await webhookCli(server, ["remove", cliHook.id, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { id: cliHook.id });
    r = await webhookCli(server, ["update", cliHook.id, "--enable"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`webhook ${cliHook.id} not found`));
  });

  await t.test("CLI: clear errors for bad flags", async () => {
    const cases = [
      [["add", "--project", "nope", "--url", "https://x.example/"], /--project must be a project id/],
      [["add", "--project", project.id], /--url is required/],
      [["add", "--project", project.id, "--url", "ftp://x.example/"], /url must be an absolute http or https URL/],
      [["add", "--project", project.id, "--url", "https://u:p@x.example/"], /must not contain a user name or password/],
      [["add", "--project", project.id, "--url", "https://x.example/", "--events", "livestream.started,nope"],
        /unknown event type 'nope'/],
      [["add", "--project", project.id, "--url", "https://x.example/", "--colour", "red"], /colour/],
      [["update", "not-an-id", "--enable"], /webhook id \(UUID\)/],
      [["update", project.id], /nothing to change/],
      [["update", project.id, "--enable", "--disable"], /--enable or --disable, not both/],
      [["rotate-secret", project.id, "--overlap", "31d"], /--overlap: must be 0s to 30d/],
      [["rotate-secret", project.id, "--overlap", "soon"], /--overlap: duration 'soon' must be a whole number with a unit/],
      [["resend", project.id], /event id/],
      [["attempts", project.id, "--limit", "1000"], /--limit must be a whole number from 1 to 100/],
    ];
    for (const [args, message] of cases) {
      const r = await webhookCli(server, args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.code} ${r.stderr}`);
      assert.match(r.stderr, message, args.join(" "));
    }
    const unknown = await cli(["webhook", "frobnicate"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown webhook command 'frobnicate'/);
    const help = await cli(["webhook", "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /rotate-secret ID \[--overlap 24h\]/);
  });

  let hook;
  await t.test("API CRUD: the secret only on create and rotate", async () => {
    let r = await as(sysadmin, "POST", `/api/v1/admin/projects/${project.id}/webhooks`,
      { url: "https://partner.example/api", events: ["media_server.offline"], description: "d" });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.headers.get("cache-control"), "no-store");
    hook = r.body.data;
    assert.match(hook.secret, SECRET);
    assert.deepEqual(Object.keys(hook).sort(), [...ENDPOINT_KEYS, "secret"].sort());
    assert.equal(hook.failingSince, null);
    assert.equal(hook.disabledAt, null);
    assert.equal(hook.disabledReason, null);
    assert.equal(hook.secretRotatingUntil, null);

    r = await as(sysadmin, "GET", `/api/v1/admin/webhooks/${hook.id}`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.body.data).sort(), ENDPOINT_KEYS);
    assert.ok(!r.text.includes("whsec_"));
    r = await as(sysadmin, "GET", `/api/v1/admin/projects/${project.id}/webhooks`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.body.data.some((e) => e.id === hook.id));
    assert.ok(!r.text.includes("whsec_"));

    r = await as(sysadmin, "PATCH", `/api/v1/admin/webhooks/${hook.id}`,
      { url: "https://partner.example/v2", events: [], description: "", enabled: false });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.data.url, "https://partner.example/v2");
    assert.deepEqual(r.body.data.events, []);
    assert.equal(r.body.data.description, "");
    assert.equal(r.body.data.enabled, false);
    assert.equal(r.body.data.secret, undefined);
    r = await as(sysadmin, "POST", `/api/v1/admin/webhooks/${hook.id}/test`);
    assert.equal(r.status, 409, r.text);
    r = await as(sysadmin, "PATCH", `/api/v1/admin/webhooks/${hook.id}`, { enabled: true });
    assert.equal(r.body.data.enabled, true);
    assert.equal(r.body.data.warnings, undefined, "a public URL: nothing to say");

    // Loopback, private and link-local hosts are accepted, with warnings.
    r = await as(sysadmin, "POST", `/api/v1/admin/projects/${project.id}/webhooks`, { url: "http://localhost:3000/" });
    assert.equal(r.status, 201, r.text);
    const local = r.body.data;
    assert.match(local.secret, SECRET);
    assert.deepEqual(local.warnings, [
      "url's host localhost is loopback: deliveries to it are refused while webhooks.allow_private_targets is off"]);
    r = await as(sysadmin, "PATCH", `/api/v1/admin/webhooks/${local.id}`, { url: "http://169.254.169.254/x" });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.data.warnings.length, 1, r.text);
    assert.match(r.body.data.warnings[0], /^url's host 169\.254\.169\.254 is not a public address/);
    r = await as(sysadmin, "GET", `/api/v1/admin/webhooks/${local.id}`);
    assert.deepEqual(Object.keys(r.body.data).sort(), ENDPOINT_KEYS, "warnings only in create and update answers");
    r = await as(sysadmin, "PATCH", `/api/v1/admin/webhooks/${local.id}`, { url: "https://public.example/" });
    assert.equal(r.body.data.warnings, undefined, r.text);
    assert.equal((await as(sysadmin, "DELETE", `/api/v1/admin/webhooks/${local.id}`)).status, 200);

    r = await as(sysadmin, "POST", `/api/v1/admin/webhooks/${hook.id}/rotate-secret`, { overlapSeconds: 600 });
    assert.equal(r.status, 200, r.text);
    assert.match(r.body.data.secret, SECRET);
    assert.notEqual(r.body.data.secret, hook.secret);
    const until = Date.parse(r.body.data.secretRotatingUntil);
    assert.ok(until > Date.now() + 500 * 1000 && until <= Date.now() + 600 * 1000, r.body.data.secretRotatingUntil);
    r = await as(sysadmin, "POST", `/api/v1/admin/webhooks/${hook.id}/rotate-secret`, {});
    assert.equal(r.status, 200, r.text);
    const defaultUntil = Date.parse(r.body.data.secretRotatingUntil);
    assert.ok(defaultUntil > Date.now() + 23 * 3600 * 1000, r.body.data.secretRotatingUntil);
    r = await as(sysadmin, "POST", `/api/v1/admin/webhooks/${hook.id}/rotate-secret`, { overlapSeconds: 0 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.data.secretRotatingUntil, null);
  });

  await t.test("validation: every problem at once, unknown fields, bad ids", async () => {
    let r = await as(sysadmin, "POST", `/api/v1/admin/projects/${project.id}/webhooks`,
      { url: "ftp://user@x", events: ["webhook.test", "livestream.started", "livestream.started"], extra: 1 });
    assert.equal(r.status, 400, r.text);
    assert.ok(Array.isArray(r.body.message), r.text);
    assert.ok(r.body.message.includes("property extra should not exist"), r.text);
    assert.ok(r.body.message.includes("url must be an absolute http or https URL"), r.text);
    assert.ok(r.body.message.includes("events: 'livestream.started' is listed twice"), r.text);
    assert.ok(r.body.message.some((m) => m.startsWith("events: unknown event type 'webhook.test'")), r.text);
    const bad = [
      { url: "https://a:b@x.example/" },
      { url: "https://x.example/" + "a".repeat(2048) },
      { url: "https://x.example/", description: "d".repeat(501) },
      { url: "https://x.example/", enabled: "yes" },
      { url: "https://x.example/", events: "livestream.started" },
      {},
    ];
    for (const body of bad) {
      r = await as(sysadmin, "POST", `/api/v1/admin/projects/${project.id}/webhooks`, body);
      assert.equal(r.status, 400, `${JSON.stringify(body).slice(0, 80)}: ${r.text}`);
    }
    r = await as(sysadmin, "PATCH", `/api/v1/admin/webhooks/${hook.id}`, { secret: "whsec_mine" });
    assert.equal(r.status, 400);
    r = await as(sysadmin, "POST", `/api/v1/admin/webhooks/${hook.id}/rotate-secret`, { overlapSeconds: 2592001 });
    assert.equal(r.status, 400);
    r = await as(sysadmin, "GET", `/api/v1/admin/webhooks/${hook.id}/attempts?limit=101`);
    assert.equal(r.status, 400);
    r = await as(sysadmin, "GET", "/api/v1/admin/webhooks/not-a-uuid");
    assert.equal(r.status, 400);
    r = await as(sysadmin, "GET", "/api/v1/admin/webhooks/00000000-0000-4000-8000-000000000000");
    assert.equal(r.status, 404);
    assert.equal(r.body.message, "webhook 00000000-0000-4000-8000-000000000000 not found");
  });

  await t.test("a test event is a pending delivery; resend queues it again; events and attempts read back", async () => {
    let r = await as(sysadmin, "POST", `/api/v1/admin/webhooks/${hook.id}/test`);
    assert.equal(r.status, 202, r.text);
    const delivery = r.body.data;
    assert.equal(delivery.endpointId, hook.id);
    assert.equal(delivery.state, "pending");
    assert.equal(delivery.attempts, 0);
    assert.match(delivery.eventId, /^evt_[0-9a-f]{32}$/);

    r = await as(sysadmin, "GET", `/api/v1/admin/projects/${project.id}/webhook-events?limit=100`);
    assert.equal(r.status, 200, r.text);
    const event = r.body.data.find((e) => e.id === delivery.eventId);
    assert.ok(event, r.text);
    assert.equal(event.type, "webhook.test");
    assert.equal(event.sequence, 0);
    assert.deepEqual(Object.keys(event.payload), ["type", "timestamp", "sequence", "data"]);
    assert.deepEqual(event.payload.data, { endpointId: hook.id, message: "Test event from LunarStream" });
    assert.equal(event.payload.timestamp, event.occurredAt);

    r = await as(sysadmin, "POST", `/api/v1/admin/webhooks/${hook.id}/events/${delivery.eventId}/resend`);
    assert.equal(r.status, 202, r.text);
    assert.equal(r.body.data.eventId, delivery.eventId);
    assert.equal(r.body.data.state, "pending");
    assert.notEqual(r.body.data.id, delivery.id);
    r = await as(sysadmin, "POST", `/api/v1/admin/webhooks/${hook.id}/events/evt_00000000000000000000000000000000/resend`);
    assert.equal(r.status, 404, r.text);

    // An event of another project is not this endpoint's to resend.
    const theirs = (await as(sysadmin, "POST", `/api/v1/admin/projects/${other.id}/webhooks`,
      { url: "https://them.example/" })).body.data;
    const theirTest = (await as(sysadmin, "POST", `/api/v1/admin/webhooks/${theirs.id}/test`)).body.data;
    r = await as(sysadmin, "POST", `/api/v1/admin/webhooks/${hook.id}/events/${theirTest.eventId}/resend`);
    assert.equal(r.status, 404, r.text);

    // A real event: the livestream as the partner API shows it, resendable like any other.
    const stream = (await as(sysadmin, "POST", `/api/v1/admin/projects/${project.id}/livestreams`, { name: "launch" })).body.data;
    r = await as(sysadmin, "GET", `/api/v1/admin/projects/${project.id}/webhook-events?limit=100`);
    const created = r.body.data.find((e) => e.type === "livestream.created" && e.subjectId === stream.id);
    assert.ok(created, r.text);
    assert.equal(created.sequence, 1);
    assert.equal(created.payload.data.id, stream.id);
    assert.equal(created.payload.data.pushToken, undefined);
    assert.equal(r.body.data[0].id, created.id, "newest first");
    r = await as(sysadmin, "POST", `/api/v1/admin/webhooks/${hook.id}/events/${created.id}/resend`);
    assert.equal(r.status, 202, r.text);
    assert.equal(r.body.data.eventId, created.id);
    r = await as(sysadmin, "GET", `/api/v1/admin/projects/${project.id}/webhook-events?limit=1&page=2`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.data.length, 1);
    assert.notEqual(r.body.data[0].id, created.id);

    r = await as(sysadmin, "GET", `/api/v1/admin/webhooks/${hook.id}/attempts?page=1&limit=10`);
    assert.equal(r.status, 200, r.text);
    assert.ok(Array.isArray(r.body.data));
    assert.deepEqual(r.body.meta.pagination, { page: 1, limit: 10 });
    for (const a of r.body.data) {
      assert.deepEqual(Object.keys(a).sort(),
        ["at", "deliveryId", "error", "eventId", "eventType", "latencyMs", "responsePrefix", "status"]);
    }
  });

  await t.test("the access matrix", async () => {
    const callers = { sysadmin, outsider };
    for (const role of ROLE_ORDER) {
      callers[role] = await makeUser(server, `${role}@example.com`, false);
      const r = await as(sysadmin, "POST", `/api/v1/admin/teams/${team.id}/members`, { email: callers[role].email, role });
      assert.equal(r.status, 201, r.text);
    }
    const fresh = async (p) => {
      const r = await as(sysadmin, "POST", `/api/v1/admin/projects/${p.id}/webhooks`, { url: "https://fresh.example/" });
      assert.equal(r.status, 201, r.text);
      return r.body.data.id;
    };
    const targets = [];
    for (const [name, p] of [["own", project], ["other", other]]) {
      const id = await fresh(p);
      const eventId = (await as(sysadmin, "POST", `/api/v1/admin/webhooks/${id}/test`)).body.data.eventId;
      targets.push({ name, p, id, eventId });
    }
    const routes = (p, id, eventId) => [
      { name: "list", min: "viewer", run: (u) => as(u, "GET", `/api/v1/admin/projects/${p.id}/webhooks`) },
      { name: "create", min: "admin",
        run: (u) => as(u, "POST", `/api/v1/admin/projects/${p.id}/webhooks`, { url: "https://new.example/" }) },
      { name: "events", min: "viewer", run: (u) => as(u, "GET", `/api/v1/admin/projects/${p.id}/webhook-events`) },
      { name: "get", min: "viewer", run: (u) => as(u, "GET", `/api/v1/admin/webhooks/${id}`) },
      { name: "patch", min: "admin", run: (u) => as(u, "PATCH", `/api/v1/admin/webhooks/${id}`, { description: "x" }) },
      { name: "rotate", min: "admin", run: (u) => as(u, "POST", `/api/v1/admin/webhooks/${id}/rotate-secret`, {}) },
      { name: "attempts", min: "viewer", run: (u) => as(u, "GET", `/api/v1/admin/webhooks/${id}/attempts`) },
      { name: "resend", min: "admin",
        run: (u) => as(u, "POST", `/api/v1/admin/webhooks/${id}/events/${eventId}/resend`) },
      { name: "test", min: "admin", run: (u) => as(u, "POST", `/api/v1/admin/webhooks/${id}/test`) },
      { name: "delete", min: "admin", fresh: true, run: (u, fid) => as(u, "DELETE", `/api/v1/admin/webhooks/${fid}`) },
    ];
    for (const target of targets) {
      for (const route of routes(target.p, target.id, target.eventId)) {
        for (const [callerName, user] of Object.entries(callers)) {
          const want = expected(callerName, route.min, target.name === "own");
          const r = await route.run(user, route.fresh ? await fresh(target.p) : undefined);
          const label = `${route.name} by ${callerName} on ${target.name} team: ${r.status} ${r.text}`;
          if (want === "ok") assert.ok(r.status >= 200 && r.status < 300, label);
          else assert.equal(r.status, want, label);
          if (want === 403) assert.match(r.body.message, new RegExp(`^${callerName} may not `), label);
          if (want === 404) assert.doesNotMatch(r.body.message, /Forbidden|may not/, label);
          if (want !== "ok") assert.ok(!r.text.includes("whsec_"), label);
        }
      }
    }
    // Another team's endpoint answers exactly like a missing one.
    const hidden = await as(callers.owner, "GET", `/api/v1/admin/webhooks/${targets[1].id}`);
    assert.deepEqual(hidden.body, { statusCode: 404, message: `webhook ${targets[1].id} not found`, error: "Not Found" });
    const viewer = await as(callers.viewer, "POST", `/api/v1/admin/webhooks/${targets[0].id}/test`);
    assert.deepEqual(viewer.body, { statusCode: 403, message: "viewer may not manage webhooks", error: "Forbidden" });
    const unauthenticated = await as({ server, token: null }, "GET", `/api/v1/admin/webhooks/${targets[0].id}`);
    assert.equal(unauthenticated.status, 401);
  });

  await t.test("the audit log names the actor of every change and never a secret or URL", async () => {
    const r = await as(sysadmin, "GET", `/api/v1/admin/audit-log?teamId=${team.id}&limit=100`);
    assert.equal(r.status, 200, r.text);
    const mine = r.body.data.filter((e) => e.target.type === "webhook" && e.target.id === hook.id);
    assert.deepEqual(mine.map((e) => e.action), [
      "webhook.event.resent", "webhook.event.resent", "webhook.test.sent",
      "webhook.secret.rotated", "webhook.secret.rotated", "webhook.secret.rotated",
      "webhook.updated", "webhook.updated", "webhook.created",
    ]);
    for (const e of mine) {
      assert.deepEqual(e.actor, { type: "user", id: sysadmin.id, email: sysadmin.email });
      assert.equal(e.projectId, project.id);
    }
    assert.deepEqual(mine.find((e) => e.action === "webhook.created").details,
      { events: ["media_server.offline"], enabled: true });
    assert.deepEqual(mine[5].details, { overlapSeconds: 600 });
    const cliEntries = r.body.data.filter((e) => e.target.id === cliHook.id);
    assert.ok(cliEntries.length >= 6, JSON.stringify(cliEntries.map((e) => e.action)));
    assert.ok(cliEntries.every((e) => e.actor.type === "cli"));
    assert.equal(cliEntries[0].action, "webhook.deleted");
    assert.ok(!r.text.includes("whsec_"));
    assert.ok(!r.text.includes("partner.example"));
  });
});

// A receiver on 127.0.0.1 that answers 200 "thanks" and hands each request
// to whoever awaits one with that webhook-id.
function receiver() {
  const got = [];
  const waiting = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => { body += c; });
    req.on("end", () => {
      const r = { headers: req.headers, body };
      got.push(r);
      for (const w of waiting.splice(0)) {
        if (!w.match(r)) waiting.push(w);
        else w.resolve(r);
      }
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("thanks");
    });
  });
  return {
    listen: () => new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server.address().port))),
    close: () => new Promise((resolve) => server.close(resolve)),
    // The next request with this webhook-id (n-th counting earlier ones).
    next(id, n = 1) {
      const match = (r) => r.headers["webhook-id"] === id && got.filter((g) => g.headers["webhook-id"] === id).length >= n;
      const seen = got.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiting.push({ match, resolve }));
    },
  };
}

// The base64 Standard Webhooks signature of a request with `secret`.
function sign(secret, r) {
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  return crypto.createHmac("sha256", key)
    .update(`${r.headers["webhook-id"]}.${r.headers["webhook-timestamp"]}.${r.body}`).digest("base64");
}

test("the delivery log: a test event and a resend reach a receiver, signed with the secret shown", async (t) => {
  const server = await startServer({ env: {
    LUNARSTREAM_WEBHOOKS_ALLOW_PRIVATE_TARGETS: "true",
    LUNARSTREAM_WEBHOOKS_RETRY_SCHEDULE: "0s, 200ms, 200ms",
    LUNARSTREAM_WEBHOOKS_SECRET_OVERLAP: "90m",
  } });
  t.after(() => server.stop());
  const metrics = await (await fetch(server.url("/metrics"))).text();
  if (!/lunarstream_webhook_deliveries_total/.test(metrics)) {
    t.skip("this build delivers no webhooks yet");
    return;
  }
  const rx = receiver();
  const port = await rx.listen();
  t.after(() => rx.close());
  const sysadmin = await makeUser(server, "root@example.com", true);
  const team = JSON.parse((await cli(["team", "create", "--name", "Shop", ...server.storeArgs, "--json"])).stdout);
  const project = (await as(sysadmin, "POST", "/api/v1/admin/projects", { teamId: team.id, name: "web" })).body.data;
  const hook = (await as(sysadmin, "POST", `/api/v1/admin/projects/${project.id}/webhooks`,
    { url: `http://127.0.0.1:${port}/hook`, events: ["media_server.online"] })).body.data;

  const delivery = (await as(sysadmin, "POST", `/api/v1/admin/webhooks/${hook.id}/test`)).body.data;
  const first = await rx.next(delivery.eventId);
  assert.equal(first.headers["webhook-signature"], `v1,${sign(hook.secret, first)}`);
  const body = JSON.parse(first.body);
  assert.equal(body.type, "webhook.test");
  assert.deepEqual(body.data, { endpointId: hook.id, message: "Test event from LunarStream" });

  const log = await waitFor(async () => {
    const r = await as(sysadmin, "GET", `/api/v1/admin/webhooks/${hook.id}/attempts`);
    return r.body.data.length > 0 && r.body.data;
  }, { what: "the attempt in the delivery log" });
  assert.equal(log[0].eventId, delivery.eventId);
  assert.equal(log[0].deliveryId, delivery.id);
  assert.equal(log[0].eventType, "webhook.test");
  assert.equal(log[0].status, 200);
  assert.equal(log[0].error, null);
  assert.equal(log[0].responsePrefix, "thanks");
  assert.ok(log[0].latencyMs >= 0);

  // After a rotation both secrets sign, the new one first; a resend keeps the id.
  const rotated = (await as(sysadmin, "POST", `/api/v1/admin/webhooks/${hook.id}/rotate-secret`, { overlapSeconds: 60 })).body.data;
  const resent = await as(sysadmin, "POST", `/api/v1/admin/webhooks/${hook.id}/events/${delivery.eventId}/resend`);
  assert.equal(resent.status, 202, resent.text);
  const second = await rx.next(delivery.eventId, 2);
  assert.equal(second.body, first.body);
  assert.equal(second.headers["webhook-signature"], `v1,${sign(rotated.secret, second)} v1,${sign(hook.secret, second)}`);
  const cliLog = await cli(["webhook", "attempts", hook.id, ...server.storeArgs]);
  assert.equal(cliLog.code, 0, cliLog.stderr);
  assert.match(cliLog.stdout, new RegExp(`${delivery.eventId}  webhook.test  200  \\d+ ms`));

  // Without overlapSeconds the server's webhooks.secret_overlap applies.
  const byDefault = await as(sysadmin, "POST", `/api/v1/admin/webhooks/${hook.id}/rotate-secret`);
  assert.equal(byDefault.status, 200, byDefault.text);
  const until = Date.parse(byDefault.body.data.secretRotatingUntil);
  assert.ok(until > Date.now() + 80 * 60 * 1000 && until <= Date.now() + 90 * 60 * 1000, byDefault.text);
});
