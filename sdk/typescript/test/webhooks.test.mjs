// verifyWebhook against deliveries signed by the independent Standard
// Webhooks library: what it signs, we accept; anything altered, we refuse.
import test from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

import { verifyWebhook, WebhookVerificationError } from "../dist/index.js";

const secret = () => "whsec_" + randomBytes(24).toString("base64");

function delivery(key, { at = new Date(), id = "evt_" + randomBytes(16).toString("hex"), body } = {}) {
  const payload = body ?? JSON.stringify({
    type: "livestream.started",
    timestamp: at.toISOString(),
    sequence: 2,
    data: { id: "6c0e4c4e-8a43-4b8e-9a3e-0a9d8f1c2b3d", status: "STARTED" },
  });
  const headers = {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(key).sign(id, at, payload),
  };
  return { headers, payload };
}

test("a delivery signed by the standardwebhooks library verifies and parses", () => {
  const key = secret();
  const { headers, payload } = delivery(key);
  const event = verifyWebhook(headers, payload, key);
  assert.equal(event.type, "livestream.started");
  assert.equal(event.sequence, 2);
  assert.equal(event.data.status, "STARTED");
  // The same from bytes and from a Fetch API Headers bag.
  assert.equal(verifyWebhook(new Headers(headers), Buffer.from(payload), key).type, "livestream.started");
});

test("header names are matched whatever their case", () => {
  const key = secret();
  const { headers, payload } = delivery(key);
  const shouted = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
  assert.equal(verifyWebhook(shouted, payload, key).type, "livestream.started");
});

test("a changed body, id or timestamp, or another secret, is refused", () => {
  const key = secret();
  const { headers, payload } = delivery(key);
  const refused = (h, b, k, message) =>
    assert.throws(() => verifyWebhook(h, b, k), (e) => e instanceof WebhookVerificationError && e.message === message);
  refused(headers, payload.replace("STARTED", "ENDED"), key, "No matching signature");
  refused({ ...headers, "webhook-id": "evt_other" }, payload, key, "No matching signature");
  refused({ ...headers, "webhook-timestamp": String(Number(headers["webhook-timestamp"]) - 1) }, payload, key,
    "No matching signature");
  refused(headers, payload, secret(), "No matching signature");
  refused({ ...headers, "webhook-signature": "v2," + headers["webhook-signature"].slice(3) }, payload, key,
    "No matching signature");
});

test("a stale or future timestamp is refused even with a good signature", () => {
  const key = secret();
  const old = delivery(key, { at: new Date(Date.now() - 10 * 60 * 1000) });
  assert.throws(() => verifyWebhook(old.headers, old.payload, key), /too old/);
  const ahead = delivery(key, { at: new Date(Date.now() + 10 * 60 * 1000) });
  assert.throws(() => verifyWebhook(ahead.headers, ahead.payload, key), /in the future/);
  // A wider tolerance, or the time it was sent, accepts the old one.
  assert.equal(verifyWebhook(old.headers, old.payload, key, { toleranceSeconds: 3600 }).sequence, 2);
});

test("during a rotation either secret verifies, and several signatures are tried", () => {
  const oldKey = secret();
  const newKey = secret();
  const at = new Date();
  const signedOld = delivery(oldKey, { at, id: "evt_rot" });
  const signedNew = delivery(newKey, { at, id: "evt_rot", body: signedOld.payload });
  const both = { ...signedOld.headers,
    "webhook-signature": `${signedNew.headers["webhook-signature"]} ${signedOld.headers["webhook-signature"]}` };
  assert.equal(verifyWebhook(both, signedOld.payload, oldKey).type, "livestream.started");
  assert.equal(verifyWebhook(both, signedOld.payload, newKey).type, "livestream.started");
  assert.equal(verifyWebhook(signedOld.headers, signedOld.payload, [newKey, oldKey]).type, "livestream.started");
});

test("missing headers, a bad secret and a body that is not an event are clear errors", () => {
  const key = secret();
  const { headers, payload } = delivery(key);
  for (const name of ["webhook-id", "webhook-timestamp", "webhook-signature"]) {
    const without = { ...headers };
    delete without[name];
    assert.throws(() => verifyWebhook(without, payload, key), new RegExp(`Missing ${name} header`));
  }
  assert.throws(() => verifyWebhook({ ...headers, "webhook-timestamp": "soon" }, payload, key), /Invalid webhook-timestamp/);
  assert.throws(() => verifyWebhook(headers, payload, "whsec_not base64!"), /not a whsec_ secret/);
  assert.throws(() => verifyWebhook(headers, payload, []), /No webhook secret/);
  const notEvent = delivery(key, { body: JSON.stringify({ hello: "world" }) });
  assert.throws(() => verifyWebhook(notEvent.headers, notEvent.payload, key), /not a LunarStream event/);
  const notJson = delivery(key, { body: "<html>" });
  assert.throws(() => verifyWebhook(notJson.headers, notJson.payload, key), /not JSON/);
});
