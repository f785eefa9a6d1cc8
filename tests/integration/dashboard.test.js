// The dashboard in real headless Chromium: the page the binary serves renders
// its login form with no CSP violation and no console error (the strict
// policy holds for everything the bundle does), is usable at 375 px, and a
// login with wrong credentials shows a readable error: "Invalid email or
// password" once /api/v1/auth/login exists, the API's own message before.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { startServer } = require("./lib/server");
const { launchChromium } = require("./lib/browser");

test("the dashboard renders its login under the strict CSP and shows a readable error for a wrong login", async (t) => {
  const server = await startServer({ args: ["--cdn", "edge=https://cdn.example.test:8443"] });
  t.after(() => server.stop());

  // / sends the browser to the dashboard.
  const root = await fetch(server.url("/"), { redirect: "manual" });
  assert.equal(root.status, 302);
  assert.equal(root.headers.get("location"), "/dashboard/");

  const browser = await launchChromium();
  t.after(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
  const page = await context.newPage();
  const problems = [];
  const expectedFailures = new Set();
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    // Chromium logs every non-2xx fetch; the wrong login is meant to fail.
    const failedUrl = m.location()?.url ?? "";
    if (m.text().startsWith("Failed to load resource") && expectedFailures.has(new URL(failedUrl, server.api).pathname)) return;
    problems.push(`console: ${m.text()} (${failedUrl})`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });

  const response = await page.goto(server.url("/dashboard/"));
  assert.equal(response.status(), 200);
  const headers = response.headers();
  assert.equal(headers["cache-control"], "no-cache");
  assert.equal(headers["x-content-type-options"], "nosniff");
  assert.equal(headers["referrer-policy"], "no-referrer");
  const csp = headers["content-security-policy"];
  assert.match(csp, /^default-src 'none'; script-src 'self'; style-src 'self';/);
  assert.match(csp, /; connect-src 'self'; /, "the API only: the framed preview page fetches the HLS sources, under its own policy");
  assert.doesNotMatch(csp, /cdn\.example\.test/, "no media server or CDN origin");
  assert.match(csp, /; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'$/, "frames: the preview page only");
  assert.doesNotMatch(csp, /media-src|worker-src|blob:/, "no player in the dashboard itself");

  const form = page.getByTestId("login-form");
  await form.waitFor({ timeout: 15000 });
  assert.ok(await page.getByTestId("login-email").isVisible());
  assert.ok(await page.getByTestId("login-password").isVisible());
  // Nothing wider than a phone's screen.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375), "no horizontal scroll at 375 px");

  expectedFailures.add("/api/v1/auth/login");
  await page.getByTestId("login-email").fill("nobody@example.com");
  await page.getByTestId("login-password").fill("not-the-password");
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/login")),
    page.getByTestId("login-submit").click(),
  ]);
  const error = page.getByTestId("login-error");
  await error.waitFor({ timeout: 15000 });
  const text = (await error.textContent()).trim();
  t.diagnostic(`login answered ${answer.status()}; the page says: ${text}`);
  if (answer.status() === 401) {
    assert.equal(text, "Invalid email or password");
  } else {
    // Before the identity routes land the API answers 404 "Cannot POST ...".
    assert.equal(answer.status(), 404);
    assert.ok(text.length > 0 && !/object|undefined|NaN/.test(text), text);
  }
  // Still on the login form, and the access token is nowhere in storage.
  assert.ok(await form.isVisible());
  assert.deepEqual(await page.evaluate(() => [localStorage.length, sessionStorage.length]), [0, 0]);

  assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], "no CSP violation");
  assert.deepEqual(problems, [], "no console error");
});
