// Out of file descriptors, the HTTP acceptor pauses (10 ms doubling to 1 s)
// instead of retrying at once: the server stays nearly idle, logs at most a
// line a second about it, and serves again as soon as descriptors free up.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const net = require("node:net");
const { execFileSync } = require("node:child_process");
const { startServer } = require("./lib/server");
const { waitFor } = require("./lib/media");

// Enough for the server to start (about 30 descriptors), few enough to run out.
const kNoFile = 64;
const kTicksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim());

// User + system CPU time of a process, in clock ticks (proc(5), fields 14 and 15).
function cpuTicks(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

const acceptLines = (server) => (server.stdout.match(/accept failed/g) || []).length;

function connect(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.on("connect", () => resolve(socket));
    socket.on("error", () => resolve(socket));  // refused or reset: it still counts as tried
  });
}

test("accept backs off while the server is out of descriptors, then serves again", async () => {
  const server = await startServer({ wrapper: ["prlimit", `--nofile=${kNoFile}`] });
  const sockets = [];
  try {
    // Twice as many connections as the server may hold descriptors: the
    // kernel completes the handshakes and queues them; the server accepts
    // until accept() fails with EMFILE, the rest wait in the backlog.
    for (let i = 0; i < 2 * kNoFile; ++i) sockets.push(await connect(server.httpPort));
    await waitFor(async () => acceptLines(server) > 0, { what: "accept to fail for lack of descriptors" });

    // A window to measure over (not an event to wait for): a spinning acceptor
    // burns a core and logs on every turn.
    const windowSeconds = 3;
    const ticksBefore = cpuTicks(server.proc.pid);
    const linesBefore = acceptLines(server);
    await new Promise((resolve) => setTimeout(resolve, windowSeconds * 1000));
    const busy = (cpuTicks(server.proc.pid) - ticksBefore) / (windowSeconds * kTicksPerSecond);
    const lines = acceptLines(server) - linesBefore;
    assert.ok(busy < 0.2, `server used ${(busy * 100).toFixed(0)}% of a core while out of descriptors`);
    assert.ok(lines <= windowSeconds + 1, `${lines} accept log lines in ${windowSeconds} s`);

    for (const s of sockets) s.destroy();
    sockets.length = 0;
    // The server closes what it had accepted, then drains the backlog.
    const health = await fetch(`${server.api}/api/v1/health`, { signal: AbortSignal.timeout(20000) });
    assert.equal(health.status, 200);
  } finally {
    for (const s of sockets) s.destroy();
    assert.equal((await server.stop()).code, 0);
  }
});

test("the RTMP acceptor backs off the same way, then accepts publishers again", async () => {
  const raw = require("./lib/rtmp_raw");
  const server = await startServer({ wrapper: ["prlimit", `--nofile=${kNoFile}`] });
  const rtmpLines = () => (server.stdout.match(/rtmp: accept failed/g) || []).length;
  const sockets = [];
  try {
    for (let i = 0; i < 2 * kNoFile; ++i) sockets.push(await connect(server.rtmpPort));
    await waitFor(async () => rtmpLines() > 0, { what: "the RTMP accept to fail for lack of descriptors" });

    const windowSeconds = 3;
    const ticksBefore = cpuTicks(server.proc.pid);
    const linesBefore = rtmpLines();
    await new Promise((resolve) => setTimeout(resolve, windowSeconds * 1000));
    const busy = (cpuTicks(server.proc.pid) - ticksBefore) / (windowSeconds * kTicksPerSecond);
    const lines = rtmpLines() - linesBefore;
    assert.ok(busy < 0.2, `server used ${(busy * 100).toFixed(0)}% of a core while out of descriptors`);
    assert.ok(lines <= windowSeconds + 1, `${lines} RTMP accept log lines in ${windowSeconds} s`);

    for (const s of sockets) s.destroy();
    sockets.length = 0;
    // Descriptors are back: a new client completes the RTMP handshake.
    const socket = await waitFor(async () => {
      try {
        return await raw.handshake(server.rtmpPort);
      } catch {
        return null;
      }
    }, { what: "an RTMP handshake once descriptors are free", timeoutMs: 20000 });
    socket.destroy();
  } finally {
    for (const s of sockets) s.destroy();
    assert.equal((await server.stop()).code, 0);
  }
});
