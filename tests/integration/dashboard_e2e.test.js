// The dashboard end to end (issue #13 item 6): the real binary, the real
// dashboard it serves, headless Chromium, the real CLI and real ffmpeg.
// 1. An admin made with `user create --admin` logs in through the form,
//    creates a team and a project, regenerates the project's API key (the old
//    key then gets 401 from the partner API), creates a livestream, publishes
//    with the ffmpeg command the page shows (input swapped for a bounded lavfi
//    source, the RTMP URL exactly as shown), sees LIVE without a reload, the
//    preview (the server's preview page in a frame) plays, and the usage page shows the ingest once the meter flushed.
// 2. An expired access token is refreshed behind the user's back.
// 3. Replaying a rotated refresh token ends every session of that login.
// 4. A viewer sees no regenerate button and the API answers their POST 403.
// Plus a phone-sized (375x740) login, livestream list, preview and usage charts without horizontal
// scroll, and no CSP violation or console error anywhere.
// The whole file skips, saying which, only while a route it needs answers the
// router's 404 (before the admin routes are merged).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { spawn } = require("node:child_process");
const { startServer, api, tempDir } = require("./lib/server");
const { launchChromium } = require("./lib/browser");
const { waitFor } = require("./lib/media");
const { createUser, apiLogin, adminCall, missingRoutes, openPage, loginThroughForm, noHorizontalScroll } = require("./lib/dashboard");

const ADMIN = { email: "root@example.com", password: "correct horse battery" };
const VIEWER = { email: "viewer@example.com", password: "viewer password 1" };
const NO_ID = "00000000-0000-4000-8000-000000000000";
const PUBLISH_SECONDS = 20;

// The routes the flows below call; a missing one skips the file.
const ROUTES = [
  ["GET", "/api/v1/admin/teams"],
  ["GET", `/api/v1/admin/teams/${NO_ID}/members`],
  ["GET", `/api/v1/admin/projects?teamId=${NO_ID}`],
  ["POST", `/api/v1/admin/projects/${NO_ID}/api-key`],
  ["POST", `/api/v1/admin/projects/${NO_ID}/livestreams`, { name: "probe" }],
  ["GET", "/api/v1/admin/livestreams"],
  ["GET", `/api/v1/admin/livestreams/${NO_ID}`],
  ["GET", "/api/v1/admin/media-servers"],
];

// [from, to) of three whole UTC days around now, as the usage route takes it.
function usageRange() {
  const day = 86400000;
  const start = Math.floor(Date.now() / day) * day - day;
  return { from: new Date(start).toISOString(), to: new Date(start + 3 * day).toISOString() };
}

// The dashboard's ffmpeg command with its input swapped for a generated,
// bounded source; every output option and the RTMP URL kept as shown.
function publishWith(command) {
  const m = command.trim().match(/^ffmpeg (.*) '((?:[^']|'\\'')*)'$/s);
  assert.ok(m, `an ffmpeg command ending in a quoted URL: ${command}`);
  const url = m[2].replace(/'\\''/g, "'");
  const words = m[1].split(/\s+/);
  const input = words.indexOf("-i");
  assert.ok(input >= 0 && words[input + 1] === "input.mp4", command);
  words.splice(input, 2, "-f", "lavfi", "-i", "testsrc=size=640x360:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100");
  const format = words.lastIndexOf("-f");
  words.splice(format, 0, "-pix_fmt", "yuv420p", "-t", String(PUBLISH_SECONDS));
  const args = ["-hide_banner", "-loglevel", "error", ...words, url];
  const proc = spawn("ffmpeg", args, { stdio: ["ignore", "ignore", "pipe"] });
  proc.stderrText = "";
  proc.stderr.on("data", (c) => { proc.stderrText += c; });
  proc.done = new Promise((resolve) => proc.on("exit", (code, signal) => resolve({ code, signal })));
  return { proc, url };
}

test("the dashboard end to end in Chromium", { timeout: 240000 }, async (t) => {
  const server = await startServer({ env: { LUNARSTREAM_USAGE_FLUSH_INTERVAL_MS: "300" } });
  t.after(() => server.stop());
  await createUser(server, ADMIN.email, ADMIN.password, { admin: true });
  const adminToken = (await apiLogin(server, ADMIN.email, ADMIN.password)).accessToken;
  const missing = await missingRoutes(server, adminToken, ROUTES);
  if (missing.length > 0) {
    t.skip(`the admin routes are not on this build yet: ${missing.join(", ")} answer 404`);
    return;
  }

  const browser = await launchChromium();
  t.after(() => browser.close());
  const shared = {};

  await t.test("an admin runs a livestream from login to usage", async () => {
    const tab = await openPage(browser, server);
    const { page } = tab;
    await loginThroughForm(page, server, ADMIN.email, ADMIN.password);

    // A team of its own, made through the members page.
    await page.getByTestId("nav-members").click();
    const teamForm = page.getByTestId("team-create-form");
    await teamForm.locator("input").fill("E2E team");
    const [teamMade] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/v1/admin/teams"),
      teamForm.locator("button[type=submit]").click(),
    ]);
    assert.equal(teamMade.status(), 201);
    shared.teamId = (await teamMade.json()).data.id;
    await page.locator(`[data-testid=team-switcher] option[value="${shared.teamId}"]`).waitFor({ state: "attached", timeout: 15000 });
    await page.getByTestId("team-switcher").selectOption(shared.teamId);

    // A project; its key is shown once.
    await page.getByTestId("nav-projects").click();
    const projectForm = page.getByTestId("project-create-form");
    await projectForm.locator("input").fill("E2E project");
    const [projectMade] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/v1/admin/projects"),
      projectForm.locator("button[type=submit]").click(),
    ]);
    assert.equal(projectMade.status(), 201);
    const project = (await projectMade.json()).data;
    shared.projectId = project.id;
    const keyBox = page.getByTestId("api-key");
    await keyBox.waitFor({ timeout: 15000 });
    const firstKey = (await keyBox.textContent()).trim();
    assert.equal(firstKey, project.apiKey);

    // Regenerate: confirm first, then the new key replaces the old one.
    await page.getByTestId("regenerate-key").click();
    await page.getByTestId("regenerate-key-confirm").click();
    await page.waitForFunction((old) => {
      const el = document.querySelector("[data-testid=api-key]");
      return el && el.textContent.trim() !== old && el.textContent.trim().length > 0;
    }, firstKey, { timeout: 15000 });
    const newKey = (await keyBox.textContent()).trim();
    const oldAnswer = await api(server, "GET", "/api/v1/media-servers/available", { key: firstKey });
    assert.equal(oldAnswer.status, 401, "the replaced key is refused");
    const newAnswer = await api(server, "GET", "/api/v1/media-servers/available", { key: newKey });
    assert.equal(newAnswer.status, 200, "the new key works");

    // A livestream; its page shows the ffmpeg command once.
    await page.getByTestId("nav-livestreams").click();
    await page.getByTestId("livestream-name").fill("E2E stream");
    const [streamMade] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST" && /\/livestreams$/.test(new URL(r.url()).pathname)),
      page.getByTestId("livestream-create").click(),
    ]);
    assert.equal(streamMade.status(), 201);
    const stream = (await streamMade.json()).data;
    shared.livestreamId = stream.id;
    const commandBox = page.getByTestId("ffmpeg-command");
    await commandBox.waitFor({ timeout: 15000 });
    const { proc: ffmpeg, url } = publishWith(await commandBox.textContent());
    t.after(() => { if (ffmpeg.exitCode === null) ffmpeg.kill("SIGKILL"); });
    assert.equal(url, stream.rtmpUrl, "the page shows the livestream's RTMP URL");

    // LIVE without a reload (the page polls), then the preview plays.
    await page.locator("[data-testid=status-badge][data-status=STARTED]").waitFor({ timeout: 30000 });
    // The preview is the server's preview page in a sandboxed frame (scripts
    // only), playing with the hls.js the binary serves; the dashboard loads no
    // player of its own. (In the frame, headless Chromium never resolved
    // waitForFunction's default requestAnimationFrame polling: the waits poll.)
    const frameEl = page.getByTestId("preview-frame");
    await frameEl.waitFor({ timeout: 15000 });
    assert.equal(await frameEl.getAttribute("src"), `/api/v1/livestreams/preview-playback/${stream.streamKey}`);
    assert.equal(await frameEl.getAttribute("sandbox"), "allow-scripts");
    assert.ok(await frameEl.getAttribute("title"), "the frame has a title");
    const preview = await (await frameEl.elementHandle()).contentFrame();
    await preview.waitForFunction(() => {
      const v = document.getElementById("video");
      return v && v.currentTime > 0.5;
    }, null, { timeout: 30000, polling: 100 });
    const t0 = await preview.evaluate(() => document.getElementById("video").currentTime);
    await preview.waitForFunction((then) => document.getElementById("video").currentTime > then + 1, t0, { timeout: 20000, polling: 100 });
    assert.equal(await preview.evaluate(() => document.body.dataset.playback), "playing");
    assert.deepEqual(await preview.evaluate(() => window.__cspViolations), [], "no CSP violation in the preview frame");
    const players = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name).filter((n) => /hls/i.test(n)));
    assert.deepEqual(players, [], "the dashboard itself fetched no player");

    // The publish ends by itself (-t); once the meter flushed, the usage page shows the ingest.
    const ended = await Promise.race([ffmpeg.done, new Promise((r) => setTimeout(() => r(null), (PUBLISH_SECONDS + 30) * 1000).unref())]);
    assert.ok(ended, "ffmpeg ends after -t");
    assert.equal(ended.code, 0, ffmpeg.stderrText);
    const { from, to } = usageRange();
    const usagePath = `/api/v1/admin/projects/${shared.projectId}/usage?from=${from}&to=${to}&granularity=hour`;
    await waitFor(async () => {
      const r = await adminCall(server, "GET", usagePath, adminToken);
      return r.status === 200 && r.body.data.some((row) => row.ingestSeconds > 0);
    }, { timeoutMs: 30000, what: "the meter flushed the ingest" });
    // The chart library (uPlot) is a lazy chunk: not loaded before the usage page.
    const chunks = () => performance.getEntriesByType("resource").map((e) => e.name).filter((n) => n.includes("usage_chart"));
    assert.deepEqual(await page.evaluate(chunks), []);
    await page.getByTestId("nav-usage").click();
    await page.waitForFunction(() => Number(document.querySelector("[data-testid=usage-ingest]")?.dataset.seconds) > 0, null, { timeout: 15000 });
    await page.getByTestId("usage-chart").waitFor();
    // uPlot drew the ingest: a canvas of non-zero size with bars in the ingest colour
    // (#2f6fde), and its stylesheet came from the bundle (no inline style under the CSP).
    const drawn = await page.waitForFunction(() => {
      const canvas = document.querySelector("[data-testid=usage-chart] .uplot canvas");
      if (!canvas || canvas.width === 0 || canvas.height === 0) return null;
      const px = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      let ingest = 0;
      for (let i = 0; i < px.length; i += 4) {
        if (Math.abs(px[i] - 0x2f) < 8 && Math.abs(px[i + 1] - 0x6f) < 8 && Math.abs(px[i + 2] - 0xde) < 8) ingest++;
      }
      const over = document.querySelector("[data-testid=usage-chart] .u-over");
      return ingest > 0 ? { w: canvas.width, h: canvas.height, ingest, position: getComputedStyle(over).position } : null;
    }, null, { timeout: 15000 }).then((h) => h.jsonValue());
    assert.ok(drawn.w > 0 && drawn.h > 0 && drawn.ingest > 0, JSON.stringify(drawn));
    assert.equal(drawn.position, "absolute", "uPlot's stylesheet is applied");
    assert.equal((await page.evaluate(chunks)).filter((n) => n.endsWith(".js")).length, 1);

    await tab.assertClean("admin flow");
    await tab.context.close();
  });

  await t.test("a phone-sized login, livestream list and usage charts have no horizontal scroll", async () => {
    assert.ok(shared.livestreamId, "the admin flow made a livestream");
    const tab = await openPage(browser, server, { viewport: { width: 375, height: 740 } });
    const { page } = tab;
    await page.goto(server.url("/dashboard/"));
    await page.getByTestId("login-form").waitFor({ timeout: 15000 });
    assert.ok(await noHorizontalScroll(page), "login at 375 px");
    await loginThroughForm(page, server, ADMIN.email, ADMIN.password);
    await page.locator(`[data-testid=team-switcher] option[value="${shared.teamId}"]`).waitFor({ state: "attached", timeout: 15000 });
    await page.getByTestId("team-switcher").selectOption(shared.teamId);
    await page.locator(`[data-testid=livestream-row][data-id="${shared.livestreamId}"]`).waitFor({ timeout: 15000 });
    assert.ok(await noHorizontalScroll(page), "livestream list at 375 px");
    // The preview frame fits the phone: no horizontal scroll, and the whole
    // video shows inside the frame.
    await page.locator(`[data-testid=livestream-row][data-id="${shared.livestreamId}"] a`).first().click();
    const frameEl = page.getByTestId("preview-frame");
    await frameEl.waitFor({ timeout: 15000 });
    const preview = await (await frameEl.elementHandle()).contentFrame();
    await preview.waitForFunction(() => document.body.dataset.playback !== undefined, null, { timeout: 15000, polling: 100 });
    assert.ok(await noHorizontalScroll(page), "livestream preview at 375 px");
    const box = await frameEl.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 375, `the frame fits the width: ${JSON.stringify(box)}`);
    const fit = await preview.evaluate(() => ({ video: document.getElementById("video").getBoundingClientRect().bottom, height: innerHeight }));
    assert.ok(fit.video <= fit.height, `the video shows whole in the frame: ${JSON.stringify(fit)}`);
    await page.goBack();
    await page.locator("button.menu-toggle").click(); // the nav is a menu at this width
    await page.getByTestId("nav-usage").click();
    await page.locator("[data-testid=usage-chart] .uplot canvas").first().waitFor({ timeout: 15000 });
    assert.ok(await noHorizontalScroll(page), "usage charts at 375 px");
    await tab.assertClean("phone");
    await tab.context.close();
  });

  await t.test("a viewer cannot regenerate a key", async () => {
    assert.ok(shared.projectId, "the admin flow made a project");
    await createUser(server, VIEWER.email, VIEWER.password);
    const added = await adminCall(server, "POST", `/api/v1/admin/teams/${shared.teamId}/members`, adminToken,
      { email: VIEWER.email, role: "viewer" });
    assert.ok(added.status === 201 || added.status === 200, `adding the viewer: ${added.status} ${added.text}`);

    const tab = await openPage(browser, server);
    const { page } = tab;
    await loginThroughForm(page, server, VIEWER.email, VIEWER.password);
    await page.locator(`[data-testid=team-switcher] option[value="${shared.teamId}"]`).waitFor({ state: "attached", timeout: 15000 });
    await page.getByTestId("team-switcher").selectOption(shared.teamId);
    await page.getByTestId("nav-projects").click();
    await page.locator("section.card h2", { hasText: "E2E project" }).waitFor({ timeout: 15000 });
    assert.equal(await page.getByTestId("regenerate-key").count(), 0, "no regenerate button for a viewer");
    assert.equal(await page.getByTestId("project-create-form").count(), 0, "no project form for a viewer");

    const viewerToken = (await apiLogin(server, VIEWER.email, VIEWER.password)).accessToken;
    const refused = await adminCall(server, "POST", `/api/v1/admin/projects/${shared.projectId}/api-key`, viewerToken);
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.body.error, "Forbidden");
    await tab.assertClean("viewer");
    await tab.context.close();
  });

  await t.test("replaying a rotated refresh token ends the session", async () => {
    const tab = await openPage(browser, server);
    const { page, context } = tab;
    // The session's end shows as 401s on the auth and admin routes: meant.
    tab.allowFailed((f) => f.status === 401 && f.path.startsWith("/api/v1/"));
    await loginThroughForm(page, server, ADMIN.email, ADMIN.password);
    const refreshCookie = async () => (await context.cookies(server.url("/api/v1/auth/refresh"))).find((c) => c.name === "ls_refresh")?.value;
    const old = await refreshCookie();
    assert.ok(old, "the login set the refresh cookie");

    // A reload restores the session, rotating the refresh token.
    const [rotated] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === "/api/v1/auth/refresh", { timeout: 15000 }),
      page.reload(),
    ]);
    assert.equal(rotated.status(), 200);
    await page.getByTestId("current-user").waitFor({ timeout: 15000 });
    assert.notEqual(await refreshCookie(), old, "the cookie holds the new refresh token");

    const replay = await api(server, "POST", "/api/v1/auth/refresh", { body: { refreshToken: old } });
    assert.equal(replay.status, 401, replay.text);

    // The page's next call: its access token's family is revoked, the refresh fails too.
    const notice = page.getByTestId("login-notice");
    await notice.waitFor({ timeout: 20000 });
    assert.equal((await notice.textContent()).trim(), "Your session has ended");
    assert.ok(await page.getByTestId("login-form").isVisible());
    await tab.assertClean("refresh replay");
    await context.close();
  });
});

test("an expired access token is refreshed without the user noticing", { timeout: 120000 }, async (t) => {
  const dir = tempDir();
  const conf = path.join(dir, "short-access.conf");
  fs.writeFileSync(conf, "auth.access_ttl_seconds = 5\nusage.flush_interval_ms = 300\n");
  let server;
  try {
    server = await startServer({ args: ["--config", conf] });
  } catch (e) {
    if (/auth\.access_ttl_seconds/.test(e.message)) {
      t.skip("this build has no auth.access_ttl_seconds setting; the 900 s access token cannot expire within a test");
      return;
    }
    throw e;
  }
  t.after(() => server.stop());
  await createUser(server, ADMIN.email, ADMIN.password, { admin: true });
  const probeToken = (await apiLogin(server, ADMIN.email, ADMIN.password)).accessToken;
  // Projects only: the page never opens the livestreams page here.
  const missing = await missingRoutes(server, probeToken, [
    ["GET", "/api/v1/admin/teams"],
    ["GET", `/api/v1/admin/projects?teamId=${NO_ID}`],
    ["POST", "/api/v1/admin/projects", {}],
  ]);
  if (missing.length > 0) {
    t.skip(`the admin routes are not on this build yet: ${missing.join(", ")} answer 404`);
    return;
  }
  const team = await adminCall(server, "POST", "/api/v1/admin/teams", probeToken, { name: "Expiry team" });
  assert.equal(team.status, 201, team.text);

  const browser = await launchChromium();
  t.after(() => browser.close());
  const tab = await openPage(browser, server);
  const { page } = tab;
  // The expired token's 401 is meant: the page refreshes and retries.
  tab.allowFailed((f) => f.status === 401 && f.path.startsWith("/api/v1/admin/"));
  await page.addInitScript(() => {
    // Counts every time the login form enters the page.
    window.__loginForms = 0;
    new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.addedNodes) {
          if (n.nodeType === 1 && (n.matches("[data-testid=login-form]") || n.querySelector("[data-testid=login-form]"))) window.__loginForms++;
        }
      }
    }).observe(document, { childList: true, subtree: true });
  });
  // The projects page does not poll: nothing refreshes before the action below.
  const login = await loginThroughForm(page, server, ADMIN.email, ADMIN.password, "/dashboard/projects");
  assert.equal(await page.evaluate(() => window.__loginForms), 1, "the login form showed once, to log in");
  await page.getByTestId("project-create-form").waitFor({ timeout: 15000 });
  const refreshes = [];
  page.on("response", (r) => {
    if (new URL(r.url()).pathname === "/api/v1/auth/refresh") refreshes.push(r.status());
  });

  // Wait (polling the API, bounded) until the page's access token is refused.
  await waitFor(async () => (await adminCall(server, "GET", "/api/v1/auth/me", login.accessToken)).status === 401,
    { timeoutMs: 60000, intervalMs: 500, what: "the access token expired" });

  // Act: create a project. The first POST gets 401, the page refreshes and retries.
  await page.getByTestId("project-create-form").locator("input").fill("After expiry");
  await page.getByTestId("project-create-form").locator("button[type=submit]").click();
  await page.locator("section.card h2", { hasText: "After expiry" }).waitFor({ timeout: 15000 });
  assert.ok(refreshes.length >= 1 && refreshes.every((s) => s === 200), `refreshes: ${refreshes}`);
  assert.equal(await page.getByTestId("login-form").count(), 0);
  assert.equal(await page.evaluate(() => window.__loginForms), 1, "the login form never came back");
  await tab.assertClean("expired access token");
});
