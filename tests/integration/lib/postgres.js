// A throwaway PostgreSQL server for one integration test file, started the
// way the C++ harness does (tests/support/postgres_server.hpp): initdb in a
// temporary directory, a free loopback port, the unix socket in that
// directory, fsync off. As root, initdb and pg_ctl run as the `postgres`
// user (PostgreSQL refuses root). Missing binaries are a failure, not a skip:
// scripts/install-deps.sh installs the `postgresql` package; LS_POSTGRES_BINDIR
// names another directory holding initdb, pg_ctl and psql.
"use strict";
const { execFile, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { promisify } = require("node:util");
const { deadPort: freePort } = require("./net");  // bound then closed: free a moment ago

const execFileP = promisify(execFile);

function findBinDir() {
  if (process.env.LS_POSTGRES_BINDIR) return process.env.LS_POSTGRES_BINDIR;
  let best = null;
  let dirs = [];
  try { dirs = fs.readdirSync("/usr/lib/postgresql"); } catch { /* none */ }
  for (const v of dirs) {
    const bin = path.join("/usr/lib/postgresql", v, "bin");
    if (fs.existsSync(path.join(bin, "initdb")) && (best === null || Number(v) > Number(best.v))) best = { v, bin };
  }
  return best && best.bin;
}

class PostgresServer {
  constructor(binDir, dir, asRoot) {
    this.binDir = binDir;
    this.dir = dir;
    this.asRoot = asRoot;
    this.port = 0;
    this.databases = 0;
  }

  get data() { return path.join(this.dir, "data"); }

  async run(program, args) {
    const bin = path.join(this.binDir, program);
    const [cmd, cmdArgs] = this.asRoot ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
    try {
      return await execFileP(cmd, cmdArgs, { timeout: 90000 });
    } catch (e) {
      let log = "";
      try { log = fs.readFileSync(path.join(this.dir, "server.log"), "utf8").slice(-2000); } catch { /* none yet */ }
      throw new Error(`${program} ${args.join(" ")} failed: ${e.stderr || e.message}\n${log}`);
    }
  }

  async startOn(port) {
    this.port = port;
    const options = `-p ${port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off ` +
      "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
    await this.run("pg_ctl", ["-D", this.data, "-l", path.join(this.dir, "server.log"), "-w", "-t", "60", "-o", options, "start"]);
  }

  // postgres://lunarstream@127.0.0.1:PORT/NAME
  urlFor(name) { return `postgres://lunarstream@127.0.0.1:${this.port}/${name}`; }

  // Runs SQL as the superuser through psql; resolves its unaligned output.
  async psql(database, sql) {
    const { stdout } = await this.run("psql", ["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", this.dir, "-p",
      String(this.port), "-U", "lunarstream", "-d", database, "-c", sql]);
    return stdout.trim();
  }

  // A fresh, empty database; resolves its URL.
  async createDatabase() {
    const name = `ls_it_${process.pid}_${++this.databases}`;
    await this.psql("postgres", `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`);
    return this.urlFor(name);
  }

  // Same port and data; every connection a LunarStream process holds is cut.
  // With `whileDown`, that runs while the server is stopped.
  async restart(whileDown) {
    await this.run("pg_ctl", ["-D", this.data, "-m", "fast", "-w", "stop"]);
    try {
      if (whileDown) await whileDown();
    } finally {
      await this.startOn(this.port);
    }
  }

  // For a process "exit" handler, which cannot wait.
  stopSync() {
    const bin = path.join(this.binDir, "pg_ctl");
    const args = ["-D", this.data, "-m", "immediate", "-w", "stop"];
    try {
      if (this.asRoot) execFileSync("runuser", ["-u", "postgres", "--", bin, ...args], { stdio: "ignore" });
      else execFileSync(bin, args, { stdio: "ignore" });
    } catch { /* already down */ }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  async stop() {
    try { await this.run("pg_ctl", ["-D", this.data, "-m", "immediate", "-w", "stop"]); } catch { /* already down */ }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

// Starts a server; the caller stops it (in an `after` hook).
async function startPostgres() {
  const binDir = findBinDir();
  if (!binDir || !fs.existsSync(path.join(binDir, "initdb")) || !fs.existsSync(path.join(binDir, "pg_ctl"))) {
    throw new Error("PostgreSQL server binaries (initdb, pg_ctl) not found in LS_POSTGRES_BINDIR or " +
      "/usr/lib/postgresql/*/bin: install the `postgresql` package (scripts/install-deps.sh does) or set LS_POSTGRES_BINDIR");
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ls-pg-"));
  const asRoot = process.getuid() === 0;
  if (asRoot) {
    const { stdout } = await execFileP("id", ["-u", "postgres"]).catch(() => {
      throw new Error("running as root, and there is no `postgres` user to run PostgreSQL as");
    });
    const uid = Number(stdout.trim());
    const gid = Number((await execFileP("id", ["-g", "postgres"])).stdout.trim());
    fs.chownSync(dir, uid, gid);
  }
  const server = new PostgresServer(binDir, dir, asRoot);
  await server.run("initdb", ["-D", server.data, "-U", "lunarstream", "-A", "trust", "-E", "UTF8", "--locale=C", "-N"]);
  // Another process may take the free port before the server binds it: try a few.
  for (let attempt = 0; ; ++attempt) {
    try {
      await server.startOn(await freePort());
      return server;
    } catch (e) {
      if (attempt >= 4) {
        await server.stop();
        throw e;
      }
    }
  }
}

module.exports = { startPostgres };
