// The partner flow exactly as a partner backend runs it: a project from the
// CLI, curl with the ls-api-key header, then the public stream info.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");
const { cli, startServer } = require("./lib/server");

test("partner flow with the CLI and curl", async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const created = await cli(["project", "create", "--name", "Partner", ...server.storeArgs, "--json"]);
  assert.equal(created.code, 0, created.stderr);
  const { teamId, projectId, apiKey } = JSON.parse(created.stdout);
  assert.match(apiKey, /^ls_proj_v1_[A-Za-z0-9_-]{43}$/);
  assert.ok(teamId && projectId);

  const list = await cli(["media-server", "list", ...server.storeArgs, "--json"]);
  const mediaServerId = JSON.parse(list.stdout).find((s) => s.type === "EMBEDDED").id;

  const curl = (...args) => JSON.parse(execFileSync("curl", ["-sS", ...args], { encoding: "utf8" }));
  const made = curl("-X", "POST", `${server.api}/api/v1/livestream`, "-H", `ls-api-key: ${apiKey}`,
    "-H", "Content-Type: application/json", "-d", JSON.stringify({ name: "Partner show", projectId, mediaServerId }));
  const hlsUrl = made.data.hlsSources[0].url;
  const rtmpServer = made.data.rmtpServer;
  const streamKeyWithParams = made.data.streamKeyWithParams;
  assert.equal(hlsUrl, `${server.api}/hls/${made.data.streamKey}/master.m3u8`);
  assert.equal(rtmpServer, server.rtmp);
  assert.match(streamKeyWithParams, /^[0-9a-f]{32}\?pushToken=[\w-]+\.[\w-]+\.[\w-]+$/);

  const infoText = execFileSync("curl", ["-sS", `${server.api}/api/v1/livestreams/stream-info/${made.data.streamKey}`], { encoding: "utf8" });
  const info = JSON.parse(infoText);
  assert.equal(info.data.status, "READY_FOR_USE");
  assert.equal(info.data.hlsSources[0].url, hlsUrl);
  const token = streamKeyWithParams.split("pushToken=")[1];
  assert.ok(!infoText.includes(token), "the public stream info contains no push token");
  assert.ok(!infoText.includes(apiKey), "nor the API key");
});
