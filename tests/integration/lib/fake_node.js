// A fake external media node (ZLMediaKit or MediaMTX) for the integration
// tests: it sends LunarStream the hook calls those servers send, byte for byte
// in shape (field names, types, key order, JSON layout, retries), and answers
// the parts of their HTTP APIs that LunarStream calls. Neither server can be
// installed in CI; what each one sends is documented with its source in
// tests/fixtures/{zlmediakit,mediamtx}/hooks/README.md.
//
// This file is both the module and the node: startFakeNode() spawns
// `node fake_node.js <json config>` so that crash() is a real SIGKILL (no more
// keepalives, API port refusing). The test talks to the child over a control
// HTTP endpoint on 127.0.0.1; the child streams every hook it sends and every
// API call it receives back on stdout, so the logs survive a crash.
//
//   const node = await startFakeNode({ type: "zlmediakit", apiSecret: "s3cret",
//     hooks: { on_publish: server.url("/api/v1/hooks/zlmediakit/on_publish?secret=" + hookSecret), ... } });
//   const { allowed } = await node.publish({ stream: key, params: `pushToken=${token}` });
//   await node.waitForHook((h) => h.name === "on_stream_changed" && h.body.schema === "hls");
//   (await node.apiLog()).find((c) => c.path === "/index/api/close_streams");
//   await node.crash();  await node.restart();  await node.stop();
//
// MediaMTX: publish({ path: "live/<key>", query }), read({ path }),
// unpublish(path), dropPublisher(path); its API answers /v3/paths/list,
// /v3/paths/get/<name> and POST /v3/rtmpconns/kick/<id>.
"use strict";
const crypto = require("node:crypto");
const http = require("node:http");
const https = require("node:https");
const { spawn } = require("node:child_process");

const { Real, styledJson, goJson, goQueryEscape, zlm, mtx, DEFAULT_VHOST, ZLM_SCHEMAS, ZLM_HOOKS } = require("./fake_node_wire");

// ---------------------------------------------------------------- child side

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const shuffled = (list, on) => {
  const out = [...list];
  for (let i = out.length - 1; on && i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
};

// One POST; resolves {status, text} or {error} (refused, reset, timeout).
function post(url, body, headers, timeoutMs) {
  return new Promise((resolve) => {
    let u;
    try { u = new URL(url); } catch { resolve({ error: "bad url" }); return; }
    const req = (u.protocol === "https:" ? https : http).request(u, {
      method: "POST", agent: false, headers: { ...headers, "Content-Length": Buffer.byteLength(body) },
    }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => { text += c; });
      res.on("end", () => { clearTimeout(timer); resolve({ status: res.statusCode, text }); });
      res.on("error", (e) => { clearTimeout(timer); resolve({ error: e.code || e.message }); });
    });
    const timer = setTimeout(() => req.destroy(new Error("timeout")), timeoutMs);
    req.on("error", (e) => { clearTimeout(timer); resolve({ error: e.code || e.message }); });
    req.end(body);
  });
}

const parseJson = (text) => { try { return JSON.parse(text); } catch { return undefined; } };

// The child's handles are unref'd so a test that forgets stop() still exits;
// while the parent waits on the child, a timer keeps its loop alive.
async function held(promise) {
  const keep = setInterval(() => {}, 1000);
  try { return await promise; } finally { clearInterval(keep); }
}

class Child {
  constructor(cfg) {
    this.cfg = cfg;
    this.logged = 0;
    this.api = { delayMs: 0, fail: null };
    this.timers = new Set();
  }

  emit(kind, entry) {
    this.logged++;
    process.stdout.write(JSON.stringify({ log: kind, entry: { ...entry, at: Date.now() } }) + "\n");
  }

  later(ms, fn) {
    const t = setTimeout(() => { this.timers.delete(t); fn(); }, ms);
    this.timers.add(t);
    return t;
  }

  cancel(t) {
    clearTimeout(t);
    this.timers.delete(t);
  }

  async listen() {
    this.control = http.createServer((req, res) => this.onControl(req, res));
    await new Promise((resolve) => this.control.listen(this.cfg.controlPort || 0, "127.0.0.1", resolve));
    await this.openApi();
    process.stdout.write(JSON.stringify({ ready: { apiPort: this.apiPort, controlPort: this.control.address().port } }) + "\n");
  }

  async openApi() {
    this.apiSockets = new Set();
    this.apiServer = http.createServer((req, res) => this.onApiRequest(req, res));
    this.apiServer.on("connection", (s) => { this.apiSockets.add(s); s.on("close", () => this.apiSockets.delete(s)); });
    for (let attempt = 0; ; attempt++) {
      try {
        await new Promise((resolve, reject) => {
          this.apiServer.once("error", reject);
          this.apiServer.listen(this.apiPort || this.cfg.apiPort || 0, "127.0.0.1", resolve);
        });
        break;
      } catch (e) {
        if (e.code !== "EADDRINUSE" || attempt > 50) throw e;
        await sleep(100);
      }
    }
    this.apiPort = this.apiServer.address().port;
  }

  async closeApi() {
    if (!this.apiServer) return;
    const closed = new Promise((resolve) => this.apiServer.close(resolve));
    for (const s of this.apiSockets) s.destroy();
    await closed;
    this.apiServer = null;
  }

  async onControl(req, res) {
    let body = "";
    for await (const chunk of req) body += chunk;
    const { method, args = [] } = parseJson(body) || {};
    const reply = (status, value) => res.writeHead(status, { "content-type": "application/json" })
      .end(JSON.stringify({ ...value, logged: this.logged }));
    if (method === "sync") { reply(200, {}); return; }
    if (method === "stop") { reply(200, {}); await this.shutdown(); process.exit(0); }
    if (!this.rpc.includes(method)) { reply(404, { error: `no method ${method}` }); return; }
    try {
      // JSON turns an omitted options argument into null; let defaults apply.
      reply(200, { result: await this[method](...args.map((a) => (a === null ? undefined : a))) });
    } catch (e) {
      reply(500, { error: e.stack || String(e) });
    }
  }

  async setApi({ delayMs = 0, fail = null } = {}) {
    if (![null, "500", "refuse", "code-1"].includes(fail)) throw new Error(`setApi: unknown fail ${fail}`);
    this.api = { delayMs, fail };
    if (fail === "refuse") await this.closeApi();
    else if (!this.apiServer) await this.openApi();
  }

  async onApiRequest(req, res) {
    let body = "";
    for await (const chunk of req) body += chunk;
    const u = new URL(req.url, "http://node");
    this.emit("api", { method: req.method, path: u.pathname, query: Object.fromEntries(u.searchParams), rawQuery: u.search.slice(1),
                       auth: req.headers.authorization || null, contentType: req.headers["content-type"] || null, body });
    if (this.api.delayMs) await sleep(this.api.delayMs);
    if (this.api.fail === "500") {
      res.writeHead(500, { "content-type": "text/plain" }).end("Internal Server Error");
      return;
    }
    await this.handleApi(req, res, u, body);
  }
}

// ZLMediaKit: hooks through do_http_hook, streams as one MediaSource per schema.
class ZlmChild extends Child {
  constructor(cfg) {
    super(cfg);
    this.rpc = ["publish", "unpublish", "dropPublisher", "notFound", "noneReader", "live", "setApi"];
    this.hookIndex = 0; // s_hook_index: from 0 per process, one per send, retries included
    this.sessionIndex = 0;
    this.streams = new Map(); // "app/stream" -> record
  }

  async start() {
    await this.listen();
    this.hook("on_server_started", zlm.config({ ...this.cfg, apiPort: this.apiPort }));
    const every = this.cfg.aliveIntervalSeconds * 1000;
    const tick = () => {
      this.keepaliveTimer = setTimeout(tick, every);
      this.hook("on_server_keepalive", { data: this.statistics() });
    };
    if (this.cfg.hooks.on_server_keepalive) this.keepaliveTimer = setTimeout(tick, every);
  }

  statistics() {
    let sources = 0;
    for (const rec of this.streams.values()) sources += rec.schemas.size;
    return zlm.statistics({ sources, muxers: this.streams.size, sessions: this.streams.size });
  }

  // do_http_hook + parse_http_response: only HTTP 200 with JSON whose `code`
  // is an integer counts as an answer; anything else is retried after
  // retry_delay, `retry` times. A non-zero code is a final refusal.
  async hook(name, body, retry = this.cfg.retry) {
    const url = this.cfg.hooks[name];
    if (!url) return { sent: false, ok: true, answer: null };
    for (let attempt = 1; ; attempt++) {
      body.mediaServerId = this.cfg.mediaServerId;
      body.hook_index = this.hookIndex++;
      const raw = styledJson(body);
      const headers = { "Content-Type": "application/json", "User-Agent": "ZLMediaKit(git hash:fake/fake,branch:fake,build time:fake)",
                        Accept: "*/*", "Accept-Language": "zh-CN,zh;q=0.8", Connection: "keep-alive" };
      if (body.vhost !== undefined) headers["X-VHOST"] = body.vhost;
      const res = await post(url, raw, headers, this.cfg.hookTimeoutMs);
      const answer = res.text === undefined ? undefined : parseJson(res.text);
      let err = null;
      let retryable = true;
      if (res.error) err = `[network err]:${res.error}`;
      else if (res.status !== 200) err = `[bad http status code]:${res.status}`;
      else if (answer === undefined) err = "[parse json failed]";
      else if (!Number.isInteger(answer?.code)) err = `[json code]:code not int:${JSON.stringify(answer?.code)}`;
      else if (answer.code !== 0) { err = `[auth failed]: code:${answer.code} msg:${answer.msg}`; retryable = false; }
      this.emit("hook", { name, url, attempt, hookIndex: body.hook_index, body: JSON.parse(raw), raw,
                          status: res.status ?? null, answer: answer ?? null, answerText: res.text ?? null, error: err });
      if (!err) return { sent: true, ok: true, answer };
      if (!(retryable && retry-- > 0)) return { sent: true, ok: false, answer: answer ?? null, error: err };
      await sleep(this.cfg.retryDelayMs);
    }
  }

  newSession(ip, port) {
    this.sessionIndex++;
    return { id: `${this.sessionIndex}-${20 + this.sessionIndex}`, ip, port: port || 50000 + this.sessionIndex };
  }

  // RtmpSession::onCmd_publish: ask on_publish, then either take over a
  // source left by a dropped publisher (continue_push_ms), refuse a second
  // publisher, or create the source, whose muxers then register one by one.
  async publish({ stream, params = "", app = "live", schema = "rtmp", ip = "127.0.0.1", port } = {}) {
    const session = this.newSession(ip, port);
    const verdict = await this.hook("on_publish", zlm.publishBody({ schema, app, stream, params, ip, port: session.port, id: session.id }));
    if (!verdict.ok) return { allowed: false, answer: verdict.answer, error: verdict.error };
    const key = `${app}/${stream}`;
    const existing = this.streams.get(key);
    if (existing && !existing.dropped) return { allowed: false, answer: verdict.answer, refused: "Already publishing." };
    if (existing) {
      this.cancel(existing.dropTimer);
      Object.assign(existing, { dropped: false, session });
      return { allowed: true, answer: verdict.answer, resumed: true };
    }
    const option = (k, fallback) => (verdict.answer && verdict.answer[k] !== undefined ? verdict.answer[k] : fallback);
    const enabled = (k) => !["0", "false", 0, false].includes(option(k, 1));
    const rec = { app, stream, vhost: DEFAULT_VHOST, params, session, createdAtMs: Date.now(), schemas: new Set(), pending: new Set(),
                  dropped: false, continuePushMs: Number(option("continue_push_ms", this.cfg.continuePushMs)) };
    this.streams.set(key, rec);
    for (const s of shuffled(ZLM_SCHEMAS.filter((s) => enabled(`enable_${s}`)), this.cfg.shuffle)) this.regist(rec, s);
    if (enabled("enable_hls") && this.cfg.hlsDelayMs !== null) {
      const t = this.later(this.cfg.hlsDelayMs, () => { rec.pending.delete(t); this.regist(rec, "hls"); });
      rec.pending.add(t);
    }
    return { allowed: true, answer: verdict.answer };
  }

  regist(rec, schema) {
    rec.schemas.add(schema);
    this.hook("on_stream_changed", { ...zlm.sourceJson(rec, schema, Date.now()), regist: true });
  }

  // The source goes away: every registered schema unregisters, in no set order.
  remove(rec, lose = []) {
    if (this.streams.get(`${rec.app}/${rec.stream}`) !== rec) return;
    this.streams.delete(`${rec.app}/${rec.stream}`);
    for (const t of rec.pending) this.cancel(t);
    this.cancel(rec.dropTimer);
    const schemas = shuffled([...rec.schemas], this.cfg.shuffle);
    rec.schemas.clear();
    for (const s of schemas) if (!lose.includes(s)) this.hook("on_stream_changed", zlm.unregistBody(rec, s));
  }

  find(stream, app) {
    const rec = this.streams.get(`${app}/${stream}`);
    if (!rec) throw new Error(`no live stream ${app}/${stream}`);
    return rec;
  }

  // deleteStream (a clean unpublish): the source goes at once.
  async unpublish(stream, { app = "live", lose = [] } = {}) {
    this.remove(this.find(stream, app), lose);
    return { removed: true };
  }

  // The TCP connection breaks without deleteStream: the source stays for
  // continue_push_ms (a reconnect takes it over), then goes.
  async dropPublisher(stream, { app = "live", lose = [] } = {}) {
    const rec = this.find(stream, app);
    rec.dropped = true;
    rec.dropTimer = this.later(rec.continuePushMs, () => this.remove(rec, lose));
    return { removeInMs: rec.continuePushMs };
  }

  async notFound(stream, { app = "live", schema = "rtmp", params = "", ip = "127.0.0.1", port } = {}) {
    const session = this.newSession(ip, port);
    const body = { schema, protocol: schema, vhost: DEFAULT_VHOST, app, stream, params, ip, port: session.port, id: session.id };
    const verdict = await this.hook("on_stream_not_found", body);
    return { answer: verdict.answer, ok: verdict.ok, closePlayer: Boolean(verdict.answer && verdict.answer.close) };
  }

  // An answer {"code":0,"close":true} makes ZLMediaKit close the source.
  async noneReader(stream, { app = "live", schema = "rtmp" } = {}) {
    const rec = this.find(stream, app);
    const verdict = await this.hook("on_stream_none_reader", { schema, vhost: rec.vhost, app, stream, params: rec.params });
    const close = verdict.ok && Boolean(verdict.answer && verdict.answer.close);
    if (close) this.remove(rec);
    return { answer: verdict.answer, ok: verdict.ok, closed: close };
  }

  async live() {
    return [...this.streams.values()].map((r) => ({ app: r.app, stream: r.stream, params: r.params, schemas: [...r.schemas], dropped: r.dropped }));
  }

  async shutdown() {
    clearTimeout(this.keepaliveTimer);
    for (const t of this.timers) clearTimeout(t);
    // main.cpp: unInstallWebHook() (no more stream hooks), onProcessExited(),
    // then one second before exit, so a retry of on_server_exited never goes.
    if (this.cfg.hooks.on_server_exited) await Promise.race([this.hook("on_server_exited", {}, 0), sleep(1000)]);
  }

  // server/WebApi.cpp: every answer is HTTP 200 with a JSON code.
  async handleApi(req, res, u, body) {
    const send = (value, extra = {}) => res.writeHead(200, { "Content-Type": "application/json; charset=utf-8", ...extra }).end(styledJson(value));
    const name = u.pathname.toLowerCase();
    const routes = { "/index/api/getmedialist": "getMediaList", "/index/api/close_streams": "closeStreams" };
    if (!routes[name]) { res.writeHead(404, { "Content-Type": "text/html" }).end("<h1>404 Not Found</h1>"); return; }
    // getAllArgs(): a form or JSON body, then the URL's arguments over it;
    // `secret` may also come as a header.
    const args = {};
    const type = req.headers["content-type"] || "";
    if (type.startsWith("application/x-www-form-urlencoded")) Object.assign(args, Object.fromEntries(new URLSearchParams(body)));
    else if (type.startsWith("application/json")) for (const [k, v] of Object.entries(parseJson(body) || {})) args[k] = String(v);
    Object.assign(args, Object.fromEntries(u.searchParams));
    const secret = args.secret ?? req.headers.secret;
    if (secret !== this.cfg.apiSecret) {
      // check_secret(): no login cookie and a missing or wrong secret answer
      // "Please login first" (the "Incorrect secret" error is swallowed), and
      // the connection is shut down after the answer.
      const cookie = crypto.randomBytes(16).toString("hex");
      send({ code: -100, msg: "Please login first", cookie }, { "Set-Cookie": `ZLM_UNLOGIN=${cookie}; path=/`, Connection: "close" });
      return;
    }
    if (this.api.fail === "code-1") { send({ code: -1, msg: "fake failure" }); return; }
    send(this[routes[name]](args));
  }

  // MediaSource::for_each_media: every source (one per schema), an empty
  // filter matching anything.
  sources(args) {
    const out = [];
    for (const rec of this.streams.values()) {
      if ((args.vhost && args.vhost !== rec.vhost) || (args.app && args.app !== rec.app) || (args.stream && args.stream !== rec.stream)) continue;
      for (const schema of [...rec.schemas].sort()) if (!args.schema || args.schema === schema) out.push({ rec, schema });
    }
    return out;
  }

  // No matching source: {"code":0} with no "data" key at all.
  getMediaList(args) {
    const now = Date.now();
    const list = this.sources(args);
    return list.length ? { code: 0, data: list.map(({ rec, schema }) => zlm.sourceJson(rec, schema, now)) } : { code: 0 };
  }

  // Counts every matching source; the close itself runs after the answer.
  closeStreams(args) {
    const hits = this.sources(args);
    const recs = new Set(hits.map((h) => h.rec));
    setImmediate(() => { for (const rec of recs) this.remove(rec); });
    return { code: 0, count_hit: hits.length, count_closed: hits.length };
  }
}

// MediaMTX: external HTTP auth for publish, read and API calls; the path's
// runOnAvailable / runOnUnavailable commands as our docs configure them.
class MtxChild extends Child {
  constructor(cfg) {
    super(cfg);
    this.rpc = ["publish", "read", "unpublish", "dropPublisher", "live", "setApi"];
    this.paths = new Map();
  }

  async start() {
    await this.listen();
  }

  // authenticateHTTP(): any 2xx allows; no retry.
  async auth(body) {
    const url = this.cfg.hooks.auth;
    if (!url) return { ok: true, status: null };
    const raw = goJson(body);
    const res = await post(url, raw, { "Content-Type": "application/json", "User-Agent": "Go-http-client/1.1", "Accept-Encoding": "gzip" },
                           this.cfg.hookTimeoutMs);
    const ok = !res.error && res.status >= 200 && res.status <= 299;
    this.emit("hook", { name: "auth", url, attempt: 1, body: JSON.parse(raw), raw, status: res.status ?? null,
                        answer: res.text === undefined ? null : parseJson(res.text) ?? null, answerText: res.text ?? null,
                        error: ok ? null : res.error || `server replied with code ${res.status}` });
    return { ok, status: res.status ?? null, answerText: res.text ?? null, error: res.error || null };
  }

  // What `curl -fsS -X POST URL -H 'Content-Type: application/json' -d ...` sends.
  async runCommand(name, p) {
    const url = this.cfg.hooks[name];
    if (!url) return;
    const raw = mtx.hookCommandBody({ MTX_PATH: p.name, MTX_QUERY: this.cfg.rawQueryEnv ? p.query : goQueryEscape(p.query),
                                      MTX_SOURCE_TYPE: "rtmpConn", MTX_SOURCE_ID: p.sourceId });
    const res = await post(url, raw, { "User-Agent": "curl/7.88.1", Accept: "*/*", "Content-Type": "application/json" }, 30000);
    this.emit("hook", { name, url, attempt: 1, body: parseJson(raw) ?? null, raw, status: res.status ?? null,
                        answer: res.text === undefined ? null : parseJson(res.text) ?? null, answerText: res.text ?? null,
                        error: res.error || (res.status >= 400 ? `curl: (22) The requested URL returned error: ${res.status}` : null) });
  }

  async publish({ path: name, query = "", protocol = "rtmp", ip = "127.0.0.1", port, userAgent = "FMLE/3.0 (compatible; FMSc/1.0)" } = {}) {
    const q = new URLSearchParams(query);
    const user = q.get("user") || "";
    const password = q.get("pass") || "";
    const id = crypto.randomUUID();
    const verdict = await this.auth(mtx.authBody({ ip, user, password, token: mtx.token(protocol, query, password), action: "publish",
                                                  path: name, protocol, id, query, userAgent }));
    if (!verdict.ok) return { allowed: false, ...verdict };
    const existing = this.paths.get(name);
    if (existing) {
      if (!this.cfg.overridePublisher) return { allowed: false, ...verdict, refused: `someone is already publishing to path '${name}'` };
      this.remove(existing);
    }
    const now = Date.now();
    const p = { name, query, sourceId: id, user, ip, port: port || 40000 + crypto.randomInt(20000), userAgent, createdAtMs: now,
                availableAtMs: now, available: false };
    this.paths.set(name, p);
    p.readyTimer = this.later(this.cfg.readyDelayMs, () => {
      p.available = true;
      p.availableAtMs = Date.now();
      this.runCommand("ready", p);
    });
    return { allowed: true, ...verdict, id };
  }

  async read({ path: name, query = "", protocol = "hls", ip = "127.0.0.1", userAgent = "" } = {}) {
    const q = new URLSearchParams(query);
    const password = protocol === "hls" ? "" : q.get("pass") || "";
    const body = mtx.authBody({ ip, user: protocol === "hls" ? "" : q.get("user") || "", password, token: mtx.token(protocol, query, password),
                                action: "read", path: name, protocol, id: protocol === "hls" ? null : crypto.randomUUID(), query, userAgent });
    const verdict = await this.auth(body);
    return { allowed: verdict.ok, ...verdict };
  }

  remove(p) {
    if (this.paths.get(p.name) !== p) return;
    this.paths.delete(p.name);
    this.cancel(p.readyTimer);
    this.cancel(p.dropTimer);
    if (p.available) this.runCommand("notReady", p);
  }

  find(name) {
    const p = this.paths.get(name);
    if (!p) throw new Error(`no path ${name}`);
    return p;
  }

  async unpublish(name) {
    this.remove(this.find(name));
    return { removed: true };
  }

  // A publisher that goes silent is closed after readTimeout (10 s).
  async dropPublisher(name) {
    const p = this.find(name);
    p.dropTimer = this.later(this.cfg.readTimeoutMs, () => this.remove(p));
    return { removeInMs: this.cfg.readTimeoutMs };
  }

  async live() {
    return [...this.paths.values()].map((p) => ({ path: p.name, query: p.query, id: p.sourceId, available: p.available }));
  }

  // On a clean exit every path closes and its runOnUnavailable runs.
  async shutdown() {
    const available = [...this.paths.values()].filter((p) => p.available);
    for (const t of this.timers) clearTimeout(t);
    await Promise.all(available.map((p) => { this.paths.delete(p.name); return this.runCommand("notReady", p); }));
  }

  // internal/api: every route behind the auth middleware (action "api").
  async handleApi(req, res, u) {
    const send = (status, value, extra = {}) => res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", ...extra })
      .end(goJson(value));
    const creds = { user: "", password: "", token: "" };
    const authz = req.headers.authorization || "";
    if (authz.startsWith("Bearer ")) {
      const parts = authz.slice(7).split(":");
      if (parts.length === 2) [creds.user, creds.password] = parts;
      else creds.token = authz.slice(7);
    } else if (authz.startsWith("Basic ")) {
      const text = Buffer.from(authz.slice(6), "base64").toString();
      const colon = text.indexOf(":");
      if (colon >= 0) [creds.user, creds.password] = [text.slice(0, colon), text.slice(colon + 1)];
    }
    let ok;
    if (this.cfg.apiAuth === "hook") {
      const ip = (req.socket.remoteAddress || "").replace(/^::ffff:/, "");
      ok = (await this.auth(mtx.authBody({ ip, ...creds, token: creds.token || creds.password, action: "api",
                                           query: u.search.slice(1), userAgent: req.headers["user-agent"] || "" }))).ok;
    } else {
      ok = !this.cfg.apiSecret || (creds.user === "lunarstream" && creds.password === this.cfg.apiSecret);
    }
    if (!ok) {
      const ask = !creds.user && !creds.password && !creds.token;
      if (!ask && this.cfg.authFailDelayMs) await sleep(this.cfg.authFailDelayMs);
      send(401, { status: "error", error: "authentication error" }, ask ? { "WWW-Authenticate": 'Basic realm="mediamtx"' } : {});
      return;
    }
    if (this.api.fail === "code-1") { send(500, { status: "error", error: "fake failure" }); return; }
    const now = Date.now();
    const paths = [...this.paths.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    const page = (items) => {
      const per = u.searchParams.get("itemsPerPage") ? Number(u.searchParams.get("itemsPerPage")) : 100;
      const n = Number(u.searchParams.get("page") || 0);
      if (!Number.isInteger(per) || per <= 0 || !Number.isInteger(n) || n < 0) return null;
      return { itemCount: items.length, pageCount: Math.ceil(items.length / per), items: items.slice(n * per, (n + 1) * per) };
    };
    const route = `${req.method} ${u.pathname}`;
    let m;
    if (route === "GET /v3/paths/list") {
      const list = page(paths.map((p) => mtx.pathItem(p, now)));
      if (list) send(200, list);
      else send(400, { status: "error", error: "invalid items per page" });
    } else if (req.method === "GET" && (m = u.pathname.match(/^\/v3\/paths\/get\/(.+)$/))) {
      const p = this.paths.get(decodeURIComponent(m[1]));
      if (p) send(200, mtx.pathItem(p, now));
      else send(404, { status: "error", error: "path not found" });
    } else if (req.method === "POST" && (m = u.pathname.match(/^\/v3\/rtmpconns\/kick\/([^/]*)$/))) {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(m[1])) {
        send(400, { status: "error", error: m[1].length === 36 ? "invalid UUID format" : `invalid UUID length: ${m[1].length}` });
        return;
      }
      const p = [...this.paths.values()].find((x) => x.sourceId === m[1].toLowerCase());
      if (!p) send(404, { status: "error", error: "connection not found" });
      else { this.remove(p); send(200, { status: "ok" }); }
    } else {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("404 page not found");
    }
  }
}

// ---------------------------------------------------------------- parent side

// Options (defaults are the servers' own where they have one):
//   type               "zlmediakit" | "mediamtx"
//   hooks              full URLs, any may be absent. ZLMediaKit: on_publish,
//                      on_stream_changed, on_server_started, on_server_keepalive,
//                      on_server_exited, on_stream_not_found, on_stream_none_reader.
//                      MediaMTX: auth (authHTTPAddress), ready, notReady (the
//                      URLs of the docs' runOnAvailable / runOnUnavailable curl)
//   apiSecret          ZLMediaKit api.secret (default config.ini's); MediaMTX:
//                      the password of API user `lunarstream` when apiAuth is "local"
//   mediaServerId      "your_server_id"      aliveIntervalSeconds  10
//   retry              1                     retryDelayMs          3000
//   hookTimeoutMs      10000 (hook.timeoutSec; MediaMTX readTimeout)
//   continuePushMs     15000 (protocol.continue_push_ms)
//   hlsDelayMs         1000: the hls source registers after the others (null: never)
//   shuffle            true: schemas (un)register in random order
//   readyDelayMs       100: MediaMTX auth → path available (runOnAvailable)
//   readTimeoutMs      10000: MediaMTX closes a silent publisher after it
//   overridePublisher  false (as the docs configure; MediaMTX's own default is true)
//   rawQueryEnv        false: $MTX_QUERY raw, as MediaMTX before v1.18.1 passed it
//   apiAuth            "hook" when hooks.auth is set (MediaMTX asks the auth
//                      hook with action "api", as with authMethod: http), else "local"
//   authFailDelayMs    0: MediaMTX waits a random 0-4 s before a 401 for wrong credentials
function childConfig(options) {
  const type = options.type;
  if (type !== "zlmediakit" && type !== "mediamtx") throw new Error(`startFakeNode: type must be zlmediakit or mediamtx, not ${type}`);
  const hooks = { ...(options.hooks || {}) };
  return {
    type, hooks,
    apiSecret: options.apiSecret ?? (type === "zlmediakit" ? "035c73f7-bb6b-4889-a715-d9eb2d1925cc" : null),
    mediaServerId: options.mediaServerId ?? "your_server_id",
    aliveIntervalSeconds: options.aliveIntervalSeconds ?? 10,
    retry: options.retry ?? 1,
    retryDelayMs: options.retryDelayMs ?? 3000,
    hookTimeoutMs: options.hookTimeoutMs ?? 10000,
    continuePushMs: options.continuePushMs ?? 15000,
    hlsDelayMs: options.hlsDelayMs === undefined ? 1000 : options.hlsDelayMs,
    shuffle: options.shuffle ?? true,
    readyDelayMs: options.readyDelayMs ?? 100,
    readTimeoutMs: options.readTimeoutMs ?? 10000,
    overridePublisher: options.overridePublisher ?? false,
    rawQueryEnv: options.rawQueryEnv ?? false,
    apiAuth: options.apiAuth ?? (hooks.auth ? "hook" : "local"),
    authFailDelayMs: options.authFailDelayMs ?? 0,
    apiPort: 0,
  };
}

class FakeNode {
  constructor(cfg) {
    this.cfg = cfg;
    this.type = cfg.type;
    this.run = 0;
    this.logs = { hook: [], api: [] };
  }

  get apiUrl() {
    return `http://127.0.0.1:${this.cfg.apiPort}`;
  }

  get alive() {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
  }

  async spawnChild() {
    this.run++;
    const run = this.run;
    const child = spawn(process.execPath, [__filename, JSON.stringify(this.cfg)], { stdio: ["pipe", "pipe", "inherit"] });
    this.child = child;
    this.received = 0;
    this.closed = new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal })));
    child.unref(); // a test that forgets stop() still ends: the child exits when its stdin closes
    for (const s of [child.stdin, child.stdout]) s.unref?.();
    let buffered = "";
    let onReady;
    const ready = new Promise((resolve, reject) => {
      onReady = resolve;
      this.closed.then(({ code, signal }) => reject(new Error(`fake ${this.type} node exited (${code ?? signal}) before it was ready`)));
    });
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk) => {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const line = parseJson(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
        if (!line) continue;
        if (line.ready) onReady(line.ready);
        if (line.log) {
          this.logs[line.log].push({ run, ...line.entry });
          this.received++;
          this.wake?.();
        }
      }
    });
    const ports = await held(ready);
    this.cfg.apiPort = ports.apiPort;
    this.controlUrl = `http://127.0.0.1:${ports.controlPort}/`;
  }

  async call(method, ...args) {
    if (!this.alive) throw new Error(`fake ${this.type} node is not running (call ${method})`);
    const res = await fetch(this.controlUrl, { method: "POST", body: JSON.stringify({ method, args }) });
    const reply = await res.json();
    await this.caughtUp(reply.logged);
    if (reply.error) throw new Error(`fake ${this.type} node: ${reply.error}`);
    return reply.result;
  }

  // Every log line the child wrote before answering has arrived.
  async caughtUp(count) {
    while (this.received < count && this.alive) await new Promise((resolve) => { this.wake = resolve; setTimeout(resolve, 50); });
  }

  async sync() {
    if (this.alive) await this.call("sync").catch(() => {});
  }

  // Every hook sent, oldest first: {run, name, url, attempt, hookIndex, body,
  // raw, status, answer, answerText, error, at}. `run` counts (re)starts.
  async hookLog() {
    await this.sync();
    return this.logs.hook.slice();
  }

  // Every API call received: {run, method, path, query, rawQuery, auth, contentType, body, at}.
  async apiLog() {
    await this.sync();
    return this.logs.api.slice();
  }

  async waitForHook(predicate, { timeoutMs = 15000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = (await this.hookLog()).find(predicate);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`fake ${this.type} node: no matching hook in ${timeoutMs} ms`);
      await sleep(25);
    }
  }

  // Clean exit: ZLMediaKit sends on_server_exited, MediaMTX runs
  // runOnUnavailable for every live path.
  async stop() {
    if (!this.alive) return;
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
    await fetch(this.controlUrl, { method: "POST", body: JSON.stringify({ method: "stop" }) }).catch(() => {});
    await held(this.closed);
    clearTimeout(timer);
  }

  async crash() {
    if (!this.alive) return;
    this.child.kill("SIGKILL");
    await held(this.closed);
  }

  // A new process on the same API port: nothing live, hook_index from 0,
  // ZLMediaKit's first hook is on_server_started.
  async restart() {
    await this.stop();
    await this.spawnChild();
  }

  setApi(options) { return this.call("setApi", options); }
  live() { return this.call("live"); }
  publish(options) { return this.call("publish", options); }
  unpublish(name, options) { return this.call("unpublish", name, options); }
  dropPublisher(name, options) { return this.call("dropPublisher", name, options); }
  notFound(stream, options) { return this.call("notFound", stream, options); }
  noneReader(stream, options) { return this.call("noneReader", stream, options); }
  read(options) { return this.call("read", options); }
}

// Starts the node (options above) and resolves once its API listens.
async function startFakeNode(options) {
  const node = new FakeNode(childConfig(options));
  await node.spawnChild();
  return node;
}

if (require.main === module) {
  const cfg = JSON.parse(process.argv[2]);
  const node = cfg.type === "zlmediakit" ? new ZlmChild(cfg) : new MtxChild(cfg);
  process.stdin.on("end", () => process.exit(0));
  process.stdin.resume();
  node.start().catch((e) => { console.error(e); process.exit(1); });
}

module.exports = { startFakeNode, wire: { styledJson, goJson, goQueryEscape, Real, zlm, mtx } };
