// The administration API's project, usage and audit-log routes against the
// real binary: users made with the CLI, logins through the API, every route
// answered per caller (401 without or with a bad token; a system
// administrator may do everything; a user outside the team learns nothing:
// 404 everywhere), a regenerated key kills the old one on the partner API,
// usage answers in JSON and CSV, a livestream made in the console publishes
// (ffmpeg) and shows STARTED in the list across projects, and the audit log
// shows the user as actor.
//
// Team roles: owner/admin/member/viewer users are made members of the own
// team by writing team_members with the database's own client (sqlite3 /
// psql) — a stand-in until the member routes (POST teams/:id/members) are
// merged; the server reads memberships from the Store on every request.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { cli, cliWithStdin, startServer, api } = require("./lib/server");
const { ffmpegPublish, waitFor } = require("./lib/media");

const PASSWORD = "correct horse battery";

async function makeUser(server, email, admin) {
  const r = await cliWithStdin(["user", "create", "--email", email, "--password-stdin", ...(admin ? ["--admin"] : []),
    ...server.storeArgs, "--json"], PASSWORD);
  assert.equal(r.code, 0, r.stderr);
  const login = await api(server, "POST", "/api/v1/auth/login", { body: { email, password: PASSWORD } });
  assert.equal(login.status, 200, login.text);
  return { email, id: login.body.data.user.id, token: login.body.data.accessToken };
}

// Adds an existing user to the team through the member route, as a system administrator.
async function addMember(admin, teamId, email, role) {
  const r = await as(admin, "POST", `/api/v1/admin/teams/${teamId}/members`, { email, role });
  assert.equal(r.status, 201, r.text);
}

const as = (user, method, path, body) =>
  api(user.server, method, path, { body, headers: user.token ? { authorization: `Bearer ${user.token}` } : {} });

const INVALID_ACCESS = { statusCode: 401, message: "Invalid or expired access token", error: "Unauthorized" };

// The least powerful role allowed each route's action (control/team_policy.cpp).
const ROLE_ORDER = ["viewer", "member", "admin", "owner"];
function expected(caller, minRole, ownTeam) {
  if (caller === "sysadmin") return "ok";
  if (caller === "outsider" || !ownTeam) return 404;
  return ROLE_ORDER.indexOf(caller) >= ROLE_ORDER.indexOf(minRole) ? "ok" : 403;
}

test("administration API: projects, usage, audit log", async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const sysadmin = { ...(await makeUser(server, "root@example.com", true)), server };
  const outsider = { ...(await makeUser(server, "someone@example.com", false)), server };
  const team = JSON.parse((await cli(["team", "create", "--name", "Shop", ...server.storeArgs, "--json"])).stdout);
  const otherTeam = JSON.parse((await cli(["team", "create", "--name", "Other", ...server.storeArgs, "--json"])).stdout);

  let project;
  await t.test("a system administrator creates a project; its key is shown once and works", async () => {
    const r = await as(sysadmin, "POST", "/api/v1/admin/projects", { teamId: team.id, name: "web", abrEnabled: false });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.headers.get("cache-control"), "no-store");
    project = r.body.data;
    assert.equal(project.teamId, team.id);
    assert.equal(project.abrEnabled, false);
    assert.equal(project.rateLimit, null);
    assert.match(project.apiKey, /\S{20,}/);
    const partner = await api(server, "GET", "/api/v1/media-servers/available", { key: project.apiKey });
    assert.equal(partner.status, 200);
    const got = await as(sysadmin, "GET", `/api/v1/admin/projects/${project.id}`);
    assert.equal(got.status, 200);
    assert.equal(got.body.data.apiKey, undefined);
    assert.deepEqual(Object.keys(got.body.data).sort(), ["abrEnabled", "createdAt", "id", "name", "rateLimit", "teamId"]);
  });

  await t.test("401 without a token, with a bad one, and a malformed one", async () => {
    for (const token of [null, "nonsense", sysadmin.token.slice(0, -3) + "abc"]) {
      const r = await as({ server, token }, "GET", "/api/v1/admin/projects");
      assert.equal(r.status, 401);
      assert.deepEqual(r.body, INVALID_ACCESS);
      assert.equal(r.headers.get("cache-control"), "no-store");
      const u = await as({ server, token }, "GET", `/api/v1/admin/projects/${project.id}/usage?from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z`);
      assert.equal(u.status, 401);
    }
  });

  await t.test("bodies are strict", async () => {
    let r = await as(sysadmin, "POST", "/api/v1/admin/projects", { teamId: team.id, name: "x", extra: 1 });
    assert.equal(r.status, 400);
    assert.ok(Array.isArray(r.body.message));
    r = await as(sysadmin, "PATCH", `/api/v1/admin/projects/${project.id}`, { rateLimit: { perMinute: 0, perHour: 5 } });
    assert.equal(r.status, 400);
    r = await as(sysadmin, "PATCH", `/api/v1/admin/projects/${project.id}`, { abrEnabled: "yes" });
    assert.equal(r.status, 400);
    r = await as(sysadmin, "GET", "/api/v1/admin/projects/not-a-uuid");
    assert.equal(r.status, 400);
  });

  await t.test("PATCH sets name, ABR and the project's own limits, and back to the defaults", async () => {
    let r = await as(sysadmin, "PATCH", `/api/v1/admin/projects/${project.id}`,
      { name: "web2", abrEnabled: true, rateLimit: { perMinute: 100, perHour: 1000 } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.data.name, "web2");
    assert.equal(r.body.data.abrEnabled, true);
    assert.deepEqual(r.body.data.rateLimit, { perMinute: 100, perHour: 1000 });
    r = await as(sysadmin, "PATCH", `/api/v1/admin/projects/${project.id}`, { rateLimit: null });
    assert.equal(r.body.data.rateLimit, null);
  });

  await t.test("a regenerated key replaces the old one on the partner API at once", async () => {
    const r = await as(sysadmin, "POST", `/api/v1/admin/projects/${project.id}/api-key`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.body.data), ["apiKey"]);
    const old = await api(server, "GET", "/api/v1/media-servers/available", { key: project.apiKey });
    assert.equal(old.status, 401);
    const fresh = await api(server, "GET", "/api/v1/media-servers/available", { key: r.body.data.apiKey });
    assert.equal(fresh.status, 200);
  });

  await t.test("usage answers in JSON and CSV", async () => {
    const q = "from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z&granularity=hour";
    let r = await as(sysadmin, "GET", `/api/v1/admin/projects/${project.id}/usage?${q}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.data.length, 24);
    assert.equal(r.headers.get("cache-control"), "no-store");
    r = await as(sysadmin, "GET", `/api/v1/admin/projects/${project.id}/usage?${q}&format=csv`);
    assert.equal(r.status, 200);
    assert.match(r.text, /^start,end,ingest_seconds,transcode_seconds,egress_bytes,egress_requests/);
  });

  await t.test("the audit log names the user; only a system administrator reads it without teamId", async () => {
    const r = await as(sysadmin, "GET", `/api/v1/admin/audit-log?teamId=${team.id}&limit=100`);
    assert.equal(r.status, 200, r.text);
    const regen = r.body.data.find((e) => e.action === "project.api_key.regenerated");
    assert.ok(regen, JSON.stringify(r.body.data.map((e) => e.action)));
    assert.deepEqual(regen.actor, { type: "user", id: sysadmin.id, email: sysadmin.email });
    assert.equal(regen.projectId, project.id);
    assert.ok(r.body.meta.pagination.total >= 3);
    const all = await as(sysadmin, "GET", "/api/v1/admin/audit-log");
    assert.equal(all.status, 200);
    const refused = await as(outsider, "GET", "/api/v1/admin/audit-log");
    assert.equal(refused.status, 400);
  });

  let stream;
  await t.test("a livestream made in the console publishes with the answered rtmpUrl and shows STARTED", async (t2) => {
    const r = await as(sysadmin, "POST", `/api/v1/admin/projects/${project.id}/livestreams`, { name: "launch" });
    assert.equal(r.status, 201, r.text);
    stream = r.body.data;
    assert.equal(stream.projectId, project.id);
    assert.ok(stream.pushToken && stream.rtmpUrl && stream.streamKeyWithToken && stream.rtmpServer, r.text);
    assert.equal(r.headers.get("cache-control"), "no-store");
    const ff = ffmpegPublish(stream.rtmpUrl, { seconds: 60 });
    t2.after(() => ff.kill("SIGKILL"));
    const live = await waitFor(async () => {
      const l = await as(sysadmin, "GET", `/api/v1/admin/livestreams?projectId=${project.id}&status=STARTED`);
      return l.body.data.find((x) => x.id === stream.id) && l;
    }, { what: "STARTED in the admin list" });
    assert.equal(live.body.data[0].pushToken, undefined);
    assert.equal(live.body.meta.pagination.total, 1);
    const byTeam = await as(sysadmin, "GET", `/api/v1/admin/livestreams?teamId=${team.id}&search=LAUN`);
    assert.deepEqual(byTeam.body.data.map((x) => x.id), [stream.id]);
    const renamed = await as(sysadmin, "PATCH", `/api/v1/admin/livestreams/${stream.id}`, { name: "launch2" });
    assert.equal(renamed.body.data.name, "launch2");
    const token = await as(sysadmin, "POST", `/api/v1/admin/livestreams/${stream.id}/push-token`, { expiresIn: 3600 });
    assert.equal(token.status, 201, token.text);
    assert.notEqual(token.body.data.pushToken, stream.pushToken);
    assert.equal(token.body.data.status, "STARTED");
    ff.kill("SIGKILL");
    await ff.done;
  });

  await t.test("the list spans projects, newest first, and pages", async () => {
    const second = (await as(sysadmin, "POST", "/api/v1/admin/projects", { teamId: team.id, name: "second" })).body.data;
    const made = [];
    for (let i = 0; i < 3; i++) {
      const r = await as(sysadmin, "POST", `/api/v1/admin/projects/${second.id}/livestreams`, { name: `s${i}` });
      assert.equal(r.status, 201, r.text);
      made.push(r.body.data.id);
    }
    const all = await as(sysadmin, "GET", `/api/v1/admin/livestreams?teamId=${team.id}&limit=2&page=1`);
    assert.equal(all.body.meta.pagination.total, 4);
    assert.deepEqual(all.body.data.map((x) => x.id), [made[2], made[1]]);
    const page2 = await as(sysadmin, "GET", `/api/v1/admin/livestreams?teamId=${team.id}&limit=2&page=2`);
    assert.deepEqual(page2.body.data.map((x) => x.id), [made[0], stream.id]);
    const everything = await as(sysadmin, "GET", "/api/v1/admin/livestreams?limit=100");
    assert.equal(everything.body.meta.pagination.total, 4);
    const bad = await as(sysadmin, "GET", "/api/v1/admin/livestreams?status=LIVE");
    assert.equal(bad.status, 400);
  });

  await t.test("media servers: everyone signed in reads, only a system administrator changes", async () => {
    const list = await as(outsider, "GET", "/api/v1/admin/media-servers");
    assert.equal(list.status, 200, list.text);
    const embedded = list.body.data[0];
    assert.ok(["online", "offline", "unknown"].includes(embedded.status), embedded.status);
    assert.equal(typeof embedded.liveStreams, "number");
    assert.ok(!JSON.stringify(list.body).includes("ecret"), "no secrets in the list");
    const health = await as(outsider, "GET", `/api/v1/admin/media-servers/${embedded.id}/health`);
    assert.equal(health.status, 200, health.text);
    assert.equal(health.body.data.id, embedded.id);
    const body = { name: "zlm", type: "ZLMEDIAKIT", rtmpServer: "rtmp://127.0.0.1:19350/live",
      hlsBaseUrl: "http://127.0.0.1:18080", cdns: [{ name: "cdn", baseUrl: "https://cdn.example.com" }] };
    const refused = await as(outsider, "POST", "/api/v1/admin/media-servers", body);
    assert.equal(refused.status, 403);
    assert.deepEqual(refused.body, { statusCode: 403, message: "user may not manage media servers", error: "Forbidden" });
    const strict = await as(sysadmin, "POST", "/api/v1/admin/media-servers", { ...body, color: "red" });
    assert.equal(strict.status, 400);
    const added = await as(sysadmin, "POST", "/api/v1/admin/media-servers", body);
    assert.equal(added.status, 201, added.text);
    assert.match(added.body.data.hookSecret, /^ls_hook_/);
    const id = added.body.data.id;
    assert.equal((await as(outsider, "PATCH", `/api/v1/admin/media-servers/${id}`, { name: "x" })).status, 403);
    const patched = await as(sysadmin, "PATCH", `/api/v1/admin/media-servers/${id}`, { name: "zlm2" });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.data.name, "zlm2");
    assert.equal(patched.body.data.rtmpServer, body.rtmpServer);
    assert.equal((await as(outsider, "DELETE", `/api/v1/admin/media-servers/${id}`)).status, 403);
    assert.equal((await as(sysadmin, "DELETE", `/api/v1/admin/media-servers/${id}`)).status, 200);
    assert.equal((await as(sysadmin, "GET", `/api/v1/admin/media-servers/${id}/health`)).status, 404);
    const audit = await as(sysadmin, "GET", "/api/v1/admin/audit-log?limit=100");
    const actions = audit.body.data.filter((e) => e.target.id === id).map((e) => e.action);
    assert.deepEqual(actions, ["media_server.removed", "media_server.updated", "media_server.created"]);
  });

  // Every route x every caller this build can make x own team / other team.
  await t.test("the access matrix", async () => {
    const other = (await as(sysadmin, "POST", "/api/v1/admin/projects", { teamId: otherTeam.id, name: "theirs" })).body.data;
    const newStream = async (p) =>
      (await as(sysadmin, "POST", `/api/v1/admin/projects/${p.id}/livestreams`, { name: "x" })).body.data.id;
    project.streamId = await newStream(project);
    other.streamId = await newStream(other);
    const q = "from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z";
    const routes = (p, teamId) => [
      { name: "list projects", min: "viewer", run: (u) => as(u, "GET", `/api/v1/admin/projects?teamId=${teamId}`) },
      { name: "create project", min: "admin",
        run: (u) => as(u, "POST", "/api/v1/admin/projects", { teamId, name: `p-${Math.random()}` }) },
      { name: "get project", min: "viewer", run: (u) => as(u, "GET", `/api/v1/admin/projects/${p.id}`) },
      { name: "patch project", min: "admin",
        run: (u) => as(u, "PATCH", `/api/v1/admin/projects/${p.id}`, { abrEnabled: true }) },
      { name: "regenerate key", min: "admin", run: (u) => as(u, "POST", `/api/v1/admin/projects/${p.id}/api-key`) },
      { name: "usage", min: "viewer", run: (u) => as(u, "GET", `/api/v1/admin/projects/${p.id}/usage?${q}`) },
      { name: "audit log", min: "admin", run: (u) => as(u, "GET", `/api/v1/admin/audit-log?teamId=${teamId}`) },
      { name: "list livestreams", min: "viewer", run: (u) => as(u, "GET", `/api/v1/admin/livestreams?teamId=${teamId}`) },
      { name: "create livestream", min: "member",
        run: (u) => as(u, "POST", `/api/v1/admin/projects/${p.id}/livestreams`, { name: "m" }) },
      { name: "get livestream", min: "viewer", run: (u) => as(u, "GET", `/api/v1/admin/livestreams/${p.streamId}`) },
      { name: "rename livestream", min: "member",
        run: (u) => as(u, "PATCH", `/api/v1/admin/livestreams/${p.streamId}`, { name: "n" }) },
      { name: "push token", min: "member",
        run: (u) => as(u, "POST", `/api/v1/admin/livestreams/${p.streamId}/push-token`, {}) },
      { name: "delete livestream", min: "member", fresh: true,
        run: (u, id) => as(u, "DELETE", `/api/v1/admin/livestreams/${id}`) },
    ];
    const callers = { sysadmin, outsider };
    for (const role of ROLE_ORDER) {
      callers[role] = { ...(await makeUser(server, `${role}@example.com`, false)), server };
      await addMember(sysadmin, team.id, callers[role].email, role);
    }
    for (const [target, p, teamId] of [["own", project, team.id], ["other", other, otherTeam.id]]) {
      for (const route of routes(p, teamId)) {
        for (const [callerName, user] of Object.entries(callers)) {
          const want = expected(callerName, route.min, target === "own");
          const r = await route.run(user, route.fresh ? await newStream(p) : undefined);
          const label = `${route.name} by ${callerName} on ${target} team: ${r.status} ${r.text}`;
          if (want === "ok") assert.ok(r.status >= 200 && r.status < 300, label);
          else assert.equal(r.status, want, label);
          if (want === 404 && r.body) assert.doesNotMatch(r.body.message, /Forbidden|may not/, label);
          if (want === 403) assert.match(r.body.message, new RegExp(`^${callerName} may not `), label);
        }
      }
    }
    // A hidden project answers exactly like a missing one.
    const hidden = await as(outsider, "GET", `/api/v1/admin/projects/${project.id}`);
    assert.deepEqual(hidden.body, { statusCode: 404, message: `project ${project.id} not found`, error: "Not Found" });
    const list = await as(outsider, "GET", "/api/v1/admin/projects");
    assert.deepEqual(list.body.data, []);
    const streams = await as(outsider, "GET", "/api/v1/admin/livestreams");
    assert.deepEqual(streams.body.data, []);
    const hiddenStream = await as(outsider, "GET", `/api/v1/admin/livestreams/${project.streamId}`);
    assert.deepEqual(hiddenStream.body, { statusCode: 404, message: "Livestream not found", error: "Not Found" });
  });

  await t.test("deleting a project: the outsider cannot, the administrator can", async () => {
    let r = await as(outsider, "DELETE", `/api/v1/admin/projects/${project.id}`);
    assert.equal(r.status, 404);
    r = await as(sysadmin, "DELETE", `/api/v1/admin/projects/${project.id}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.data.id, project.id);
    r = await as(sysadmin, "GET", `/api/v1/admin/projects/${project.id}`);
    assert.equal(r.status, 404);
  });
});
