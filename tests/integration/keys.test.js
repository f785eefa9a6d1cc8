// Push-token keys in the database: `lunarstream keys rotate` on a running
// server publishes the new key first, signs with it after --activate-after,
// and tokens signed with the old key keep publishing; `keys retire` stops them.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { startServer, api, cli, partnerProject } = require("./lib/server");
const { ffmpegPublish, waitFor } = require("./lib/media");

let server;
let project;

test.before(async () => {
  // Keys read again every second, so the test sees a rotation quickly.
  server = await startServer({ env: { LUNARSTREAM_KEYS_RELOAD_SECONDS: "1" } });
  project = await partnerProject(server, "keys");
});

test.after(async () => {
  assert.equal((await server.stop()).code, 0);
});

const kidOf = (jwt) => JSON.parse(Buffer.from(jwt.split(".")[0], "base64url").toString()).kid;
const jwksKids = async () => (await api(server, "GET", "/.well-known/jwks.json")).body.keys.map((k) => k.kid);
const statusOf = async (s) =>
  (await api(server, "GET", `/api/v1/livestreams/stream-info/${s.streamKey}`)).body.data.status;
async function keysList() {
  const r = await cli(["keys", "list", ...server.storeArgs, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test("the first start stores one active key; the JWKS publishes it", async () => {
  const keys = await keysList();
  assert.equal(keys.length, 1);
  assert.equal(keys[0].state, "active");
  assert.equal(keys[0].retiresAt, null);
  assert.deepEqual(await jwksKids(), [keys[0].kid]);
  const stream = await project.newStream("first");
  assert.equal(kidOf(stream.pushToken), keys[0].kid);
});

test("rotate: new tokens carry the new kid after activation, an old token still publishes", async () => {
  const [oldKey] = (await keysList()).filter((k) => k.state === "active");
  const oldStream = await project.newStream("signed before the rotation");
  assert.equal(kidOf(oldStream.pushToken), oldKey.kid);

  const rotated = await cli(["keys", "rotate", "--activate-after", "1", ...server.storeArgs]);
  assert.equal(rotated.code, 0, rotated.stderr);
  const keys = await keysList();
  const newKey = keys.find((k) => k.kid !== oldKey.kid);
  assert.ok(newKey, JSON.stringify(keys));
  const retiring = keys.find((k) => k.kid === oldKey.kid);
  // Retires 30 days (the longest token lifetime) after the new key activates.
  assert.equal(Date.parse(retiring.retiresAt) - Date.parse(newKey.activatesAt), 2592000 * 1000);

  await waitFor(async () => (await jwksKids()).includes(newKey.kid), { what: "the new key in the JWKS", timeoutMs: 10000 });
  const fresh = await waitFor(async () => {
    const r = await api(server, "POST", "/api/v1/livestream/generate-push-token",
      { key: project.key, body: { id: (await project.newStream("after")).id } });
    assert.equal(r.status, 201, r.text);
    return kidOf(r.body.data.pushToken) === newKey.kid ? r.body.data : null;
  }, { what: "a token signed with the new key", timeoutMs: 10000 });
  assert.equal(kidOf(fresh.pushToken), newKey.kid);
  assert.ok((await jwksKids()).includes(oldKey.kid), "the old key still verifies");

  const publisher = ffmpegPublish(`${oldStream.rtmpServer}/${oldStream.streamKeyWithParams}`, { seconds: 30 });
  try {
    await waitFor(async () => (await statusOf(oldStream)) === "STARTED", { what: "old-key publish STARTED", timeoutMs: 15000 });
  } finally {
    publisher.kill("SIGTERM");
    await publisher.done;
  }
  const newPublisher = ffmpegPublish(`${fresh.rtmpServer}/${fresh.streamKeyWithParams}`, { seconds: 30 });
  try {
    await waitFor(async () => (await statusOf(fresh)) === "STARTED", { what: "new-key publish STARTED", timeoutMs: 15000 });
  } finally {
    newPublisher.kill("SIGTERM");
    await newPublisher.done;
  }
});

test("retire: a retired key's tokens are refused and it leaves the JWKS", async () => {
  const active = (await keysList()).find((k) => k.state === "active");
  const stream = await project.newStream("retired key");
  assert.equal(kidOf(stream.pushToken), active.kid);
  const r = await cli(["keys", "retire", "--kid", active.kid, ...server.storeArgs]);
  assert.equal(r.code, 0, r.stderr);
  await waitFor(async () => !(await jwksKids()).includes(active.kid), { what: "the key out of the JWKS", timeoutMs: 10000 });
  assert.equal((await keysList()).find((k) => k.kid === active.kid).state, "retired");

  const publisher = ffmpegPublish(`${stream.rtmpServer}/${stream.streamKeyWithParams}`, { seconds: 10 });
  const exit = await publisher.done;
  assert.notEqual(exit.code, 0, "ffmpeg's publish is refused");
  assert.equal(await statusOf(stream), "READY_FOR_USE");
});

test("keys: bad input gets a clear error", async () => {
  const noKid = await cli(["keys", "retire", ...server.storeArgs]);
  assert.equal(noKid.code, 2);
  assert.match(noKid.stderr, /--kid/);
  const unknown = await cli(["keys", "retire", "--kid", "nope", ...server.storeArgs]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /signing key/);
  const badDelay = await cli(["keys", "rotate", "--activate-after", "soon", ...server.storeArgs]);
  assert.equal(badDelay.code, 2);
  assert.match(badDelay.stderr, /--activate-after/);
});

test("upgrade: the data dir's key file is imported, so tokens it signed stay valid", async () => {
  const crypto = require("node:crypto");
  const pem = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" });
  const jwk = crypto.createPublicKey(pem).export({ format: "jwk" });
  const thumbprint = crypto.createHash("sha256").update(`{"e":"${jwk.e}","kty":"RSA","n":"${jwk.n}"}`).digest("base64url");
  const upgraded = await startServer({ legacyKeyPem: pem });
  try {
    assert.deepEqual((await api(upgraded, "GET", "/.well-known/jwks.json")).body.keys.map((k) => k.kid), [thumbprint]);
    const p = await partnerProject(upgraded, "upgraded");
    assert.equal(kidOf((await p.newStream("upgraded")).pushToken), thumbprint);
  } finally {
    assert.equal((await upgraded.stop()).code, 0);
  }
});
