// Users and sessions end to end: the CLI makes the first admin (password on
// stdin), then login, me, refresh rotation, reuse detection, logout, the
// cookie + CSRF flow and login throttling against the real binary.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { cli, cliWithStdin, startServer, api } = require("./lib/server");

const login = (server, email, password, headers) =>
  api(server, "POST", "/api/v1/auth/login", { body: { email, password }, headers });
const me = (server, token) => api(server, "GET", "/api/v1/auth/me", { headers: { authorization: `Bearer ${token}` } });

// name=value of each Set-Cookie, and the attributes as written.
function cookies(response) {
  const out = {};
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair.indexOf("=");
    out[pair.slice(0, eq)] = { value: pair.slice(eq + 1), line };
  }
  return out;
}

const INVALID_ACCESS = { statusCode: 401, message: "Invalid or expired access token", error: "Unauthorized" };

test("users and sessions", async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const email = "Admin@Example.com";
  const password = "correct horse battery";

  await t.test("nothing logs in before a user exists", async () => {
    const r = await login(server, "admin@example.com", password);
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, { statusCode: 401, message: "Invalid email or password", error: "Unauthorized" });
    assert.equal(r.headers.get("cache-control"), "no-store");
    const list = await cli(["user", "list", ...server.storeArgs, "--json"]);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(JSON.parse(list.stdout), []);
  });

  await t.test("the CLI creates the admin from stdin", async () => {
    const missing = await cli(["user", "create", "--email", email, ...server.storeArgs]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--password-stdin/);
    const short = await cliWithStdin(["user", "create", "--email", email, "--password-stdin", ...server.storeArgs], "short\n");
    assert.equal(short.code, 2);
    assert.match(short.stderr, /at least 8/);
    const made = await cliWithStdin(
      ["user", "create", "--email", email, "--password-stdin", "--admin", ...server.storeArgs, "--json"], password + "\n");
    assert.equal(made.code, 0, made.stderr);
    const user = JSON.parse(made.stdout);
    assert.equal(user.email, "admin@example.com");
    assert.equal(user.isAdmin, true);
    const again = await cliWithStdin(["user", "create", "--email", "admin@example.com", "--password-stdin", ...server.storeArgs], password);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /exists/);
    const plain = await cliWithStdin(
      ["user", "create", "--email", "viewer@example.com", "--password-stdin", ...server.storeArgs, "--json"], "viewer password");
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(JSON.parse(plain.stdout).isAdmin, false);
    const list = JSON.parse((await cli(["user", "list", ...server.storeArgs, "--json"])).stdout);
    assert.deepEqual(list.map((u) => [u.email, u.isAdmin]), [["admin@example.com", true], ["viewer@example.com", false]]);
  });

  let first;
  await t.test("login answers tokens and cookies; me answers the user", async () => {
    const r = await login(server, email, password);
    assert.equal(r.status, 200, r.text);
    first = r.body.data;
    assert.equal(first.expiresIn, 900);
    assert.equal(first.tokenType, "Bearer");
    assert.deepEqual(Object.keys(first).sort(), ["accessToken", "csrfToken", "expiresIn", "refreshToken", "tokenType", "user"]);
    assert.equal(first.user.email, "admin@example.com");
    assert.equal(first.user.isAdmin, true);
    const [header] = first.accessToken.split(".");
    const h = JSON.parse(Buffer.from(header, "base64url"));
    assert.equal(h.alg, "HS256");
    assert.equal(h.typ, "at+jwt");
    const c = cookies(r);
    assert.equal(c.ls_refresh.value, first.refreshToken);
    assert.match(c.ls_refresh.line, /; Path=\/api\/v1\/auth; HttpOnly; SameSite=Strict; Max-Age=1209600$/);
    assert.equal(c.ls_csrf.value, first.csrfToken);
    assert.match(c.ls_csrf.line, /; Path=\/; SameSite=Strict; Max-Age=1209600$/);
    assert.equal(r.headers.get("cache-control"), "no-store");

    const m = await me(server, first.accessToken);
    assert.equal(m.status, 200, m.text);
    assert.equal(m.body.data.id, first.user.id);
    assert.equal(m.body.data.email, "admin@example.com");
    assert.equal(m.body.data.isAdmin, true);
    assert.match(m.body.data.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(m.body.data.teams, []);
    assert.deepEqual((await me(server, "nope")).body, INVALID_ACCESS);
    assert.deepEqual((await api(server, "GET", "/api/v1/auth/me")).body, INVALID_ACCESS);
  });

  await t.test("a push token is not an access token", async () => {
    const key = server.firstApiKey;
    const ms = (await api(server, "GET", "/api/v1/media-servers/available", { key })).body.data[0].id;
    const projects = JSON.parse((await cli(["project", "list", ...server.storeArgs, "--json"])).stdout);
    const created = await api(server, "POST", "/api/v1/livestream",
      { key, body: { name: "s", projectId: projects[0].id, mediaServerId: ms } });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual((await me(server, created.body.data.pushToken)).body, INVALID_ACCESS);
  });

  await t.test("refresh rotates; replaying the old token ends the whole family", async () => {
    const second = await api(server, "POST", "/api/v1/auth/refresh", { body: { refreshToken: first.refreshToken } });
    assert.equal(second.status, 200, second.text);
    const rotated = second.body.data;
    assert.notEqual(rotated.refreshToken, first.refreshToken);
    assert.equal((await me(server, rotated.accessToken)).status, 200);

    const replay = await api(server, "POST", "/api/v1/auth/refresh", { body: { refreshToken: first.refreshToken } });
    assert.equal(replay.status, 401);
    const newer = await api(server, "POST", "/api/v1/auth/refresh", { body: { refreshToken: rotated.refreshToken } });
    assert.equal(newer.status, 401, "the family's newest refresh token is dead too");
    assert.deepEqual((await me(server, rotated.accessToken)).body, INVALID_ACCESS);
    assert.deepEqual((await me(server, first.accessToken)).body, INVALID_ACCESS);
  });

  await t.test("logout ends the session and clears the cookies", async () => {
    const s = (await login(server, email, password)).body.data;
    const out = await api(server, "POST", "/api/v1/auth/logout", { body: { refreshToken: s.refreshToken } });
    assert.equal(out.status, 200, out.text);
    assert.deepEqual(out.body, { data: { loggedOut: true }, meta: {} });
    const c = cookies(out);
    assert.match(c.ls_refresh.line, /Max-Age=0/);
    assert.match(c.ls_csrf.line, /Max-Age=0/);
    assert.equal((await me(server, s.accessToken)).status, 401);
    assert.equal((await api(server, "POST", "/api/v1/auth/refresh", { body: { refreshToken: s.refreshToken } })).status, 401);
  });

  await t.test("the cookie flow needs X-CSRF-Token", async () => {
    const s = (await login(server, email, password)).body.data;
    const cookie = `ls_refresh=${s.refreshToken}; ls_csrf=${s.csrfToken}`;
    const without = await api(server, "POST", "/api/v1/auth/refresh", { headers: { cookie } });
    assert.equal(without.status, 403);
    assert.deepEqual(without.body, { statusCode: 403, message: "Missing or wrong CSRF token", error: "Forbidden" });
    const wrong = await api(server, "POST", "/api/v1/auth/refresh", { headers: { cookie, "x-csrf-token": "x".repeat(43) } });
    assert.equal(wrong.status, 403);
    const ok = await api(server, "POST", "/api/v1/auth/refresh", { headers: { cookie, "x-csrf-token": s.csrfToken } });
    assert.equal(ok.status, 200, ok.text);
    const c = cookies(ok);
    assert.equal(c.ls_refresh.value, ok.body.data.refreshToken);
    assert.equal(c.ls_csrf.value, ok.body.data.csrfToken);
    // Logout by cookie: the same rule.
    const next = `ls_refresh=${c.ls_refresh.value}; ls_csrf=${c.ls_csrf.value}`;
    assert.equal((await api(server, "POST", "/api/v1/auth/logout", { headers: { cookie: next } })).status, 403);
    const out = await api(server, "POST", "/api/v1/auth/logout", { headers: { cookie: next, "x-csrf-token": c.ls_csrf.value } });
    assert.equal(out.status, 200, out.text);
    assert.equal((await me(server, ok.body.data.accessToken)).status, 401);
  });

  await t.test("bad bodies are 400 with every problem", async () => {
    const r = await api(server, "POST", "/api/v1/auth/login", { body: { email, password, remember: true } });
    assert.equal(r.status, 400);
    assert.deepEqual(r.body.message, ["property remember should not exist"]);
    const none = await api(server, "POST", "/api/v1/auth/login", { body: {} });
    assert.equal(none.status, 400);
    assert.ok(Array.isArray(none.body.message));
  });

  await t.test("set-password logs every session out", async () => {
    const s = (await login(server, "viewer@example.com", "viewer password")).body.data;
    assert.equal((await me(server, s.accessToken)).status, 200);
    const changed = await cliWithStdin(
      ["user", "set-password", "--email", "viewer@example.com", "--password-stdin", ...server.storeArgs], "new viewer password");
    assert.equal(changed.code, 0, changed.stderr);
    assert.equal((await me(server, s.accessToken)).status, 401);
    assert.equal((await login(server, "viewer@example.com", "viewer password")).status, 401);
    assert.equal((await login(server, "viewer@example.com", "new viewer password")).status, 200);
    const deleted = await cli(["user", "delete", "--email", "viewer@example.com", ...server.storeArgs]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal((await login(server, "viewer@example.com", "new viewer password")).status, 401);
  });

  await t.test("wrong email and wrong password answer alike; 429 after the account's failures", async () => {
    const wrongEmail = await login(server, "nobody@example.com", password);
    const wrongPassword = await login(server, email, "not the password");
    assert.equal(wrongEmail.status, 401);
    assert.equal(wrongEmail.text, wrongPassword.text);
    // auth.login_failures_per_account = 5: one before the user existed, one
    // just above, three more.
    for (let i = 0; i < 3; i++) assert.equal((await login(server, email, "not the password")).status, 401);
    const locked = await login(server, email, password);
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers.get("retry-after")) > 0);
  });
});
