// The preview page in real headless Chromium (Debian's chromium driven by
// playwright-core): it waits for the stream, starts playing when it goes
// live without a reload, falls over to the next HLS source when one dies, and
// backs off instead of hammering when every source is down.
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

// Waits until the page plays from `source` past `minTime` and returns what it
// showed at that moment (one snapshot: under load it may show "Buffering" a
// moment later).
async function waitForPlaying(page, source, minTime, timeout) {
  const handle = await page.waitForFunction(([name, t0]) => {
    const v = document.querySelector("video");
    const b = document.body.dataset;
    if (b.source !== name || b.playback !== "playing" || v.paused || v.currentTime <= t0) return null;
    return { state: b.playback, source: b.source, text: document.getElementById("state").textContent, time: v.currentTime };
  }, [source, minTime], { timeout });
  return handle.jsonValue();
}

test("the preview page plays, survives its source dying by moving to the next one, and says when the stream ended", async (t) => {
  // Sources in order: origin through a proxy the test kills mid-playback; a CDN
  // on a dead port; a CDN through a second proxy that stays up. The backup gets
  // its upstream only once the origin plays (until then it answers 502): at
  // go-live the origin can answer 404 for a moment, and the page must not
  // settle on the backup then.
  const originProxy = await countingProxy();
  t.after(() => originProxy.kill());
  const backupProxy = await countingProxy();
  t.after(() => backupProxy.kill());
  const dead = await deadPort();
  // The page's own failover across hlsSources, so without content steering
  // (steered masters would move hls.js between pathways on their own:
  // browser_steering.test.js).
  const server = await startServer({ args: ["--public-hls-url", originProxy.url,
    "--cdn", `dead=http://127.0.0.1:${dead}`, "--cdn", `backup=${backupProxy.url}`],
  env: { LUNARSTREAM_STEERING_ENABLED: "false" } });
  t.after(() => server.stop());
  originProxy.setTarget(server.api);
  const stream = await newStream(server, "failover");
  assert.deepEqual(stream.hlsSources.map((s) => s.name), ["origin", "dead", "backup"]);

  const browser = await launchChromium();
  t.after(() => browser.close());
  const page = await openPreview(browser, stream);
  const fail = (e) => { throw new Error(`${e.message}\n${page.logs.join("\n")}`); };
  // Not live yet: the page shows the status and waits.
  await page.waitForFunction(() => document.body.dataset.status === "READY_FOR_USE", null, { timeout: 10000 });
  assert.equal((await playback(page)).state, "waiting");

  const publisher = ffmpegPublish(`${stream.rtmpServer}/${stream.streamKeyWithParams}`, { seconds: 90 });
  t.after(() => publisher.kill("SIGKILL"));
  // It starts playing by itself once live, from the origin, and keeps playing past 4 s.
  let now = await waitForPlaying(page, "origin", 4, 60000).catch(fail);
  assert.equal(now.text, "Playing from origin");
  assert.ok(originProxy.count > 0, "the origin's HLS went through its proxy");
  // The server offers LL-HLS, so the page plays the low-latency master.
  assert.equal(await page.evaluate(() => document.body.dataset.latency), "low");
  assert.ok(await page.evaluate(() => performance.getEntriesByType("resource").some((e) => /\/ll\.m3u8/.test(e.name))),
    "the page loaded an LL playlist");
  backupProxy.setTarget(server.api);
  const backupBefore = backupProxy.count;
  const textsBefore = (await page.stateTexts()).length;

  // The origin dies mid-playback: the page tries the dead CDN, then plays from the backup.
  await originProxy.kill();
  const resumed = await waitForPlaying(page, "backup", 0, 60000).catch(fail);
  now = await waitForPlaying(page, "backup", resumed.time + 3, 30000).catch(fail);
  assert.equal(now.text, "Playing from backup");
  assert.ok(backupProxy.count > backupBefore, "the backup CDN's proxy served the stream");
  const texts = (await page.stateTexts()).slice(textsBefore);
  t.diagnostic("status after the origin died: " + texts.join(" | "));
  assert.ok(texts.includes("Source origin failed, trying dead"), JSON.stringify(texts));
  assert.ok(texts.includes("Source dead failed, trying backup"), JSON.stringify(texts));
  assert.ok(!texts.some((s) => s.startsWith("All sources unavailable")), "the backup was found in the same round: " + JSON.stringify(texts));
  await page.screenshot({ path: require("node:path").join(server.dataDir, "preview.png") });

  // The publisher stops: the stream ends and the page says so.
  publisher.kill("SIGKILL");
  const killedAt = Date.now();
  await page.waitForFunction(() => document.body.dataset.playback === "ended", null, { timeout: 60000 }).catch(fail);
  t.diagnostic(`"Stream ended" shown ${Date.now() - killedAt} ms after the publisher was killed`);
  assert.equal((await playback(page)).text, "Stream ended");
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
    const server = await startServer({ args: ["--public-hls-url", originProxy.url, "--cdn", `dead=http://127.0.0.1:${dead}`],
      env: { LUNARSTREAM_STEERING_ENABLED: "false" } });
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
