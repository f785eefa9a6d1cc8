// The preview page in real headless Chromium (Debian's chromium driven by
// playwright-core): it waits for the stream, starts playing when it goes
// live without a reload, falls over to the next HLS source, and backs off
// instead of hammering when every source is down.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { startServer, api, cli } = require("./lib/server");
const { launchChromium } = require("./lib/browser");
const { ffmpegPublish, waitFor } = require("./lib/media");
const { deadPort, countingProxy } = require("./lib/net");

// A project and a livestream on the server's embedded media server.
async function newStream(server, name) {
  const p = JSON.parse((await cli(["project", "create", "--name", name, "--data-dir", server.dataDir, "--json"])).stdout);
  const mediaServerId = (await api(server, "GET", "/api/v1/media-servers/available", { key: p.apiKey })).body.data[0].id;
  const created = await api(server, "POST", "/api/v1/livestream", { key: p.apiKey, body: { name, projectId: p.projectId, mediaServerId } });
  assert.equal(created.status, 201);
  return created.body.data;
}

// A page on the preview player that records every text its playback status
// line shows (a MutationObserver installed before the page's own script runs)
// and its console, for failure messages.
async function openPreview(browser, stream) {
  const page = await browser.newPage();
  const logs = [];
  page.on("console", (m) => logs.push(m.text()));
  await page.addInitScript(() => {
    window.__stateTexts = [];
    document.addEventListener("DOMContentLoaded", () => {
      const el = document.getElementById("state");
      const record = () => { if (window.__stateTexts.at(-1) !== el.textContent) window.__stateTexts.push(el.textContent); };
      record();
      new MutationObserver(record).observe(el, { childList: true, characterData: true, subtree: true });
    });
  });
  await page.goto(stream.previewPlayback);
  page.stateTexts = () => page.evaluate(() => window.__stateTexts);
  page.logs = logs;
  return page;
}

const playback = (page) => page.evaluate(() => ({
  state: document.body.dataset.playback,
  source: document.body.dataset.source,
  text: document.getElementById("state").textContent,
  time: document.querySelector("video").currentTime,
}));

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

// Two dead sources: the origin is a counting proxy whose upstream is a dead
// port, and the CDN is a dead port itself (connection refused), counted from
// Chromium's network events. The proxy either answers 502, as a CDN edge whose
// origin is down (hls.js may retry those itself), or resets the connection, so
// that every failure is instant: the case that made the old page loop.
for (const onUpstreamError of ["502", "reset"]) {
  test(`with every HLS source down (origin ${onUpstreamError}) the page retries with backoff instead of a storm, and says so`, async (t) => {
    const originProxy = await countingProxy({ target: `http://127.0.0.1:${await deadPort()}`, onUpstreamError });
    t.after(() => originProxy.kill());
    const dead = await deadPort();
    const server = await startServer({ args: ["--public-hls-url", originProxy.url, "--cdn", `dead=http://127.0.0.1:${dead}`] });
    t.after(() => server.stop());
    const stream = await newStream(server, "all dead");
    assert.deepEqual(stream.hlsSources.map((s) => s.name), ["origin", "dead"]);

    // The stream is live on the server; only its HLS sources are unreachable.
    const publisher = ffmpegPublish(`${stream.rtmpServer}/${stream.streamKeyWithParams}`, { seconds: 90 });
    t.after(() => publisher.kill("SIGKILL"));
    await waitFor(async () => (await api(server, "GET", `/api/v1/livestreams/stream-info/${stream.streamKey}`)).body.data.status === "STARTED",
      { what: "STARTED", timeoutMs: 15000 });

    const browser = await launchChromium();
    t.after(() => browser.close());
    const hlsRequests = [];
    const context = await browser.newContext();
    context.on("request", (r) => { if (new URL(r.url()).pathname.startsWith("/hls/")) hlsRequests.push(r.url()); });
    const page = await openPreview(context, stream);
    const fail = (e) => { throw new Error(`${e.message}\n${page.logs.join("\n")}`); };

    // A 20 s window from the page's load: the page makes a few rounds over both
    // sources, each after a longer pause. The page before the backoff moved on
    // at once and made hundreds (reset) to thousands of requests in such a window.
    await new Promise((resolve) => setTimeout(resolve, 20000));
    const inWindow = hlsRequests.length;
    const toOrigin = hlsRequests.filter((u) => u.startsWith(originProxy.url)).length;
    const toDead = hlsRequests.filter((u) => u.startsWith(`http://127.0.0.1:${dead}/`)).length;
    const summary = `${inWindow} HLS requests in 20 s (origin ${toOrigin}, proxy saw ${originProxy.count}; dead ${toDead})`;
    t.diagnostic(summary);
    assert.ok(inWindow <= 15, summary);
    assert.ok(toOrigin >= 2 && toDead >= 2, "the page kept retrying both sources: " + summary);
    assert.ok(originProxy.count >= 2 && originProxy.count <= toOrigin, summary);

    // Between rounds the status says when the next one starts.
    const retrying = /^All sources unavailable — retrying in \d+ s$/;
    await page.waitForFunction(() => document.body.dataset.playback === "retrying", null, { timeout: 40000 }).catch(fail);
    assert.match((await playback(page)).text, retrying);
    const texts = await page.stateTexts();
    assert.ok(texts.includes("Source origin failed, trying dead"), JSON.stringify(texts));
    assert.ok(texts.some((s) => retrying.test(s)), JSON.stringify(texts));
    assert.ok(!texts.some((s) => s.startsWith("Playing")), JSON.stringify(texts));
  });
}
