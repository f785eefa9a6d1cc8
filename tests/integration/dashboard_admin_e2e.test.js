// The dashboard's administration pages end to end (issue #13 item 5): the
// real binary, the dashboard it serves, headless Chromium.
// 1. A system admin adds an EMBEDDED media server through the form (a bad
//    URL first: the API's validation message shows) and sees it listed.
// 2. The admin regenerates a project's API key in the UI; the audit-log page
//    shows that with the admin's email.
// 3. A viewer of the team has no audit-log (or users) nav entry, and changes
//    their password on the account page (or, while POST /api/v1/auth/password
//    is not on the build, reads that the server does not offer it yet).
// 4. The users page: the admin creates a user through the form. Skipped, with
//    a message, only while GET /api/v1/admin/users answers 404 (the page must
//    then show a readable error, which is checked first).
// Plus a 375 px wide media-server form and audit log without horizontal
// scroll, and no CSP violation or console error anywhere.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { startServer } = require("./lib/server");
const { launchChromium } = require("./lib/browser");
const { createUser, apiLogin, adminCall, missingRoutes, openPage, loginThroughForm, noHorizontalScroll } = require("./lib/dashboard");

const ADMIN = { email: "root@example.com", password: "correct horse battery" };
const VIEWER = { email: "viewer@example.com", password: "viewer password 1" };
const NO_ID = "00000000-0000-4000-8000-000000000000";

const ROUTES = [
  ["GET", "/api/v1/admin/teams"],
  ["GET", `/api/v1/admin/projects?teamId=${NO_ID}`],
  ["POST", `/api/v1/admin/projects/${NO_ID}/api-key`],
  ["GET", "/api/v1/admin/media-servers"],
  ["GET", `/api/v1/admin/audit-log?teamId=${NO_ID}`],
];

async function selectTeam(page, teamId) {
  await page.locator(`[data-testid=team-switcher] option[value="${teamId}"]`).waitFor({ state: "attached", timeout: 15000 });
  await page.getByTestId("team-switcher").selectOption(teamId);
}

test("the dashboard's administration pages in Chromium", { timeout: 180000 }, async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  await createUser(server, ADMIN.email, ADMIN.password, { admin: true });
  const adminToken = (await apiLogin(server, ADMIN.email, ADMIN.password)).accessToken;
  const missing = await missingRoutes(server, adminToken, ROUTES);
  if (missing.length > 0) {
    t.skip(`the admin routes are not on this build yet: ${missing.join(", ")} answer 404`);
    return;
  }
  const team = await adminCall(server, "POST", "/api/v1/admin/teams", adminToken, { name: "Admin team" });
  assert.equal(team.status, 201, team.text);
  const teamId = team.body.data.id;
  const project = await adminCall(server, "POST", "/api/v1/admin/projects", adminToken, { teamId, name: "Audited project" });
  assert.equal(project.status, 201, project.text);

  const browser = await launchChromium();
  t.after(() => browser.close());

  await t.test("a system admin adds an EMBEDDED media server through the form", async () => {
    const tab = await openPage(browser, server);
    const { page } = tab;
    // The invalid body's 400 is meant: its message is what the test looks for.
    tab.allowFailed((f) => f.status === 400 && f.path === "/api/v1/admin/media-servers");
    await loginThroughForm(page, server, ADMIN.email, ADMIN.password);
    await page.getByTestId("nav-media-servers").click();
    await page.getByTestId("ms-add-toggle").click();
    const form = page.getByTestId("ms-add-form");
    await form.waitFor({ timeout: 15000 });
    await page.getByTestId("ms-add-type").selectOption("EMBEDDED");
    await page.getByTestId("ms-add-name").fill("Edge two");
    await page.getByTestId("ms-add-rtmp").fill("rtmp://127.0.0.1:1935/live");
    await page.getByTestId("ms-add-hls").fill("not a url");
    await page.getByTestId("ms-add-cdn-add").click();
    const cdn = page.getByTestId("cdn-row").first().locator("input");
    await cdn.nth(0).fill("cdn-a");
    await cdn.nth(1).fill("http://127.0.0.1:9/hls");

    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/v1/admin/media-servers"),
      page.getByTestId("ms-add-submit").click(),
    ]);
    assert.equal(refused.status(), 400);
    const refusedBody = await refused.json();
    const expected = Array.isArray(refusedBody.message) ? refusedBody.message.join("; ") : refusedBody.message;
    const errorBox = page.getByTestId("ms-add-error");
    await errorBox.waitFor({ timeout: 15000 });
    assert.equal((await errorBox.textContent()).trim(), expected, "the API's validation message is shown");

    await page.getByTestId("ms-add-hls").fill("http://127.0.0.1:8080/hls");
    const [made] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/v1/admin/media-servers"),
      page.getByTestId("ms-add-submit").click(),
    ]);
    assert.equal(made.status(), 201, await made.text());
    const sent = JSON.parse(made.request().postData());
    assert.deepEqual(sent, {
      type: "EMBEDDED",
      name: "Edge two",
      rtmpServer: "rtmp://127.0.0.1:1935/live",
      hlsBaseUrl: "http://127.0.0.1:8080/hls",
      cdns: [{ name: "cdn-a", baseUrl: "http://127.0.0.1:9/hls" }],
    });
    const id = (await made.json()).data.id;
    const row = page.locator(`[data-testid=media-server-row][data-id="${id}"]`);
    await row.waitFor({ timeout: 15000 });
    assert.match(await row.textContent(), /Edge two/);
    assert.match(await row.textContent(), /cdn-a/);
    const listed = await adminCall(server, "GET", "/api/v1/admin/media-servers", adminToken);
    const server2 = listed.body.data.find((s) => s.id === id);
    assert.equal(server2.type, "EMBEDDED");
    assert.deepEqual(server2.cdns.map(({ name, baseUrl, steering }) => ({ name, baseUrl, steering })),
      [{ name: "cdn-a", baseUrl: "http://127.0.0.1:9/hls", steering: "auto" }]);

    // Edit: rename through the edit form; the PATCH carries only the change.
    await row.getByTestId("ms-edit-toggle").click();
    await row.getByTestId("ms-edit-name").fill("Edge 2");
    const [patched] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "PATCH" && new URL(r.url()).pathname === `/api/v1/admin/media-servers/${id}`),
      row.getByTestId("ms-edit-submit").click(),
    ]);
    assert.equal(patched.status(), 200, await patched.text());
    assert.deepEqual(JSON.parse(patched.request().postData()), { name: "Edge 2" });
    await page.locator(`[data-testid=media-server-row][data-id="${id}"][data-name="Edge 2"]`).waitFor({ timeout: 15000 });
    await tab.assertClean("media server form");
    await tab.context.close();
  });

  await t.test("the audit log shows a key regeneration made in the UI, with the admin's email", async () => {
    const tab = await openPage(browser, server);
    const { page } = tab;
    await loginThroughForm(page, server, ADMIN.email, ADMIN.password);
    await selectTeam(page, teamId);
    await page.getByTestId("nav-projects").click();
    await page.getByTestId("regenerate-key").click();
    const [regenerated] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST" && /\/api-key$/.test(new URL(r.url()).pathname)),
      page.getByTestId("regenerate-key-confirm").click(),
    ]);
    assert.equal(regenerated.status(), 200);
    await page.getByTestId("nav-audit-log").click();
    const row = page.locator("[data-testid=audit-row][data-action='project.api_key.regenerated']");
    await row.first().waitFor({ timeout: 15000 });
    assert.equal((await row.first().getByTestId("audit-actor").textContent()).trim(), ADMIN.email);
    // Newest first: the regeneration is the first row.
    assert.equal(await page.getByTestId("audit-row").first().getAttribute("data-action"), "project.api_key.regenerated");
    await tab.assertClean("audit log");
    await tab.context.close();
  });

  await t.test("a phone-sized media-server form and audit log have no horizontal scroll", async () => {
    const tab = await openPage(browser, server, { viewport: { width: 375, height: 740 } });
    const { page } = tab;
    await loginThroughForm(page, server, ADMIN.email, ADMIN.password);
    await selectTeam(page, teamId);
    await page.goto(server.url("/dashboard/media-servers"));
    await page.getByTestId("ms-add-toggle").click();
    await page.getByTestId("ms-add-cdn-add").click();
    await page.getByTestId("ms-add-form").waitFor({ timeout: 15000 });
    assert.ok(await noHorizontalScroll(page), "media-server form at 375 px");
    await page.goto(server.url("/dashboard/audit-log"));
    await selectTeam(page, teamId);
    await page.getByTestId("audit-row").first().waitFor({ timeout: 15000 });
    assert.ok(await noHorizontalScroll(page), "audit log at 375 px");
    await tab.assertClean("phone");
    await tab.context.close();
  });

  await t.test("a viewer has no audit-log entry in the navigation", async () => {
    await createUser(server, VIEWER.email, VIEWER.password);
    const added = await adminCall(server, "POST", `/api/v1/admin/teams/${teamId}/members`, adminToken, { email: VIEWER.email, role: "viewer" });
    assert.ok(added.status === 201 || added.status === 200, `adding the viewer: ${added.status} ${added.text}`);
    const tab = await openPage(browser, server);
    const { page } = tab;
    await loginThroughForm(page, server, VIEWER.email, VIEWER.password);
    await selectTeam(page, teamId);
    await page.getByTestId("nav-media-servers").waitFor();
    assert.equal(await page.getByTestId("nav-audit-log").count(), 0, "no audit-log entry for a viewer");
    assert.equal(await page.getByTestId("nav-users").count(), 0, "no users entry for a non-admin");
    assert.equal(await page.getByTestId("nav-account").count(), 1, "everyone has the account page");
    await page.getByTestId("nav-media-servers").click();
    await page.getByTestId("media-servers").waitFor();
    assert.equal(await page.getByTestId("ms-add-toggle").count(), 0, "no add form for a viewer");

    // Everyone may change their own password; without the route the page says so.
    const probe = await adminCall(server, "POST", "/api/v1/auth/password", adminToken, {});
    const routeMissing = probe.status === 404 && String(probe.body?.message ?? "").startsWith("Cannot ");
    if (routeMissing) tab.allowFailed((f) => f.status === 404 && f.path === "/api/v1/auth/password");
    await page.getByTestId("nav-account").click();
    await page.getByTestId("password-current").fill(VIEWER.password);
    await page.getByTestId("password-new").fill("viewer password 2");
    await page.getByTestId("password-repeat").fill("viewer password 2");
    await page.getByTestId("password-submit").click();
    if (routeMissing) {
      const error = page.getByTestId("password-error");
      await error.waitFor({ timeout: 15000 });
      assert.match(await error.textContent(), /does not offer that yet/);
    } else {
      await page.getByTestId("password-notice").waitFor({ timeout: 15000 });
      await apiLogin(server, VIEWER.email, "viewer password 2");
    }
    await tab.assertClean("viewer");
    await tab.context.close();
  });

  await t.test("a system admin creates a user on the users page", async (st) => {
    const probe = await adminCall(server, "GET", "/api/v1/admin/users", adminToken);
    const tab = await openPage(browser, server);
    const { page } = tab;
    if (probe.status === 404) {
      // The route is not on this build: the page says so instead of breaking.
      tab.allowFailed((f) => f.status === 404 && f.path.startsWith("/api/v1/admin/"));
      await loginThroughForm(page, server, ADMIN.email, ADMIN.password);
      await page.getByTestId("nav-users").click();
      const error = page.getByTestId("users-error");
      await error.waitFor({ timeout: 15000 });
      assert.ok((await error.textContent()).trim().length > 0, "a readable error");
      await page.getByTestId("user-create-form").waitFor();
      await tab.assertClean("users page without its routes");
      await tab.context.close();
      st.skip("GET /api/v1/admin/users answers 404 on this build (the users routes are not merged yet); checked only that the page shows a readable error");
      return;
    }
    assert.equal(probe.status, 200, probe.text);
    await loginThroughForm(page, server, ADMIN.email, ADMIN.password);
    await page.getByTestId("nav-users").click();
    await page.getByTestId("user-create-form").waitFor({ timeout: 15000 });
    await page.getByTestId("user-email").fill("new.user@example.com");
    await page.getByTestId("user-password").fill("a fresh password");
    const [made] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/v1/admin/users"),
      page.getByTestId("user-create").click(),
    ]);
    assert.equal(made.status(), 201, await made.text());
    await page.locator("[data-testid=user-row][data-email='new.user@example.com']").waitFor({ timeout: 15000 });
    const login = await apiLogin(server, "new.user@example.com", "a fresh password");
    assert.equal(login.user.isAdmin, false);
    await tab.assertClean("users page");
    await tab.context.close();
  });
});
