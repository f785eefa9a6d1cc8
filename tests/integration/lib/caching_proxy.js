// A CDN edge for the content-steering tests, in a process of its own so a
// test can kill it by its PID like a CDN that dies: nginx from Debian with
// proxy_cache when it is installed (scripts/install-deps.sh, test profile),
// else a small Node caching reverse proxy that keeps 200 answers for their
// Cache-Control max-age. Both listen on 127.0.0.1:<port> and forward to
// http://127.0.0.1:<originPort>.
//
//   const edge = await startCachingProxy({ port, originPort });
//   edge.pid; edge.kind ("nginx" | "node"); await edge.kill();
"use strict";
const { spawn, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");

function nginxBinary() {
  for (const candidate of ["/usr/sbin/nginx", "/usr/bin/nginx"]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  try {
    return execFileSync("sh", ["-c", "command -v nginx"], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}

function nginxConfig(dir, port, originPort) {
  return `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  proxy_cache_path ${dir}/cache levels=1:2 keys_zone=edge:4m max_size=256m inactive=2m use_temp_path=off;
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://127.0.0.1:${originPort};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_cache edge;
      proxy_cache_lock on;
      proxy_cache_key $uri$is_args$args;
      add_header X-Cache $upstream_cache_status always;
    }
  }
}
`;
}

async function waitForPort(port, proc, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`caching proxy exited with ${proc.exitCode}: ${proc.stderrText}`);
    const ok = await new Promise((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => { socket.destroy(); resolve(true); });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`caching proxy did not listen on ${port}`);
}

async function startCachingProxy({ port, originPort }) {
  const nginx = process.env.LS_TEST_NO_NGINX ? null : nginxBinary();
  let proc;
  let kind;
  if (nginx) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ls-edge-"));
    fs.mkdirSync(path.join(dir, "tmp"), { recursive: true });
    fs.writeFileSync(path.join(dir, "nginx.conf"), nginxConfig(dir, port, originPort));
    proc = spawn(nginx, ["-p", dir + "/", "-c", path.join(dir, "nginx.conf"), "-e", path.join(dir, "error.log")],
      { stdio: ["ignore", "ignore", "pipe"] });
    kind = "nginx";
  } else {
    proc = spawn(process.execPath, [__filename, String(port), String(originPort)], { stdio: ["ignore", "ignore", "pipe"] });
    kind = "node";
  }
  proc.stderrText = "";
  proc.stderr.on("data", (c) => { proc.stderrText += c; });
  const exited = new Promise((resolve) => proc.on("exit", (code, signal) => resolve({ code, signal })));
  await waitForPort(port, proc);
  return {
    kind,
    pid: proc.pid,
    port,
    base: `http://127.0.0.1:${port}`,
    // SIGKILL: the edge dies at once, with its connections, like a crashed CDN.
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) process.kill(proc.pid, "SIGKILL");
      return exited;
    },
  };
}

// The Node fallback: `node caching_proxy.js <port> <originPort>`.
function runNodeProxy(port, originPort) {
  const http = require("node:http");
  const cache = new Map();  // url -> {expires, status, headers, body}
  const agent = new http.Agent({ keepAlive: true });
  http.createServer((req, res) => {
    const key = req.url;
    const hit = req.method === "GET" ? cache.get(key) : undefined;
    if (hit && hit.expires > Date.now()) {
      res.writeHead(hit.status, { ...hit.headers, "x-cache": "HIT" });
      res.end(hit.body);
      return;
    }
    const upstream = http.request({ host: "127.0.0.1", port: originPort, method: req.method, path: req.url,
                                    headers: { ...req.headers, host: `127.0.0.1:${originPort}` }, agent }, (up) => {
      const chunks = [];
      up.on("data", (c) => chunks.push(c));
      up.on("end", () => {
        const body = Buffer.concat(chunks);
        const headers = { ...up.headers };
        delete headers.connection;
        delete headers["transfer-encoding"];
        headers["content-length"] = String(body.length);
        const m = /max-age=(\d+)/.exec(up.headers["cache-control"] || "");
        if (req.method === "GET" && up.statusCode === 200 && m && !/no-cache|no-store/.test(up.headers["cache-control"])) {
          cache.set(key, { expires: Date.now() + Number(m[1]) * 1000, status: 200, headers, body });
        }
        res.writeHead(up.statusCode, { ...headers, "x-cache": "MISS" });
        res.end(body);
      });
    });
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  }).listen(port, "127.0.0.1");
}

if (require.main === module) runNodeProxy(Number(process.argv[2]), Number(process.argv[3]));

module.exports = { startCachingProxy };
