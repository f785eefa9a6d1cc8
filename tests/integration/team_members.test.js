// Teams, members and invitations end to end against the real binary: every
// member route for every role (owner, admin, member, viewer) in the user's
// own team and in a team they are not in, answering 2xx/403/404 exactly as
// the role table (control/team_policy) says; an invitation accepted by a new
// user who then logs in; the last owner cannot leave; the team CLI.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { cli, cliWithStdin, startServer, api } = require("./lib/server");

const PASSWORD = "correct horse battery";
const ROLES = ["owner", "admin", "member", "viewer"];
// What each role may do with members and invitations (control/team_policy.cpp).
const MAY_MANAGE = { owner: true, admin: true, member: false, viewer: false };

test("team members and invitations", async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const call = (token, method, path, body) =>
    api(server, method, path, { body, headers: token ? { authorization: `Bearer ${token}` } : {} });

  async function makeUser(email, admin = false) {
    const args = ["user", "create", "--email", email, "--password-stdin", ...server.storeArgs, "--json"];
    if (admin) args.push("--admin");
    const made = await cliWithStdin(args, PASSWORD);
    assert.equal(made.code, 0, made.stderr);
    return JSON.parse(made.stdout);
  }
  async function login(email, password = PASSWORD) {
    const r = await api(server, "POST", "/api/v1/auth/login", { body: { email, password } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.data.accessToken;
  }

  const users = {};
  const tokens = {};
  for (const name of ["root", "owner", "admin", "member", "viewer", "outsider", "zed"]) {
    users[name] = await makeUser(`${name}@example.com`, name === "root");
    tokens[name] = await login(`${name}@example.com`);
  }

  let team;
  let other;
  await t.test("the creator of a team is its owner; /auth/me lists it", async () => {
    const r = await call(tokens.owner, "POST", "/api/v1/admin/teams", { name: "Blue" });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    team = r.body.data;
    assert.equal(team.role, "owner");
    assert.equal(team.name, "Blue");
    const o = await call(tokens.outsider, "POST", "/api/v1/admin/teams", { name: "Red" });
    assert.equal(o.status, 201);
    other = o.body.data;
    for (const role of ["admin", "member", "viewer"]) {
      const add = await call(tokens.owner, "POST", `/api/v1/admin/teams/${team.id}/members`,
        { email: `${role}@example.com`, role });
      assert.equal(add.status, 201, JSON.stringify(add.body));
      assert.equal(add.body.data.role, role);
    }
    const me = await call(tokens.member, "GET", "/api/v1/auth/me");
    assert.deepEqual(me.body.data.teams, [{ id: team.id, name: "Blue", role: "member" }]);
    const mine = await call(tokens.viewer, "GET", "/api/v1/admin/teams");
    assert.deepEqual(mine.body.data.map((x) => [x.id, x.role]), [[team.id, "viewer"]]);
    const all = await call(tokens.root, "GET", "/api/v1/admin/teams");
    const ids = all.body.data.map((x) => x.id);
    assert.ok(ids.includes(team.id) && ids.includes(other.id));
    assert.equal(all.body.data.find((x) => x.id === team.id).role, null);  // root is in no team
  });

  await t.test("no token, a bad token: 401", async () => {
    const none = await call(null, "GET", `/api/v1/admin/teams/${team.id}/members`);
    assert.equal(none.status, 401);
    assert.deepEqual(none.body, { statusCode: 401, message: "Invalid or expired access token", error: "Unauthorized" });
    const bad = await call("nope", "GET", `/api/v1/admin/teams/${team.id}/members`);
    assert.equal(bad.status, 401);
  });

  // zed's membership, set up by root (a system administrator) before each check.
  async function zedMember(present) {
    const list = await call(tokens.root, "GET", `/api/v1/admin/teams/${team.id}/members`);
    const there = list.body.data.some((m) => m.userId === users.zed.id);
    if (present && !there) {
      const r = await call(tokens.root, "POST", `/api/v1/admin/teams/${team.id}/members`, { email: "zed@example.com", role: "viewer" });
      assert.equal(r.status, 201);
    }
    if (!present && there) {
      const r = await call(tokens.root, "DELETE", `/api/v1/admin/teams/${team.id}/members/${users.zed.id}`);
      assert.equal(r.status, 200);
    }
  }
  async function rootInvitation() {
    const r = await call(tokens.root, "POST", `/api/v1/admin/teams/${team.id}/invitations`, { email: "guest@example.com", role: "viewer" });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.data.id;
  }

  for (const role of ROLES) {
    await t.test(`${role}: every member route, own team and another team`, async () => {
      const token = tokens[role];
      const expect = (r, ok, action) => {
        if (ok) {
          assert.ok(r.status >= 200 && r.status < 300, `${role} ${action}: ${r.status} ${JSON.stringify(r.body)}`);
        } else {
          assert.equal(r.status, 403, `${role} ${action}: ${JSON.stringify(r.body)}`);
          assert.deepEqual(r.body, { statusCode: 403, message: `${role} may not ${action}`, error: "Forbidden" });
        }
      };
      const base = `/api/v1/admin/teams/${team.id}`;
      const list = await call(token, "GET", `${base}/members`);
      assert.equal(list.status, 200);
      assert.ok(list.body.data.some((m) => m.email === "owner@example.com" && m.role === "owner"));

      await zedMember(false);
      expect(await call(token, "POST", `${base}/members`, { email: "zed@example.com", role: "viewer" }),
        MAY_MANAGE[role], "add members");
      await zedMember(true);
      expect(await call(token, "PATCH", `${base}/members/${users.zed.id}`, { role: "member" }),
        MAY_MANAGE[role], "change roles");
      await zedMember(true);
      expect(await call(token, "DELETE", `${base}/members/${users.zed.id}`), MAY_MANAGE[role], "remove members");

      expect(await call(token, "GET", `${base}/invitations`), MAY_MANAGE[role], "invite members");
      expect(await call(token, "POST", `${base}/invitations`, { email: "x@example.com", role: "viewer" }),
        MAY_MANAGE[role], "invite members");
      const inv = await rootInvitation();
      expect(await call(token, "DELETE", `${base}/invitations/${inv}`), MAY_MANAGE[role], "invite members");

      // Another team: it does not exist as far as they know.
      const ob = `/api/v1/admin/teams/${other.id}`;
      const hidden = [
        await call(token, "GET", ob),
        await call(token, "GET", `${ob}/members`),
        await call(token, "POST", `${ob}/members`, { email: "zed@example.com", role: "viewer" }),
        await call(token, "PATCH", `${ob}/members/${users.outsider.id}`, { role: "viewer" }),
        await call(token, "DELETE", `${ob}/members/${users.outsider.id}`),
        await call(token, "GET", `${ob}/invitations`),
        await call(token, "POST", `${ob}/invitations`, { email: "x@example.com", role: "viewer" }),
        await call(token, "DELETE", `${ob}/invitations/00000000-0000-4000-8000-000000000000`),
      ];
      for (const r of hidden) {
        assert.equal(r.status, 404, JSON.stringify(r.body));
        assert.deepEqual(r.body, { statusCode: 404, message: "Team not found", error: "Not Found" });
      }
    });
  }

  await t.test("admins do not touch owners; a team keeps an owner", async () => {
    const base = `/api/v1/admin/teams/${team.id}`;
    const promote = await call(tokens.admin, "PATCH", `${base}/members/${users.member.id}`, { role: "owner" });
    assert.equal(promote.status, 403);
    const demote = await call(tokens.admin, "PATCH", `${base}/members/${users.owner.id}`, { role: "viewer" });
    assert.equal(demote.status, 403);
    const leave = await call(tokens.owner, "DELETE", `${base}/members/${users.owner.id}`);
    assert.equal(leave.status, 409);
    assert.deepEqual(leave.body, { statusCode: 409, message: "A team needs at least one owner", error: "Conflict" });
    const self = await call(tokens.owner, "PATCH", `${base}/members/${users.owner.id}`, { role: "admin" });
    assert.equal(self.status, 409);
    const bad = await call(tokens.owner, "PATCH", `${base}/members/${users.member.id}`, { role: "boss", extra: 1 });
    assert.equal(bad.status, 400);
    assert.ok(Array.isArray(bad.body.message));
    const unknown = await call(tokens.owner, "POST", `${base}/members`, { email: "nobody@example.com", role: "viewer" });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.message, "No user with that email; send an invitation");
  });

  await t.test("an invitation makes a new user, who then logs in", async () => {
    const base = `/api/v1/admin/teams/${team.id}`;
    const r = await call(tokens.admin, "POST", `${base}/invitations`, { email: "New@Example.com", role: "member" });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const inv = r.body.data;
    assert.equal(inv.email, "new@example.com");
    assert.match(inv.token, /^ls_inv_[A-Za-z0-9_-]{43}$/);
    const listed = await call(tokens.admin, "GET", `${base}/invitations`);
    const row = listed.body.data.find((x) => x.id === inv.id);
    assert.ok(row);
    assert.equal(row.token, undefined);  // shown once

    const short = await api(server, "POST", "/api/v1/auth/invitations/accept", { body: { token: inv.token, password: "short" } });
    assert.equal(short.status, 400);
    const accepted = await api(server, "POST", "/api/v1/auth/invitations/accept",
      { body: { token: inv.token, password: PASSWORD } });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    assert.equal(accepted.body.data.tokenType, "Bearer");
    assert.equal(accepted.body.data.user.email, "new@example.com");
    const me = await call(accepted.body.data.accessToken, "GET", "/api/v1/auth/me");
    assert.deepEqual(me.body.data.teams, [{ id: team.id, name: "Blue", role: "member" }]);
    const again = await api(server, "POST", "/api/v1/auth/invitations/accept", { body: { token: inv.token, password: PASSWORD } });
    assert.equal(again.status, 404);
    const token = await login("new@example.com");
    const members = await call(token, "GET", `${base}/members`);
    assert.equal(members.status, 200);
  });

  await t.test("a logged-in user joins; the invitation's email must be theirs", async () => {
    const base = `/api/v1/admin/teams/${other.id}`;
    const r = await call(tokens.outsider, "POST", `${base}/invitations`, { email: "viewer@example.com", role: "admin" });
    assert.equal(r.status, 201);
    const wrong = await call(tokens.member, "POST", "/api/v1/auth/invitations/accept", { token: r.body.data.token });
    assert.equal(wrong.status, 403);
    const joined = await call(tokens.viewer, "POST", "/api/v1/auth/invitations/accept", { token: r.body.data.token });
    assert.equal(joined.status, 200, JSON.stringify(joined.body));
    assert.equal(joined.body.data.role, "admin");
    const revoked = await call(tokens.outsider, "POST", `${base}/invitations`, { email: "zed@example.com", role: "viewer" });
    const del = await call(tokens.outsider, "DELETE", `${base}/invitations/${revoked.body.data.id}`);
    assert.equal(del.status, 200);
    const late = await call(tokens.zed, "POST", "/api/v1/auth/invitations/accept", { token: revoked.body.data.token });
    assert.equal(late.status, 404);
  });

  await t.test("the team CLI", async () => {
    const args = ["--team", team.id, ...server.storeArgs];
    const members = await cli(["team", "members", ...args, "--json"]);
    assert.equal(members.code, 0, members.stderr);
    assert.ok(JSON.parse(members.stdout).some((m) => m.email === "owner@example.com" && m.role === "owner"));
    await zedMember(false);
    const add = await cli(["team", "add-member", ...args, "--email", "zed@example.com", "--role", "admin", "--json"]);
    assert.equal(add.code, 0, add.stderr);
    const set = await cli(["team", "set-role", ...args, "--email", "zed@example.com", "--role", "owner"]);
    assert.equal(set.code, 0, set.stderr);
    const rm = await cli(["team", "remove-member", ...args, "--email", "zed@example.com"]);
    assert.equal(rm.code, 0, rm.stderr);
    const badRole = await cli(["team", "add-member", ...args, "--email", "zed@example.com", "--role", "boss"]);
    assert.equal(badRole.code, 2);
    const inv = await cli(["team", "invite", ...args, "--email", "cli@example.com", "--role", "viewer", "--json"]);
    assert.equal(inv.code, 0, inv.stderr);
    assert.match(JSON.parse(inv.stdout).token, /^ls_inv_/);
    const audit = await cli(["audit-log", "--team", team.id, ...server.storeArgs, "--json", "--limit", "1000"]);
    const actions = new Set(JSON.parse(audit.stdout).data.map((e) => e.action));
    for (const a of ["team.created", "team.member.added", "team.member.role_changed", "team.member.removed",
      "team.invitation.created", "team.invitation.revoked", "team.invitation.accepted"]) {
      assert.ok(actions.has(a), a);
    }
  });
});
