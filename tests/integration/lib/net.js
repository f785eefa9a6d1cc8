// Real network failures for the failover tests: a loopback port that nothing
// listens on, and a small counting HTTP proxy that a test can kill.
"use strict";
const http = require("node:http");
const net = require("node:net");

// A loopback port that refused connections a moment ago: bound by the OS, then
// closed. Connecting to it fails with ECONNREFUSED, like an origin that died.
async function deadPort() {
  const server = net.createServer();
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// An HTTP proxy on a loopback port that counts every request it receives and
// forwards it to `target` (set now or later with setTarget, e.g. once the
// server's port is known). When the target does not answer it replies 502, as
// a CDN edge does when its origin is down, or with `onUpstreamError: "reset"`
// cuts the client's connection, which a browser sees like a refused one.
// kill() stops listening and cuts every open connection: from then on its port
// refuses connections.
async function countingProxy({ target = null, onUpstreamError = "502" } = {}) {
  let upstream = target;
  const requests = [];
  const sockets = new Set();
  const upstreamFailed = (res, why) => {
    if (res.headersSent || onUpstreamError === "reset") { res.destroy(); return; }
    res.writeHead(502, { "content-type": "text/plain", "access-control-allow-origin": "*" }).end(why);
  };
  const server = http.createServer((req, res) => {
    requests.push({ at: Date.now(), method: req.method, url: req.url });
    if (!upstream) { upstreamFailed(res, "no upstream"); return; }
    const to = new URL(req.url, upstream);
    const out = http.request(to, { method: req.method, headers: { ...req.headers, host: to.host } }, (up) => {
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    });
    out.on("error", (e) => upstreamFailed(res, "upstream: " + e.code));
    req.pipe(out);
  });
  server.on("connection", (s) => { sockets.add(s); s.on("close", () => sockets.delete(s)); });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  let killed = false;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    get count() { return requests.length; },
    setTarget(url) { upstream = url; },
    async kill() {
      if (killed) return;
      killed = true;
      const closed = new Promise((resolve) => server.close(resolve));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

module.exports = { deadPort, countingProxy };
