// Debian's Chromium, headless, driven by playwright-core (installed by
// scripts/build.sh with npm ci in web/). Shared by the tests that play HLS in
// a real browser.
"use strict";
const assert = require("node:assert/strict");

let chromium;
try {
  ({ chromium } = require("playwright-core"));
} catch {
  chromium = null;
}

const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"];

// A new headless browser; fails the test when playwright-core is missing.
async function launchChromium() {
  assert.ok(chromium, "playwright-core is installed by scripts/build.sh (npm ci in web/)");
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

module.exports = { launchChromium };
