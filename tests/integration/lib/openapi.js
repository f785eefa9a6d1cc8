// docs/openapi.json as a response checker: lib/server.js's api() hands every
// answer to checkResponse(), which finds the documented operation (method +
// path template, literal segments before parameters, as the router matches),
// the documented response for the status (exact, then 4XX/5XX, then default)
// and validates a JSON body against its schema with ajv (JSON Schema 2020-12,
// the dialect of OpenAPI 3.1). Requests the document does not describe
// (unrouted paths, HEAD/OPTIONS, undocumented static routes) are not checked.
// A request the server accepted (2xx) is checked too: its JSON body must be
// one the document allows.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const DOC_FILE = path.join(__dirname, "..", "..", "..", "docs", "openapi.json");
const METHODS = ["get", "put", "post", "delete", "patch"];

let cached = null;

// The document's component schemas become one ajv schema ("openapi", with
// them under $defs), so "#/components/schemas/X" refs are rewritten to it.
function rewriteRefs(value) {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = k === "$ref" && typeof v === "string" && v.startsWith("#/components/schemas/")
        ? "openapi#/$defs/" + v.slice("#/components/schemas/".length)
        : rewriteRefs(v);
    }
    return out;
  }
  return value;
}

function load() {
  if (cached) return cached;
  const Ajv2020 = require("ajv/dist/2020");
  const addFormats = require("ajv-formats");
  const doc = JSON.parse(fs.readFileSync(DOC_FILE, "utf8"));
  const ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: "openapi", $defs: rewriteRefs(doc.components.schemas) });
  const responses = doc.components.responses || {};
  const resolveResponse = (r) => (r && r.$ref ? responses[r.$ref.split("/").pop()] : r);
  const operations = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    const segments = template.split("/").slice(1);
    const pattern = new RegExp("^/" + segments.map((s) => (/^\{.+\}$/.test(s) ? "[^/]+" : s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("/") + "$");
    for (const method of METHODS) {
      if (!item[method]) continue;
      operations.push({ method: method.toUpperCase(), template, segments, pattern, operation: item[method] });
    }
  }
  // Literal segments before parameters, position by position (the router's order).
  operations.sort((a, b) => {
    for (let i = 0; i < Math.min(a.segments.length, b.segments.length); i++) {
      const pa = a.segments[i].startsWith("{");
      const pb = b.segments[i].startsWith("{");
      if (pa !== pb) return pa ? 1 : -1;
    }
    return 0;
  });
  const validators = new Map();
  const validatorFor = (key, schema) => {
    if (!validators.has(key)) validators.set(key, ajv.compile(rewriteRefs(schema)));
    return validators.get(key);
  };
  cached = { doc, operations, resolveResponse, validatorFor };
  return cached;
}

// The documented operation a request reaches, or null.
function findOperation(method, urlPath) {
  const { operations } = load();
  let p = urlPath.split("?")[0];
  if (p.length > 1 && p.endsWith("/")) p = p.slice(0, -1);
  // A path matching several templates goes to the first (most literal) one
  // routed for any method; only that one's methods count, as in the router.
  const matching = operations.filter((o) => o.pattern.test(p));
  if (matching.length === 0) return null;
  const forMethod = matching.filter((o) => o.method === method);
  return forMethod[0] || null;
}

function problemsOf(validate) {
  return validate.errors.map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`).join("\n  ");
}

// A request the server accepted (2xx) must be one the document allows: its
// JSON body matches the operation's requestBody schema, and a required body
// was sent. (Refused requests are the tests of validation, not checked.)
function checkAcceptedRequest(found, upper, urlPath, status, requestText) {
  const requestBody = found.operation.requestBody;
  const where = `${upper} ${found.template} (${urlPath}) accepted (${status})`;
  if (requestText === undefined || requestText === null || requestText === "") {
    if (requestBody && requestBody.required) throw new Error(`${where} a request without the body docs/openapi.json requires`);
    return;
  }
  if (typeof requestText !== "string") return;  // not JSON (a stream, a buffer)
  const schema = requestBody && requestBody.content && requestBody.content["application/json"] &&
    requestBody.content["application/json"].schema;
  if (!requestBody) throw new Error(`${where} a request body docs/openapi.json does not document: ${requestText.slice(0, 300)}`);
  let parsed;
  try { parsed = JSON.parse(requestText); } catch { return; }
  if (!schema) return;
  const validate = load().validatorFor(`${upper} ${found.template} request`, schema);
  if (!validate(parsed)) {
    throw new Error(`${where} a request body that does not match docs/openapi.json:\n  ${problemsOf(validate)}\nbody: ${requestText.slice(0, 1000)}`);
  }
}

// Throws when a documented operation answered what the document does not say,
// or accepted a request body it does not allow.
function checkResponse(method, urlPath, status, contentType, text, requestText) {
  const upper = method.toUpperCase();
  if (upper === "HEAD" || upper === "OPTIONS") return;
  const found = findOperation(upper, urlPath);
  if (!found) return;
  if (status >= 200 && status < 300) checkAcceptedRequest(found, upper, urlPath, status, requestText);
  const { resolveResponse, validatorFor } = load();
  const responses = found.operation.responses;
  const code = String(status);
  const key = responses[code] ? code : responses[`${code[0]}XX`] ? `${code[0]}XX` : responses.default ? "default" : null;
  const where = `${upper} ${found.template} (${urlPath}) answered ${status}`;
  if (!key) throw new Error(`${where}: status not in docs/openapi.json\n${text.slice(0, 500)}`);
  const documented = resolveResponse(responses[key]);
  const mediaType = (contentType || "").split(";")[0].trim().toLowerCase();
  if (!documented.content) {
    if (text.length > 0) throw new Error(`${where}: docs/openapi.json documents no body, got ${mediaType}: ${text.slice(0, 300)}`);
    return;
  }
  if (!mediaType && text.length === 0) throw new Error(`${where}: empty body, docs/openapi.json documents one`);
  const content = documented.content[mediaType];
  if (!content) {
    throw new Error(`${where}: content-type ${mediaType} not documented (${Object.keys(documented.content).join(", ")})`);
  }
  if (mediaType !== "application/json" || !content.schema) return;
  let body;
  try { body = JSON.parse(text); } catch { throw new Error(`${where}: application/json body does not parse: ${text.slice(0, 300)}`); }
  const validate = validatorFor(`${upper} ${found.template} ${key}`, content.schema);
  if (!validate(body)) {
    throw new Error(`${where}: body does not match docs/openapi.json:\n  ${problemsOf(validate)}\nbody: ${text.slice(0, 1500)}`);
  }
}

// Throws unless a webhook delivery (the parsed JSON body and the request's
// headers, names in lower case) is what the document's `webhooks` section
// says of its event type: for receivers in the webhook suites.
function checkWebhookDelivery(body, headers) {
  const { doc, validatorFor } = load();
  const type = body && body.type;
  const item = doc.webhooks[type];
  if (!item) throw new Error(`webhook event type ${JSON.stringify(type)} is not in docs/openapi.json`);
  const operation = item.post;
  const validate = validatorFor(`webhook ${type}`, operation.requestBody.content["application/json"].schema);
  if (!validate(body)) {
    throw new Error(`webhook ${type} does not match docs/openapi.json:\n  ${problemsOf(validate)}\nbody: ${JSON.stringify(body).slice(0, 1500)}`);
  }
  for (const p of operation.parameters.filter((x) => x.in === "header")) {
    const value = headers[p.name.toLowerCase()];
    if (value === undefined) {
      if (p.required) throw new Error(`webhook ${type} without the ${p.name} header`);
      continue;
    }
    const check = validatorFor(`webhook header ${p.name}`, p.schema);
    if (!check(value)) throw new Error(`webhook ${type} header ${p.name}: ${problemsOf(check)} (${value})`);
  }
}

module.exports = { checkResponse, checkWebhookDelivery, findOperation, load, DOC_FILE };
