// Helpers for the browser end-to-end tests of the dashboard: users made with
// the real CLI, logins through the real API, and a Chromium page that records
// every console error, page error and CSP violation so a test can assert
// there were none.
"use strict";
const assert = require("node:assert/strict");
const { cli, api } = require("./server");

// A dashboard user made with `lunarstream user create --password-stdin`.
async function createUser(server, email, password, { admin = false } = {}) {
  const { spawn } = require("node:child_process");
  const { BIN } = require("./server");
  const args = ["user", "create", "--email", email, "--password-stdin", ...(admin ? ["--admin"] : []), "--json", ...server.storeArgs];
  const proc = spawn(BIN, args, { stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  proc.stdout.on("data", (c) => { stdout += c; });
  proc.stderr.on("data", (c) => { stderr += c; });
  const timer = setTimeout(() => proc.kill("SIGKILL"), 20000);
  proc.stdin.end(password + "\n");
  const code = await new Promise((resolve) => proc.on("exit", resolve));
  clearTimeout(timer);
  assert.equal(code, 0, `user create ${email} failed: ${stderr}`);
  return JSON.parse(stdout);
}

// POST /api/v1/auth/login from node; the login answer's data.
async function apiLogin(server, email, password) {
  const r = await api(server, "POST", "/api/v1/auth/login", { body: { email, password } });
  assert.equal(r.status, 200, `login ${email}: ${r.text}`);
  return r.body.data;
}

// An admin API call with a Bearer access token; resolves {status, body, text}.
function adminCall(server, method, p, token, body) {
  return api(server, method, p, { body, headers: { authorization: `Bearer ${token}` } });
}

// The admin routes a browser flow needs that answer "Cannot <METHOD> <path>"
// (the router's 404 for a route that does not exist): empty when all exist.
async function missingRoutes(server, token, routes) {
  const missing = [];
  for (const [method, p, body] of routes) {
    const r = await adminCall(server, method, p, token, body);
    const message = String(r.body?.message ?? "");
    if (r.status === 404 && message.startsWith("Cannot ")) missing.push(`${method} ${p}`);
  }
  return missing;
}

// A page in a new context of `browser` that records problems. `allowFailed`
// (a predicate on {status, path}) names the failed fetches a flow means to
// make; Chromium logs each non-2xx answer as a console error ("Failed to
// load resource: the server responded with a status of 401 ..."), whose URL
// and status are matched against it.
async function openPage(browser, server, { viewport = { width: 1280, height: 800 } } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  const state = { allowFailed: () => false };
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const url = m.location()?.url ?? "";
    const failed = m.text().match(/^Failed to load resource: the server responded with a status of (\d+)/);
    if (failed && url && state.allowFailed({ status: Number(failed[1]), path: new URL(url).pathname })) return;
    problems.push(`console: ${m.text()} (${url})`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return {
    context,
    page,
    allowFailed(fn) { state.allowFailed = fn; },
    // No CSP violation and no console or page error so far.
    async assertClean(what) {
      assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], `${what}: no CSP violation`);
      assert.deepEqual(problems, [], `${what}: no console error`);
    },
  };
}

// Logs in through the form on `start` (a dashboard path); resolves the login
// answer's data (with tokens).
async function loginThroughForm(page, server, email, password, start = "/dashboard/") {
  await page.goto(server.url(start));
  await page.getByTestId("login-form").waitFor({ timeout: 15000 });
  await page.getByTestId("login-email").fill(email);
  await page.getByTestId("login-password").fill(password);
  const [answer] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === "/api/v1/auth/login", { timeout: 15000 }),
    page.getByTestId("login-submit").click(),
  ]);
  assert.equal(answer.status(), 200, `login of ${email} through the form`);
  await page.getByTestId("current-user").waitFor({ timeout: 15000 });
  return (await answer.json()).data;
}

// Whether the page scrolls sideways at its viewport width.
function noHorizontalScroll(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

module.exports = { createUser, apiLogin, adminCall, missingRoutes, openPage, loginThroughForm, noHorizontalScroll };
