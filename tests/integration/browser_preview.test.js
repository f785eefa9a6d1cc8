// The preview page in real headless Chromium (Debian's chromium driven by
// playwright-core): it waits for the stream, starts playing when it goes
// live without a reload, and falls over to the next HLS source.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { startServer, api, cli } = require("./lib/server");
const { launchChromium } = require("./lib/browser");
const { ffmpegPublish, waitFor } = require("./lib/media");

test("the preview page plays the stream with hls.js and fails over to the next source", async (t) => {
  // A CDN that is unreachable (nothing listens on loopback port 9), used below
  // to check that the page falls over to the next source.
  const server = await startServer({ args: ["--cdn", "broken=http://127.0.0.1:9"] });
  t.after(() => server.stop());
  const p = JSON.parse((await cli(["project", "create", "--name", "browser", "--data-dir", server.dataDir, "--json"])).stdout);
  const mediaServerId = (await api(server, "GET", "/api/v1/media-servers/available", { key: p.apiKey })).body.data[0].id;
  const created = await api(server, "POST", "/api/v1/livestream", { key: p.apiKey, body: { name: "browser", projectId: p.projectId, mediaServerId } });
  const stream = created.body.data;

  const browser = await launchChromium();
  t.after(() => browser.close());
  const page = await browser.newPage();
  const logs = [];
  page.on("console", (m) => logs.push(m.text()));
  await page.goto(stream.previewPlayback);
  // Not live yet: the page shows the status and waits.
  await page.waitForFunction(() => document.body.dataset.status === "READY_FOR_USE", null, { timeout: 10000 });

  const publisher = ffmpegPublish(`${stream.rtmpServer}/${stream.streamKeyWithParams}`, { seconds: 25 });
  t.after(() => publisher.kill("SIGKILL"));
  // It starts playing by itself once live, and keeps playing past 4 s.
  await page.waitForFunction(() => document.querySelector("video").currentTime > 4, null, { timeout: 40000 })
    .catch((e) => { throw new Error(e.message + "\n" + logs.join("\n")); });
  assert.equal(await page.evaluate(() => document.body.dataset.source), "origin");

  // Failover: a page whose sources list a dead CDN first moves on to a working one.
  await page.evaluate(() => {
    // Reorder as if the dead CDN were the first source.
    sources = [sources.find((s) => s.name === "broken"), sources.find((s) => s.name === "origin")];
    play(0);
  });
  await page.waitForFunction(() => document.body.dataset.source === "origin", null, { timeout: 30000 });
  await page.waitForFunction(() => { const v = document.querySelector("video"); return v.currentTime > 1 && !v.paused; }, null, { timeout: 30000 });
  await page.screenshot({ path: require("node:path").join(server.dataDir, "preview.png") });
});
