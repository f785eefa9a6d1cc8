// A raw RTMP client for hostile-input tests: it does the handshake and then
// writes whatever chunks a test builds, reading only what it is told to.
// No real encoder misbehaves this way on purpose; attackers do.
"use strict";
const net = require("node:net");
const crypto = require("node:crypto");

// Connects (optionally from a given loopback address) and completes the
// handshake; resolves the socket, paused (the client reads nothing more).
function handshake(port, { localAddress } = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port, localAddress });
    let got = Buffer.alloc(0);
    const timer = setTimeout(() => reject(new Error("handshake timed out")), 10000);
    socket.on("error", (e) => { clearTimeout(timer); reject(e); });
    socket.on("connect", () => socket.write(Buffer.concat([Buffer.from([3]), crypto.randomBytes(1536)])));
    const onData = (chunk) => {
      got = Buffer.concat([got, chunk]);
      if (got.length < 3073) return;
      clearTimeout(timer);
      socket.off("data", onData);
      socket.removeAllListeners("error");
      socket.pause();
      socket.write(got.subarray(1, 1537));  // C2 echoes S1
      resolve(socket);
    };
    socket.on("data", onData);
  });
}

// One message on chunk stream 2 (protocol control), type-0 header.
function controlMessage(typeId, payload) {
  const header = Buffer.alloc(12);
  header[0] = 2;
  header.writeUIntBE(0, 1, 3);
  header.writeUIntBE(payload.length, 4, 3);
  header[7] = typeId;
  header.writeUInt32LE(0, 8);
  return Buffer.concat([header, payload]);
}

const pingRequest = (n) => {
  const p = Buffer.alloc(6);
  p.writeUInt16BE(6, 0);
  p.writeUInt32BE(n >>> 0, 2);
  return controlMessage(4, p);
};
const windowAckSize = (size) => {
  const p = Buffer.alloc(4);
  p.writeUInt32BE(size, 0);
  return controlMessage(5, p);
};
const setChunkSize = (size) => {
  const p = Buffer.alloc(4);
  p.writeUInt32BE(size, 0);
  return controlMessage(1, p);
};
// The header of a message of `length` bytes on chunk stream 3 (a command
// message), for sending only part of its payload.
const messageHeader = (length) => {
  const header = Buffer.alloc(12);
  header[0] = 3;
  header.writeUIntBE(length, 4, 3);
  header[7] = 20;
  return header;
};

// AMF0 values: strings, numbers, null and flat objects of strings.
function amf0(value) {
  if (value === null) return Buffer.from([5]);
  if (typeof value === "number") {
    const b = Buffer.alloc(9);
    b[0] = 0;
    b.writeDoubleBE(value, 1);
    return b;
  }
  if (typeof value === "string") {
    const s = Buffer.from(value, "utf8");
    const h = Buffer.alloc(3);
    h[0] = 2;
    h.writeUInt16BE(s.length, 1);
    return Buffer.concat([h, s]);
  }
  const parts = [Buffer.from([3])];
  for (const [k, v] of Object.entries(value)) {
    const key = Buffer.from(k, "utf8");
    const kh = Buffer.alloc(2);
    kh.writeUInt16BE(key.length, 0);
    parts.push(kh, key, amf0(v));
  }
  parts.push(Buffer.from([0, 0, 9]));
  return Buffer.concat(parts);
}

// An AMF0 command message on chunk stream 3 (send setChunkSize first when
// it is longer than 128 bytes).
function command(messageStreamId, ...values) {
  const payload = Buffer.concat(values.map(amf0));
  const header = Buffer.alloc(12);
  header[0] = 3;
  header.writeUIntBE(payload.length, 4, 3);
  header[7] = 20;
  header.writeUInt32LE(messageStreamId, 8);
  return Buffer.concat([header, payload]);
}

// Resolves when the server closes the socket (or after timeoutMs, false).
// read: false keeps the client deaf (it then learns of the close from the
// reset its next write gets).
function closedByServer(socket, timeoutMs, { read = true } = {}) {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve(true);
    const timer = setTimeout(() => resolve(false), timeoutMs);
    const done = () => { clearTimeout(timer); resolve(true); };
    socket.once("close", done);
    socket.once("error", () => {});
    socket.once("end", done);
    if (read) socket.resume();  // reading is what sees the FIN
  });
}

module.exports = { handshake, command, controlMessage, pingRequest, windowAckSize, setChunkSize, messageHeader, closedByServer };
