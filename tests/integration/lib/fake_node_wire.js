// What ZLMediaKit and MediaMTX put on the wire, for the fake node
// (fake_node.js): their JSON layouts (jsoncpp's StyledWriter, Go's
// encoding/json), their hook bodies and API items. Facts and their sources:
// tests/fixtures/{zlmediakit,mediamtx}/*/README.md.
"use strict";
const fs = require("node:fs");
const path = require("node:path");


// A double for styledJson: jsoncpp prints an integral double as "30.0".
class Real {
  constructor(value) { this.value = value; }
}

// jsoncpp's StyledWriter, which ZLMediaKit uses for every hook body and API
// answer (Value::toStyledString): keys sorted, three-space indent, `"k" : v`,
// arrays of short scalars on one line, non-ASCII as \u escapes, final newline.
function styledJson(value) {
  return styledValue(value, "") + "\n";
}

function styledString(s) {
  return JSON.stringify(s).replace(/[\u0080-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

function styledValue(v, indent) {
  if (v === null || v === undefined) return "null";
  if (v instanceof Real) return Number.isInteger(v.value) ? `${v.value}.0` : String(v.value);
  if (typeof v === "string") return styledString(v);
  if (typeof v !== "object") return String(v);
  const inner = indent + "   ";
  if (Array.isArray(v)) {
    if (!v.length) return "[]";
    const items = v.map((x) => styledValue(x, inner));
    const nested = v.some((x) => x && typeof x === "object" && !(x instanceof Real) && Object.keys(x).length);
    const width = 4 + (v.length - 1) * 2 + items.reduce((n, s) => n + s.length, 0);
    if (!nested && v.length * 3 < 74 && width < 74) return `[ ${items.join(", ")} ]`;
    return `[\n${items.map((s) => inner + s).join(",\n")}\n${indent}]`;
  }
  const keys = Object.keys(v).sort();
  if (!keys.length) return "{}";
  return `{\n${keys.map((k) => `${inner}${styledString(k)} : ${styledValue(v[k], inner)}`).join(",\n")}\n${indent}}`;
}

// Go's encoding/json (MediaMTX): compact, fields in struct order (the object's
// insertion order here), and <, >, & escaped as \u003c, \u003e, \u0026.
function goJson(value) {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

// Go's url.QueryEscape: MediaMTX passes $MTX_QUERY through it (since v1.18.1).
function goQueryEscape(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase()).replace(/%20/g, "+");
}

const DEFAULT_VHOST = "__defaultVhost__";
const ZLM_SCHEMAS = ["rtmp", "rtsp", "fmp4", "ts"]; // registered as soon as the tracks are ready
const ZLM_SERVER_STARTED_FIXTURE = path.resolve(__dirname, "../../fixtures/zlmediakit/hooks/on_server_started.json");
const ZLM_HOOKS = ["on_publish", "on_stream_changed", "on_server_started", "on_server_keepalive", "on_server_exited",
                   "on_stream_not_found", "on_stream_none_reader"];

const asIniFloat = (n) => (Number.isInteger(n) ? `${n}.0` : String(n)); // as config.ini writes them

// ZLMediaKit hook bodies (server/WebHook.cpp, server/WebApi.cpp). do_http_hook
// adds mediaServerId and hook_index to each of them when it sends.
const zlm = {
  // make_json(MediaInfo) + the publisher's socket and origin type.
  publishBody({ schema = "rtmp", vhost = DEFAULT_VHOST, app = "live", stream, params = "", ip, port, id }) {
    return { schema, protocol: schema, vhost, app, stream, params, ip, port, id, originType: 1, originTypeStr: "rtmp_push" };
  },
  // makeMediaSourceJson(MediaSource) of an RTMP push, one per schema.
  sourceJson(rec, schema, nowMs) {
    const alive = Math.floor((nowMs - rec.createdAtMs) / 1000);
    const frames = Math.max(1, Math.round((nowMs - rec.createdAtMs) / 1000 * 30));
    return {
      schema, vhost: rec.vhost, app: rec.app, stream: rec.stream, params: rec.params,
      createStamp: Math.floor(rec.createdAtMs / 1000), aliveSecond: alive, bytesSpeed: 312500, totalBytes: alive * 312500,
      readerCount: 0, totalReaderCount: 0, originType: 1, originTypeStr: "rtmp_push",
      originUrl: `rtmp://${rec.vhost}/${rec.app}/${rec.stream}${rec.params ? "?" + rec.params : ""}`,
      isRecordingMP4: false, isRecordingHLS: false,
      originSock: { identifier: rec.session.id, local_ip: "127.0.0.1", local_port: 1935, peer_ip: rec.session.ip, peer_port: rec.session.port },
      tracks: [
        { codec_id: 0, codec_id_name: "H264", codec_type: 0, ready: true, frames, duration: nowMs - rec.createdAtMs,
          width: 1280, height: 720, key_frames: Math.ceil(frames / 60), fps: new Real(30), gop_size: 60, gop_interval_ms: 2000 },
        { codec_id: 2, codec_id_name: "mpeg4-generic", codec_type: 1, ready: true, frames: Math.round(frames * 43 / 30),
          duration: nowMs - rec.createdAtMs, sample_rate: 44100, channels: 2, sample_bit: 16 },
      ],
    };
  },
  unregistBody(rec, schema) {
    return { schema, vhost: rec.vhost, app: rec.app, stream: rec.stream, params: rec.params, regist: false };
  },
  // getStatisticJson() without ENABLE_MEM_DEBUG: live object counts.
  statistics({ sources, muxers, sessions }) {
    return {
      MediaSource: sources, MultiMediaSourceMuxer: muxers, TcpServer: 10, TcpSession: sessions, UdpServer: 4, UdpSession: 0,
      TcpClient: 0, Socket: 14 + sessions, FrameImp: 0, Frame: 60 * muxers, Buffer: 2 * sessions, BufferRaw: 40 * muxers,
      BufferLikeString: sessions, BufferList: 0, RtpPacket: 120 * muxers, RtmpPacket: 90 * muxers,
    };
  },
  // The whole mINI config as flat "section.key": "value" strings, from the
  // defaults of conf/config.ini (kept in the fixture) and this node's settings.
  config(cfg) {
    const conf = JSON.parse(fs.readFileSync(ZLM_SERVER_STARTED_FIXTURE, "utf8"));
    delete conf.mediaServerId;
    delete conf.hook_index;
    for (const name of ZLM_HOOKS) conf[`hook.${name}`] = cfg.hooks[name] || "";
    Object.assign(conf, {
      "api.secret": cfg.apiSecret || conf["api.secret"], "general.mediaServerId": cfg.mediaServerId, "hook.enable": "1",
      "hook.alive_interval": asIniFloat(cfg.aliveIntervalSeconds), "hook.retry": String(cfg.retry),
      "hook.retry_delay": asIniFloat(cfg.retryDelayMs / 1000), "hook.timeoutSec": String(cfg.hookTimeoutMs / 1000),
      "protocol.continue_push_ms": String(cfg.continuePushMs), "http.port": String(cfg.apiPort),
    });
    return conf;
  },
};

// MediaMTX hook bodies (internal/auth/manager.go) and the body our documented
// runOnAvailable / runOnUnavailable curl command sends once MediaMTX has
// expanded $MTX_* into it (internal/externalcmd: no shell; the variables are
// substituted into the already split words, so the JSON is raw text).
const mtx = {
  authBody({ ip, user = "", password = "", token = "", action, path: p = "", protocol = "", id = null, query = "", userAgent = "" }) {
    return { ip, user, password, token, action, path: p, protocol, id, query, userAgent };
  },
  // getToken(): the password if one was given, else for RTSP and RTMP the
  // query's `token` (or legacy `jwt`) parameter when it appears once.
  token(protocol, query, password) {
    if (password) return password;
    if (protocol !== "rtsp" && protocol !== "rtmp") return "";
    const q = new URLSearchParams(query);
    for (const key of ["token", "jwt"]) if (q.getAll(key).length === 1) return q.get(key);
    return "";
  },
  hookCommandBody(env) {
    const expand = (s) => s.replace(/\$\{?(MTX_[A-Z_]+)\}?/g, (_, name) => env[name] ?? "");
    return expand('{"path":"$MTX_PATH","query":"$MTX_QUERY","sourceType":"$MTX_SOURCE_TYPE","sourceId":"$MTX_SOURCE_ID"}');
  },
  // A path exists from the publisher's auth on; until its tracks are set up
  // it is not available: no times, no tracks, no bytes.
  pathItem(p, nowMs) {
    const at = p.available ? new Date(p.availableAtMs).toISOString() : null;
    const inbound = p.available ? Math.floor((nowMs - p.availableAtMs) * 312.5) : 0;
    return {
      name: p.name, confName: "all_others", ready: p.available, readyTime: at, available: p.available, availableTime: at,
      online: p.available, onlineTime: at, source: { type: "rtmpConn", id: p.sourceId },
      tracks: p.available ? ["H264", "MPEG-4 Audio"] : [],
      tracks2: p.available ? [{ codec: "H264", codecProps: { width: 1280, height: 720, profile: "High", level: "3.1" } },
                              { codec: "MPEG-4 Audio", codecProps: { sampleRate: 44100, channelCount: 2 } }] : [],
      readers: [], inboundBytes: inbound, outboundBytes: 0, inboundFramesInError: 0, bytesReceived: inbound, bytesSent: 0,
    };
  },

};

module.exports = { Real, styledJson, goJson, goQueryEscape, zlm, mtx, DEFAULT_VHOST, ZLM_SCHEMAS, ZLM_HOOKS };
