// The server out of file descriptors (prlimit --nofile=64): CPU it burns and
// log lines it writes while connections wait in the HTTP and RTMP backlogs,
// and how soon it serves again once they are closed. Prints JSON.
//   LUNARSTREAM_BIN=build/src/app/lunarstream node bench/media/out_of_descriptors.js
"use strict";
const fs = require("node:fs");
const net = require("node:net");
const { execFileSync } = require("node:child_process");
const { startServer } = require("../../tests/integration/lib/server");

const ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim());
const cpuTicks = (pid) => {
  const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(f[11]) + Number(f[12]);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const connect = (port) => new Promise((resolve) => {
  const s = net.connect(port, "127.0.0.1");
  s.on("connect", () => resolve(s));
  s.on("error", () => resolve(s));
});

(async () => {
  const server = await startServer({ wrapper: ["prlimit", "--nofile=64"] });
  const sockets = [];
  try {
    for (let i = 0; i < 128; ++i) sockets.push(await connect(server.httpPort), await connect(server.rtmpPort));
    await sleep(1000);
    const seconds = 5;
    const ticks = cpuTicks(server.proc.pid);
    const lines = (server.stdout.match(/accept failed/g) || []).length;
    await sleep(seconds * 1000);
    const cpu = (cpuTicks(server.proc.pid) - ticks) / (seconds * ticksPerSecond);
    const logLines = (server.stdout.match(/accept failed/g) || []).length - lines;
    for (const s of sockets) s.destroy();
    const freedAt = Date.now();
    let healthyAfterMs = null;
    for (let i = 0; i < 200 && healthyAfterMs === null; ++i) {
      try {
        const r = await fetch(`${server.api}/api/v1/health`, { signal: AbortSignal.timeout(2000) });
        if (r.status === 200) healthyAfterMs = Date.now() - freedAt;
      } catch { /* not yet */ }
    }
    process.stdout.write(JSON.stringify({ windowSeconds: seconds, cpuShareOfOneCore: Math.round(cpu * 1000) / 1000,
      acceptLogLinesInWindow: logLines, healthyAfterFreeingMs: healthyAfterMs }) + "\n");
  } finally {
    for (const s of sockets) s.destroy();
    await server.stop();
  }
})();
