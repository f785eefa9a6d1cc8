// `lunarstream db copy`: an install moves off SQLite onto PostgreSQL and its
// API key and push tokens keep working there.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { spawnSync } = require("node:child_process");
const { BIN, cli, startServer, api, tempDir, partnerProject } = require("./lib/server");
const { startPostgres } = require("./lib/postgres");
const { ffmpegPublish, waitFor } = require("./lib/media");

let pg;

test.before(async () => { pg = await startPostgres(); });
test.after(async () => { if (pg) await pg.stop(); });

test("db copy: rows, API key and push token move to PostgreSQL", async () => {
  const dataDir = tempDir();
  const lite = await startServer({ dataDir });  // SQLite, whatever LUNARSTREAM_TEST_DATABASE says
  const project = await partnerProject(lite, "moving");
  const stream = await project.newStream("moved stream");
  await project.newStream("another");
  const user = spawnSync(BIN, ["user", "create", "--email", "admin@example.com", "--password-stdin", "--admin",
    "--data-dir", dataDir], { input: "moving password", timeout: 20000 });
  assert.equal(user.status, 0, String(user.stderr));
  const before = await api(lite, "POST", "/api/v1/auth/login", { body: { email: "admin@example.com", password: "moving password" } });
  assert.equal(before.status, 200, before.text);
  assert.equal((await lite.stop()).code, 0);

  const url = await pg.createDatabase();
  const copied = await cli(["db", "copy", "--from", dataDir, "--to", url]);
  assert.equal(copied.code, 0, copied.stderr);
  assert.match(copied.stdout, /projects: 2 copied, 2 in /);  // the default project and ours
  assert.match(copied.stdout, /livestreams: 2 copied, 2 in /);
  assert.match(copied.stdout, /signing_keys: 1 copied, 1 in /);
  assert.match(copied.stdout, /audit_log: ([1-9]\d*) copied, \1 in /);  // first start's and the CLI's changes
  assert.match(copied.stdout, /users: 1 copied, 1 in /);
  assert.ok(!copied.stdout.includes("@"), "the URL is printed without its user info");

  const again = await cli(["db", "copy", "--from", dataDir, "--to", url]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /not empty/);

  const onPg = await startServer({ database: url });
  try {
    // The user moved with their password; the session did not (everyone logs in again).
    const stale = await api(onPg, "POST", "/api/v1/auth/refresh", { body: { refreshToken: before.body.data.refreshToken } });
    assert.equal(stale.status, 401);
    const login = await api(onPg, "POST", "/api/v1/auth/login", { body: { email: "admin@example.com", password: "moving password" } });
    assert.equal(login.status, 200, login.text);
    const got = await api(onPg, "GET", `/api/v1/livestream/${stream.id}`, { key: project.key });
    assert.equal(got.status, 200, got.text);
    assert.equal(got.body.data.streamKey, stream.streamKey);
    const publisher = ffmpegPublish(`${got.body.data.rtmpServer}/${stream.streamKeyWithParams}`, { seconds: 30 });
    try {
      await waitFor(async () => (await api(onPg, "GET", `/api/v1/livestreams/stream-info/${stream.streamKey}`)).body.data.status === "STARTED",
        { what: "the old push token publishing on PostgreSQL", timeoutMs: 15000 });
    } finally {
      publisher.kill("SIGTERM");
      await publisher.done;
    }
  } finally {
    assert.equal((await onPg.stop()).code, 0);
  }
});

test("db copy: a data dir whose key is only in its key file has that key copied", async () => {
  const crypto = require("node:crypto");
  const { execFileSync } = require("node:child_process");
  const pem = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" });
  const jwk = crypto.createPublicKey(pem).export({ format: "jwk" });
  const thumbprint = crypto.createHash("sha256").update(`{"e":"${jwk.e}","kty":"RSA","n":"${jwk.n}"}`).digest("base64url");
  const dataDir = tempDir();
  const lite = await startServer({ dataDir, legacyKeyPem: pem });
  assert.equal((await lite.stop()).code, 0);
  // As an older version left it: no key rows, the key in keys/push-token-key.pem.
  execFileSync("sqlite3", [require("node:path").join(dataDir, "lunarstream.db"), "DELETE FROM signing_keys"]);

  const url = await pg.createDatabase();
  const copied = await cli(["db", "copy", "--from", dataDir, "--to", url]);
  assert.equal(copied.code, 0, copied.stderr);
  assert.match(copied.stdout, /signing_keys: 1 copied, 1 in /);
  const keys = await cli(["keys", "list", "--database", url, "--json"]);
  assert.equal(keys.code, 0, keys.stderr);
  assert.deepEqual(JSON.parse(keys.stdout).map((k) => [k.kid, k.state]), [[thumbprint, "active"]]);
});

test("db copy: bad input gets a clear error", async () => {
  const missing = await cli(["db", "copy", "--to", "postgres://x@127.0.0.1:1/db"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--from/);
  const notPg = await cli(["db", "copy", "--from", tempDir(), "--to", "mysql://x/db"]);
  assert.equal(notPg.code, 2);
  assert.match(notPg.stderr, /--to/);
  const noDb = await cli(["db", "copy", "--from", tempDir(), "--to", await pg.createDatabase()]);
  assert.equal(noDb.code, 2);
  assert.match(noDb.stderr, /lunarstream\.db does not exist/);
});
