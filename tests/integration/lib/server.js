// Starts the real lunarstream binary on loopback with port 0 and a fresh
// temporary data dir, and stops it with SIGTERM. Used by every integration
// test; nothing here mocks the server.
"use strict";
const { spawn, execFile } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { promisify } = require("node:util");
const { checkResponse } = require("./openapi");

const BIN = process.env.LUNARSTREAM_BIN || path.resolve(__dirname, "../../../build/src/app/lunarstream");
const execFileP = promisify(execFile);

function tempDir(prefix = "ls-it-") {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// Runs a lunarstream CLI command; resolves {code, stdout, stderr}.
async function cli(args, options = {}) {
  try {
    const { stdout, stderr } = await execFileP(BIN, args, { timeout: 20000, ...options });
    return { code: 0, stdout, stderr };
  } catch (e) {
    if (typeof e.code !== "number") throw e;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

class Server {
  constructor(proc, dataDir, databaseUrl) {
    this.proc = proc;
    this.dataDir = dataDir;
    this.databaseUrl = databaseUrl;
    // What a CLI command needs to open this server's store.
    this.storeArgs = databaseUrl ? ["--database", databaseUrl] : ["--data-dir", dataDir];
    this.stdout = "";
    this.stderr = "";
    this.exited = new Promise((resolve) => proc.on("exit", (code, signal) => resolve({ code, signal })));
  }

  // The API key printed on first start.
  get firstApiKey() {
    const m = this.stdout.match(/\b(ls_proj_v1_[A-Za-z0-9_-]{43})\b/);
    return m ? m[1] : null;
  }

  url(p) {
    return this.api + p;
  }

  async stop() {
    if (this.proc.exitCode !== null) return this.exited;
    this.proc.kill("SIGTERM");
    const timer = setTimeout(() => this.proc.kill("SIGKILL"), 10000);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }
}

// With LUNARSTREAM_TEST_DATABASE=postgres, every server of a test file that
// names no database gets a fresh database on one throwaway PostgreSQL per
// file (lib/postgres.js), stopped when the file's process exits.
let sharedPostgres = null;
async function testDatabase() {
  if (process.env.LUNARSTREAM_TEST_DATABASE !== "postgres") return null;
  if (!sharedPostgres) {
    const { startPostgres } = require("./postgres");
    sharedPostgres = startPostgres();
    const started = await sharedPostgres;
    process.on("exit", () => started.stopSync());
  }
  return (await sharedPostgres).createDatabase();
}

// Starts a server; options.env adds environment, options.args adds flags,
// options.dataDir reuses a data dir (restart tests), options.database names a
// PostgreSQL URL, options.wrapper runs the binary under a command that execs
// it, keeping the PID (e.g. ["prlimit", "--nofile=64"]), options.legacyKeyPem
// is written where versions before the keys moved into the database kept the
// push-token key (keys/push-token-key.pem), which a first start imports.
async function startServer(options = {}) {
  const dataDir = options.dataDir || tempDir();
  if (options.legacyKeyPem) {
    fs.mkdirSync(path.join(dataDir, "keys"), { mode: 0o700, recursive: true });
    fs.writeFileSync(path.join(dataDir, "keys", "push-token-key.pem"), options.legacyKeyPem, { mode: 0o600 });
  }
  const databaseUrl = options.database || (options.dataDir ? null : await testDatabase());
  const args = ["serve", "--data-dir", dataDir, "--http", "127.0.0.1:0", "--rtmp", "127.0.0.1:0",
                "--log-level", options.logLevel || "warn", ...(databaseUrl ? ["--database", databaseUrl] : []),
                ...(options.args || [])];
  const [command, ...commandArgs] = [...(options.wrapper || []), BIN, ...args];
  const proc = spawn(command, commandArgs, { env: { ...process.env, ...(options.env || {}) }, stdio: ["ignore", "pipe", "pipe"] });
  const server = new Server(proc, dataDir, databaseUrl);
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("server did not become ready:\n" + server.stdout + server.stderr)), 20000);
    proc.stdout.on("data", (chunk) => {
      server.stdout += chunk;
      const m = server.stdout.match(/LunarStream ready: api=(\S+) rtmp=(\S+) http_port=(\d+) rtmp_port=(\d+)/);
      if (m && !server.api) {
        server.api = m[1];
        server.rtmp = m[2];
        server.httpPort = Number(m[3]);
        server.rtmpPort = Number(m[4]);
        clearTimeout(timer);
        resolve();
      }
    });
    proc.stderr.on("data", (chunk) => { server.stderr += chunk; });
    proc.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before ready:\n${server.stdout}${server.stderr}`));
    });
  });
  return server;
}

// fetch with a JSON body and the API key; resolves {status, headers, body}.
// Every answer of a documented operation is checked against docs/openapi.json
// (lib/openapi.js): a mismatch throws, failing the test.
async function api(server, method, p, { key, body, headers = {}, raw } = {}) {
  const h = { ...headers };
  if (key) h["ls-api-key"] = key;
  let payload;
  if (raw !== undefined) payload = raw;
  else if (body !== undefined) {
    payload = JSON.stringify(body);
    h["content-type"] = h["content-type"] || "application/json";
  }
  const response = await fetch(server.url(p), { method, headers: h, body: payload });
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  checkResponse(method, new URL(server.url(p)).pathname, response.status, response.headers.get("content-type"), text,
    payload);
  return { status: response.status, headers: response.headers, body: json, text };
}

// A project of its own (CLI) on `server`, the embedded media server's id,
// and newStream(name), which creates a livestream there (asserting 201)
// with the project's current `key` (a test that regenerates it sets it).
async function partnerProject(server, name) {
  const made = await cli(["project", "create", "--name", name, ...server.storeArgs, "--json"]);
  if (made.code !== 0) throw new Error(`project create failed: ${made.stderr}`);
  const { apiKey, projectId } = JSON.parse(made.stdout);
  const mediaServerId = (await api(server, "GET", "/api/v1/media-servers/available", { key: apiKey })).body.data[0].id;
  const project = { key: apiKey, projectId, mediaServerId };
  project.newStream = async (streamName) => {
    const r = await api(server, "POST", "/api/v1/livestream",
      { key: project.key, body: { name: streamName, projectId, mediaServerId } });
    if (r.status !== 201) throw new Error(`creating livestream ${streamName}: ${r.status} ${r.text}`);
    return r.body.data;
  };
  return project;
}

// A CLI command with `input` written to its stdin (e.g. --password-stdin);
// resolves {code, stdout, stderr}. Killed after 20 s.
function cliWithStdin(args, input) {
  return new Promise((resolve, reject) => {
    const proc = spawn(BIN, args, { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => proc.kill("SIGKILL"), 20000);
    proc.stdout.on("data", (c) => { stdout += c; });
    proc.stderr.on("data", (c) => { stderr += c; });
    proc.on("error", reject);
    proc.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    proc.stdin.end(input);
  });
}

module.exports = { BIN, cli, cliWithStdin, startServer, api, tempDir, partnerProject };
