// Hostile RTMP input stays bounded: a client that floods control messages
// while reading nothing is dropped; connections that never get authorized
// are capped in number (in all and per address), in time and in the bytes
// they make the server hold; network text never reaches the log raw. Each
// time, a real publisher still publishes.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const net = require("node:net");
const { startServer, api, partnerProject } = require("./lib/server");
const { ffmpegPublish, waitFor } = require("./lib/media");
const raw = require("./lib/rtmp_raw");

const rssKb = (pid) => Number(fs.readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)[1]);

// newStream(name) on a project of its own.
const setup = async (server) => (await partnerProject(server, "hostile")).newStream;

async function publishesWhileUnderAttack(server, newStream) {
  const stream = await newStream("real publisher");
  const ffmpeg = ffmpegPublish(`${stream.rtmpServer}/${stream.streamKeyWithParams}`, { seconds: 6, size: "320x180" });
  await waitFor(async () => (await api(server, "GET", `/api/v1/livestreams/stream-info/${stream.streamKey}`)).body.data.status === "STARTED",
    { what: "the real publisher STARTED", timeoutMs: 10000 });
  ffmpeg.kill("SIGKILL");
  await ffmpeg.done;
}

test("a client that floods control messages and reads nothing is dropped, and memory stays bounded", async () => {
  // Closes of connections that never published are logged at debug only (a flood must not flood the log).
  const server = await startServer({ logLevel: "debug" });
  try {
    const newStream = await setup(server);
    const before = rssKb(server.proc.pid);
    const socket = await raw.handshake(server.rtmpPort);
    // An acknowledgement after every message, and a ping reply for each ping.
    socket.write(raw.windowAckSize(1));
    const closed = raw.closedByServer(socket, 30000, { read: false });
    let isClosed = false;
    closed.then(() => { isClosed = true; });
    const batch = Buffer.concat(Array.from({ length: 2000 }, (_, i) => raw.pingRequest(i)));
    for (let i = 0; i < 2000 && !isClosed; ++i) {  // at most 4 million pings (72 MB)
      if (!socket.write(batch)) await new Promise((r) => { socket.once("drain", r); setTimeout(r, 200); });
    }
    assert.equal(await closed, true, "the server dropped the flooding client");
    const grewKb = rssKb(server.proc.pid) - before;
    assert.ok(grewKb < 16 * 1024, `server RSS grew ${grewKb} KiB`);
    assert.match(server.stdout + server.stderr, /peer does not read its replies/);
    await publishesWhileUnderAttack(server, newStream);
  } finally {
    await server.stop();
  }
});

test("connections not yet publishing are capped per address and in all, and time out", async () => {
  const server = await startServer({
    logLevel: "info",
    env: {
      LUNARSTREAM_INGEST_MAX_UNAUTHORIZED_PER_ADDRESS: "20",
      LUNARSTREAM_INGEST_MAX_UNAUTHORIZED_CONNECTIONS: "30",
      // Longer than the two 1.5 s batches below take together, even on a
      // loaded machine, so the first batch is still held when counted.
      LUNARSTREAM_INGEST_HANDSHAKE_TIMEOUT_SECONDS: "6",
    },
  });
  const sockets = [];
  try {
    const newStream = await setup(server);
    // 100 idle connections from 127.0.0.2: 20 are kept, the rest closed at once.
    // "open" when the server still holds the connection after 1.5 s.
    const idle = (localAddress) => new Promise((resolve) => {
      const s = net.connect({ host: "127.0.0.1", port: server.rtmpPort, localAddress });
      sockets.push(s);
      s.on("error", () => {});
      s.on("close", () => resolve("closed"));
      setTimeout(() => resolve("open"), 1500);
    });
    const outcomes = await Promise.all(Array.from({ length: 100 }, () => idle("127.0.0.2")));
    const open = outcomes.filter((o) => o === "open").length;
    assert.equal(open, 20, `idle connections kept from one address: ${open}`);
    // 10 more from 127.0.0.3 fill the global cap of 30.
    const more = await Promise.all(Array.from({ length: 15 }, () => idle("127.0.0.3")));
    assert.equal(more.filter((o) => o === "open").length, 10, "the global cap holds");
    const metrics = await (await fetch(server.url("/metrics"))).text();
    assert.match(metrics, /lunarstream_media_sessions\{state="unauthorized"\} 30/);
    assert.match(metrics, /lunarstream_media_unauthorized_refused_total (\d+)/);
    // The deadline frees them all: a handshake+connect+publish must finish in 6 s.
    await waitFor(async () => /state="unauthorized"\} 0/.test(await (await fetch(server.url("/metrics"))).text()),
      { what: "idle connections timed out", timeoutMs: 15000 });
    await publishesWhileUnderAttack(server, newStream);
  } finally {
    for (const s of sockets) s.destroy();
    await server.stop();
  }
});

test("half-received messages of connections not yet publishing are capped in bytes", async () => {
  const server = await startServer({ logLevel: "info", env: { LUNARSTREAM_INGEST_MAX_UNAUTHORIZED_MB: "1" } });
  const sockets = [];
  try {
    const newStream = await setup(server);
    const before = rssKb(server.proc.pid);
    // Before a publish is granted, a message over 64 KiB is refused at its header.
    const big = await raw.handshake(server.rtmpPort, { localAddress: "127.0.0.4" });
    sockets.push(big);
    big.write(raw.messageHeader(8 * 1024 * 1024 - 1));
    assert.equal(await raw.closedByServer(big, 5000), true, "an 8 MiB message from a stranger is refused");
    // 40 clients from 4 addresses, each sending 60 KiB of a 64 KiB command and
    // never the rest: together they may hold 1 MiB (ingest.max_unauthorized_mb).
    const part = Buffer.alloc(60 * 1024, 0x41);
    const states = await Promise.all(Array.from({ length: 40 }, async (_, i) => {
      const s = await raw.handshake(server.rtmpPort, { localAddress: `127.0.1.${1 + (i % 4)}` });
      sockets.push(s);
      s.write(raw.setChunkSize(0x7fffffff));
      s.write(raw.messageHeader(64 * 1024 - 1));
      s.write(part);
      return raw.closedByServer(s, 5000, { read: false }).then((c) => (c ? "dropped" : "held"));
    }));
    const held = states.filter((x) => x === "held").length;
    assert.ok(held >= 1 && held <= 17, `${held} clients held 60 KiB each under a 1 MiB budget`);
    const metrics = await (await fetch(server.url("/metrics"))).text();
    const heldBytes = Number(metrics.match(/lunarstream_media_unauthorized_held_bytes (\d+)/)[1]);
    assert.ok(heldBytes <= 1024 * 1024, `held ${heldBytes} bytes`);
    const grewKb = rssKb(server.proc.pid) - before;
    assert.ok(grewKb < 32 * 1024, `server RSS grew ${grewKb} KiB`);
    await publishesWhileUnderAttack(server, newStream);
  } finally {
    for (const s of sockets) s.destroy();
    await server.stop();
  }
});

test("values from the network are escaped in the log", async () => {
  const server = await startServer({ logLevel: "debug" });
  try {
    // An app and a stream name carrying a newline, a forged log line and ANSI escapes.
    const socket = await raw.handshake(server.rtmpPort);
    socket.write(raw.setChunkSize(65536));
    socket.write(raw.command(0, "connect", 1, { app: "li\u001b[2Jve\n[error] forged app", tcUrl: "rtmp://x/\u001b[31m" }));
    socket.write(raw.command(0, "createStream", 2, null));
    socket.write(raw.command(1, "publish", 3, null, "0123456789abcdef0123456789abcdef\n[error] forged key\u001b[0m", "live"));
    assert.equal(await raw.closedByServer(socket, 10000), true, "the publish was refused and the connection closed");
    await waitFor(async () => /publish refused/.test(server.stdout + server.stderr), { what: "the refusal logged", timeoutMs: 10000 });
    const log = server.stdout + server.stderr;
    assert.match(log, /unknown application 'li\\x1b\[2Jve\\n\[error\] forged app'/);
    assert.ok(!log.includes("\u001b"), "no raw escape character in the log");
    assert.ok(!/\n\[error\] forged/.test(log), "no forged line");
  } finally {
    await server.stop();
  }
});
