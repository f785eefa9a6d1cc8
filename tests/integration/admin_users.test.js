// The administration API's system routes against the real binary: users,
// push-token signing keys and remote media nodes, i.e. what `lunarstream
// user`, `keys` and `node add|rotate-secret` do. Users are made with the CLI;
// every route answers a system administrator (2xx), an ordinary user (403) and
// no token (401); the last administrator is never removed or demoted, nobody
// deletes themselves; a password change logs the user's sessions out; the CLI
// and the API see the same keys; a node secret is shown once and heartbeats.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { cli, cliWithStdin, startServer, api } = require("./lib/server");

const PASSWORD = "correct horse battery";

async function login(server, email, password = PASSWORD) {
  return api(server, "POST", "/api/v1/auth/login", { body: { email, password } });
}

async function makeUser(server, email, admin) {
  const r = await cliWithStdin(["user", "create", "--email", email, "--password-stdin", ...(admin ? ["--admin"] : []),
    ...server.storeArgs, "--json"], PASSWORD);
  assert.equal(r.code, 0, r.stderr);
  const l = await login(server, email);
  assert.equal(l.status, 200, l.text);
  return { server, email, id: l.body.data.user.id, token: l.body.data.accessToken, refresh: l.body.data.refreshToken };
}

const as = (user, method, path, body) =>
  api(user.server, method, path, { body, headers: user.token ? { authorization: `Bearer ${user.token}` } : {} });

const INVALID_ACCESS = { statusCode: 401, message: "Invalid or expired access token", error: "Unauthorized" };

test("administration API: users, signing keys, media nodes", async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const root = await makeUser(server, "root@example.com", true);
  const plain = await makeUser(server, "plain@example.com", false);
  const anonymous = { server, token: null };
  const bogus = { server, token: "not-a-token" };

  await t.test("only a system administrator may call the system routes; no token is 401", async () => {
    const someId = "00000000-0000-4000-8000-000000000000";
    const routes = [
      ["GET", "/api/v1/admin/users", undefined, "users"],
      ["POST", "/api/v1/admin/users", { email: "x@example.com", password: PASSWORD }, "users"],
      ["PATCH", `/api/v1/admin/users/${someId}`, { isAdmin: true }, "users"],
      ["DELETE", `/api/v1/admin/users/${someId}`, undefined, "users"],
      ["GET", "/api/v1/admin/signing-keys", undefined, "signing keys"],
      ["POST", "/api/v1/admin/signing-keys/rotate", {}, "signing keys"],
      ["POST", "/api/v1/admin/signing-keys/some-kid/retire", undefined, "signing keys"],
      ["POST", "/api/v1/admin/media-servers/nodes",
        { name: "n", rtmpBaseUrl: "rtmp://127.0.0.1:1935/live", hlsBaseUrl: "http://127.0.0.1:8000" }, "media servers"],
      ["POST", `/api/v1/admin/media-servers/${someId}/node-secret`, undefined, "media servers"],
    ];
    for (const [method, path, body, what] of routes) {
      const none = await as(anonymous, method, path, body);
      assert.equal(none.status, 401, `${method} ${path}: ${none.text}`);
      assert.deepEqual(none.body, INVALID_ACCESS);
      assert.equal((await as(bogus, method, path, body)).status, 401, `${method} ${path}`);
      const forbidden = await as(plain, method, path, body);
      assert.equal(forbidden.status, 403, `${method} ${path}: ${forbidden.text}`);
      assert.deepEqual(forbidden.body, { statusCode: 403, message: `user may not manage ${what}`, error: "Forbidden" });
      assert.equal(forbidden.headers.get("cache-control"), "no-store");
    }
  });

  let carol;
  await t.test("users: list, create, change, delete; never the hash", async () => {
    const list = await as(root, "GET", "/api/v1/admin/users");
    assert.equal(list.status, 200, list.text);
    assert.equal(list.headers.get("cache-control"), "no-store");
    assert.deepEqual(list.body.data.map((u) => u.email).sort(), ["plain@example.com", "root@example.com"]);
    for (const u of list.body.data) {
      assert.deepEqual(Object.keys(u).sort(), ["createdAt", "email", "id", "isAdmin", "updatedAt"]);
    }
    assert.ok(!list.text.includes("argon2"));

    const created = await as(root, "POST", "/api/v1/admin/users", { email: " Carol@Example.com", password: PASSWORD });
    assert.equal(created.status, 201, created.text);
    carol = created.body.data;
    assert.equal(carol.email, "carol@example.com");
    assert.equal(carol.isAdmin, false);
    assert.ok(!created.text.includes("argon2"));
    assert.equal((await login(server, "carol@example.com")).status, 200);

    const clash = await as(root, "POST", "/api/v1/admin/users", { email: "carol@example.com", password: PASSWORD });
    assert.equal(clash.status, 409, clash.text);
    const short = await as(root, "POST", "/api/v1/admin/users", { email: "d@example.com", password: "short" });
    assert.equal(short.status, 400, short.text);
    assert.ok(Array.isArray(short.body.message));
    const unknown = await as(root, "POST", "/api/v1/admin/users", { email: "d@example.com", password: PASSWORD, role: "x" });
    assert.equal(unknown.status, 400, unknown.text);
    assert.equal((await as(root, "PATCH", `/api/v1/admin/users/${carol.id}`, { isAdmin: "yes" })).status, 400);
    assert.equal((await as(root, "PATCH", "/api/v1/admin/users/not-a-uuid", { isAdmin: true })).status, 400);
    assert.equal((await as(root, "PATCH", "/api/v1/admin/users/00000000-0000-4000-8000-000000000000",
      { isAdmin: true })).status, 404);

    // The CLI sees what the API made.
    const cliList = JSON.parse((await cli(["user", "list", ...server.storeArgs, "--json"])).stdout);
    assert.ok(cliList.some((u) => u.id === carol.id && u.email === "carol@example.com"));

    const promoted = await as(root, "PATCH", `/api/v1/admin/users/${carol.id}`, { isAdmin: true });
    assert.equal(promoted.status, 200, promoted.text);
    assert.equal(promoted.body.data.isAdmin, true);
    const demoted = await as(root, "PATCH", `/api/v1/admin/users/${carol.id}`, { isAdmin: false });
    assert.equal(demoted.status, 200, demoted.text);
    assert.equal(demoted.body.data.isAdmin, false);
  });

  await t.test("a password change ends that user's sessions", async () => {
    const session = await login(server, "carol@example.com");
    assert.equal(session.status, 200);
    const changed = await as(root, "PATCH", `/api/v1/admin/users/${carol.id}`, { password: "a new password!" });
    assert.equal(changed.status, 200, changed.text);
    const refresh = await api(server, "POST", "/api/v1/auth/refresh", { body: { refreshToken: session.body.data.refreshToken } });
    assert.equal(refresh.status, 401, refresh.text);
    const me = await api(server, "GET", "/api/v1/auth/me",
      { headers: { authorization: `Bearer ${session.body.data.accessToken}` } });
    assert.equal(me.status, 401);
    assert.equal((await login(server, "carol@example.com")).status, 401);
    assert.equal((await login(server, "carol@example.com", "a new password!")).status, 200);
  });

  await t.test("any user changes their own password; other sessions end, the caller stays logged in", async () => {
    const me = await makeUser(server, "self@example.com", false);
    const other = await login(server, "self@example.com");
    const none = await api(server, "POST", "/api/v1/auth/password",
      { body: { currentPassword: PASSWORD, newPassword: "my new password" } });
    assert.equal(none.status, 401);
    const wrong = await as(me, "POST", "/api/v1/auth/password",
      { currentPassword: "not my password", newPassword: "my new password" });
    assert.equal(wrong.status, 403, wrong.text);
    const short = await as(me, "POST", "/api/v1/auth/password", { currentPassword: PASSWORD, newPassword: "short" });
    assert.equal(short.status, 400, short.text);
    const changed = await as(me, "POST", "/api/v1/auth/password",
      { currentPassword: PASSWORD, newPassword: "my new password" });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.data.user.email, "self@example.com");
    assert.ok(changed.headers.get("set-cookie").includes("ls_refresh="));
    const fresh = { server, token: changed.body.data.accessToken };
    assert.equal((await as(fresh, "GET", "/api/v1/auth/me")).status, 200);
    assert.equal((await as(me, "GET", "/api/v1/auth/me")).status, 401);
    const stale = await api(server, "POST", "/api/v1/auth/refresh", { body: { refreshToken: other.body.data.refreshToken } });
    assert.equal(stale.status, 401);
    assert.equal((await login(server, "self@example.com", "my new password")).status, 200);
  });

  await t.test("the last administrator is never removed or demoted; nobody deletes themselves", async () => {
    const demote = await as(root, "PATCH", `/api/v1/admin/users/${root.id}`, { isAdmin: false });
    assert.equal(demote.status, 409, demote.text);
    const self = await as(root, "DELETE", `/api/v1/admin/users/${root.id}`);
    assert.equal(self.status, 409, self.text);
    // A second admin may delete the first, but then not themselves; the last one stays.
    assert.equal((await as(root, "PATCH", `/api/v1/admin/users/${carol.id}`, { isAdmin: true })).status, 200);
    const carolSession = await login(server, "carol@example.com", "a new password!");
    const carolUser = { server, id: carol.id, token: carolSession.body.data.accessToken };
    assert.equal((await as(carolUser, "PATCH", `/api/v1/admin/users/${carol.id}`, { isAdmin: false })).status, 200);
    assert.equal((await as(root, "PATCH", `/api/v1/admin/users/${root.id}`, { isAdmin: false })).status, 409);
    // The CLI asks the same store, which refuses the last administrator in its transaction.
    const last = await cli(["user", "delete", "--email", "root@example.com", ...server.storeArgs]);
    assert.equal(last.code, 1, last.stdout);
    assert.match(last.stderr, /^error: the last system administrator cannot be deleted$/m);
    assert.equal((await as(root, "GET", "/api/v1/auth/me")).status, 200);
  });

  await t.test("deleting a user removes them and their sessions", async () => {
    const victim = await makeUser(server, "victim@example.com", false);
    const del = await as(root, "DELETE", `/api/v1/admin/users/${victim.id}`);
    assert.equal(del.status, 200, del.text);
    assert.deepEqual(del.body.data, { id: victim.id });
    assert.equal((await as(victim, "GET", "/api/v1/auth/me")).status, 401);
    assert.equal((await as(root, "DELETE", `/api/v1/admin/users/${victim.id}`)).status, 404);
    const cliList = JSON.parse((await cli(["user", "list", ...server.storeArgs, "--json"])).stdout);
    assert.ok(!cliList.some((u) => u.id === victim.id));
  });

  await t.test("signing keys: the API and `keys list` see the same rows, never a private key", async () => {
    const before = await as(root, "GET", "/api/v1/admin/signing-keys");
    assert.equal(before.status, 200, before.text);
    assert.ok(!before.text.includes("PRIVATE"));
    const rotated = await as(root, "POST", "/api/v1/admin/signing-keys/rotate", { activateAfter: 0 });
    assert.equal(rotated.status, 201, rotated.text);
    assert.deepEqual(Object.keys(rotated.body.data).sort(), ["activatesAt", "createdAt", "kid", "retiresAt", "state"]);
    assert.equal(rotated.body.data.state, "active");
    assert.equal((await as(root, "POST", "/api/v1/admin/signing-keys/rotate", { activateAfter: -1 })).status, 400);
    const api2 = (await as(root, "GET", "/api/v1/admin/signing-keys")).body.data;
    const cliRows = JSON.parse((await cli(["keys", "list", ...server.storeArgs, "--json"])).stdout);
    assert.deepEqual(api2.map((k) => [k.kid, k.state]), cliRows.map((k) => [k.kid, k.state]));
    assert.ok(cliRows.some((k) => k.kid === rotated.body.data.kid));

    const old = before.body.data[0].kid;
    const retired = await as(root, "POST", `/api/v1/admin/signing-keys/${encodeURIComponent(old)}/retire`);
    assert.equal(retired.status, 200, retired.text);
    assert.equal(retired.body.data.state, "retired");
    const cliAfter = JSON.parse((await cli(["keys", "list", ...server.storeArgs, "--json"])).stdout);
    assert.equal(cliAfter.find((k) => k.kid === old).state, "retired");
    assert.equal((await as(root, "POST", "/api/v1/admin/signing-keys/no-such-kid/retire")).status, 404);
  });

  await t.test("media nodes: the secret is shown once, heartbeats, and rotates", async () => {
    const bad = await as(root, "POST", "/api/v1/admin/media-servers/nodes", { name: "edge" });
    assert.equal(bad.status, 400, bad.text);
    const added = await as(root, "POST", "/api/v1/admin/media-servers/nodes",
      { name: "edge-1", rtmpBaseUrl: "rtmp://127.0.0.1:19350/live", hlsBaseUrl: "http://127.0.0.1:18080" });
    assert.equal(added.status, 201, added.text);
    const node = added.body.data;
    assert.match(node.nodeSecret, /\S{20,}/);
    const listed = await as(root, "GET", "/api/v1/admin/media-servers");
    assert.ok(listed.body.data.some((s) => s.id === node.id));
    assert.ok(!listed.text.includes(node.nodeSecret));
    const beat = (secret) => api(server, "POST", `/internal/v1/nodes/${node.id}/heartbeat`,
      { body: { bootId: "boot-1" }, headers: { authorization: `Bearer ${secret}` } });
    assert.equal((await beat(node.nodeSecret)).status, 200);
    const cliNodes = JSON.parse((await cli(["node", "list", ...server.storeArgs, "--json"])).stdout);
    assert.ok(cliNodes.some((n) => n.id === node.id));

    const rotated = await as(root, "POST", `/api/v1/admin/media-servers/${node.id}/node-secret`);
    assert.equal(rotated.status, 200, rotated.text);
    assert.notEqual(rotated.body.data.nodeSecret, node.nodeSecret);
    assert.equal((await beat(node.nodeSecret)).status, 401);
    assert.equal((await beat(rotated.body.data.nodeSecret)).status, 200);
  });

  await t.test("the audit log names the acting user", async () => {
    const r = await as(root, "GET", "/api/v1/admin/audit-log?limit=100");
    assert.equal(r.status, 200, r.text);
    const actions = new Set(r.body.data.map((e) => e.action));
    for (const a of ["user.created", "user.deleted", "user.password_changed", "user.admin_changed",
      "signing_key.rotated", "signing_key.retired", "media_server.created", "media_server.node_secret.rotated"]) {
      assert.ok(actions.has(a), `${a} in ${[...actions]}`);
    }
    const created = r.body.data.find((e) => e.action === "user.created");
    assert.equal(created.actor.email, "root@example.com");
    assert.equal(created.actor.id, root.id);
  });
});
