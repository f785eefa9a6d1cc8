// Hostile RTMP clients for bench/media/hostile.sh, each bounded in count and
// time. Prints one JSON line with what happened.
//   node hostile_clients.js flood PORT SECONDS       pings + per-message acks, reading nothing
//   node hostile_clients.js idle PORT COUNT ADDRESS  TCP connections that send nothing
//   node hostile_clients.js publish PORT KEY_WITH_PARAMS  ms from TCP connect to NetStream.Publish.Start
//   node hostile_clients.js half PORT COUNT ADDRESS  each sends 7 MiB of an 8 MiB message, never the rest
"use strict";
const net = require("node:net");
const raw = require("../../tests/integration/lib/rtmp_raw");

const [mode, portText, third, address = "127.0.0.2"] = process.argv.slice(2);
const port = Number(portText);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function flood(seconds) {
  const socket = await raw.handshake(port);
  socket.write(raw.windowAckSize(1));
  let closed = false;
  socket.on("close", () => { closed = true; });
  socket.on("error", () => {});
  const batch = Buffer.concat(Array.from({ length: 2000 }, (_, i) => raw.pingRequest(i)));
  const began = Date.now();
  let sent = 0;
  while (!closed && Date.now() - began < seconds * 1000) {
    if (socket.write(batch)) sent += 2000;
    else await Promise.race([new Promise((r) => socket.once("drain", r)), sleep(100)]);
  }
  socket.destroy();
  return { mode, pingsSent: sent, droppedByServer: closed, afterMs: Date.now() - began };
}

async function idle(count) {
  const sockets = [];
  let open = 0;
  for (let i = 0; i < count; ++i) {
    const s = net.connect({ host: "127.0.0.1", port, localAddress: address });
    s.on("error", () => {});
    s.on("connect", () => { open += 1; });
    s.on("close", () => { open -= 1; });
    sockets.push(s);
    if (i % 500 === 499) await sleep(50);
  }
  await sleep(3000);
  const stillOpen = sockets.filter((s) => !s.destroyed && s.readyState === "open").length;
  process.stdout.write(JSON.stringify({ mode, attempted: count, keptOpenByServer: stillOpen }) + "\n");
  await sleep(Number(process.env.HOLD_MS || 5000));
  for (const s of sockets) s.destroy();
  return null;
}

// Spread over ADDRESS and the next three loopback addresses (the server
// keeps at most 50 unauthorized connections per address).
async function half(count) {
  const part = Buffer.alloc(7 * 1024 * 1024, 0x41);
  const base = address.split(".").map(Number);
  const from = (i) => [base[0], base[1], base[2], base[3] + (i % 4)].join(".");
  const tried = await Promise.all(Array.from({ length: count }, async (_, i) => {
    try {
      const s = await raw.handshake(port, { localAddress: from(i) });
      s.on("error", () => {});
      s.write(raw.setChunkSize(0x7fffffff));
      s.write(raw.messageHeader(8 * 1024 * 1024 - 1));
      s.write(part);
      return s;
    } catch {
      return null;  // refused before the handshake finished
    }
  }));
  const sockets = tried.filter(Boolean);
  await sleep(3000);
  const held = sockets.filter((s) => !s.destroyed && s.readyState === "open").length;
  process.stdout.write(JSON.stringify({ mode, clients: count, handshaken: sockets.length, keptOpenByServer: held }) + "\n");
  await sleep(Number(process.env.HOLD_MS || 5000));
  for (const s of sockets) s.destroy();
  return null;
}

// A publisher's handshake, connect, createStream and publish, timed from the
// TCP connect until the server answers NetStream.Publish.Start (the grant).
async function publish(keyWithParams) {
  const began = process.hrtime.bigint();
  const socket = await raw.handshake(port);
  socket.write(raw.setChunkSize(65536));
  socket.write(raw.command(0, "connect", 1, { app: "live", tcUrl: `rtmp://127.0.0.1:${port}/live` }));
  socket.write(raw.command(0, "createStream", 2, null));
  socket.write(raw.command(1, "publish", 3, null, keyWithParams, "live"));
  let seen = Buffer.alloc(0);
  const granted = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 10000);
    socket.on("data", (chunk) => {
      seen = Buffer.concat([seen, chunk]);
      if (seen.includes("NetStream.Publish.Start")) { clearTimeout(timer); resolve(true); }
    });
    socket.on("close", () => { clearTimeout(timer); resolve(false); });
    socket.resume();
  });
  const ms = Number(process.hrtime.bigint() - began) / 1e6;
  socket.destroy();
  return { mode, granted, ms: Math.round(ms * 10) / 10 };
}

(async () => {
  let result;
  if (mode === "publish") result = await publish(third);
  else if (mode === "flood") result = await flood(Math.min(Number(third), 120));
  else if (mode === "idle") result = await idle(Math.min(Number(third), 20000));
  else if (mode === "half") result = await half(Math.min(Number(third), 256));
  else throw new Error("mode: flood | idle | half | publish");
  if (result) process.stdout.write(JSON.stringify(result) + "\n");
  process.exit(0);
})();
