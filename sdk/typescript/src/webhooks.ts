// Verifying a LunarStream webhook the Standard Webhooks way: HMAC-SHA256,
// keyed with the bytes of the endpoint's `whsec_` secret, over
// "<webhook-id>.<webhook-timestamp>.<raw body>", compared in constant time
// against every `v1,<base64>` of the webhook-signature header (during a
// secret rotation the sender signs with both secrets).
import { createHmac, timingSafeEqual } from "node:crypto";

import { WebhookVerificationError } from "./errors.js";
import type { Livestream, MediaServer } from "./types.js";

export type LivestreamEventType =
  | "livestream.created"
  | "livestream.started"
  | "livestream.ended"
  | "livestream.token_expired"
  | "livestream.deleted"
  | "livestream.push_token_regenerated";

export type MediaServerEventType = "media_server.offline" | "media_server.online";

interface EventBase {
  /** When the change happened (ISO-8601 UTC, milliseconds). */
  timestamp: string;
  /**
   * Per livestream (or media server), 1, 2, 3... in the order the changes
   * happened: deliveries may arrive late or twice, so order by this.
   */
  sequence: number;
}

export interface LivestreamWebhookEvent extends EventBase {
  type: LivestreamEventType;
  /** The livestream as the API shows it, without its push token. */
  data: Livestream;
}

export interface MediaServerWebhookEvent extends EventBase {
  type: MediaServerEventType;
  data: MediaServer;
}

/** What "send a test event" delivers. */
export interface TestWebhookEvent extends EventBase {
  type: "webhook.test";
  data: { endpointId: string; message: string };
}

export type WebhookEvent = LivestreamWebhookEvent | MediaServerWebhookEvent | TestWebhookEvent;

/** A header bag: the Fetch API's Headers, or Node's IncomingHttpHeaders. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyOptions {
  /** How far webhook-timestamp may be from now, in seconds (default 300). */
  toleranceSeconds?: number;
  /** The time to check against (default: the clock). */
  now?: Date;
}

const SECRET_PREFIX = "whsec_";

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const bag = headers as Record<string, string | string[] | undefined>;
  for (const key of Object.keys(bag)) {
    if (key.toLowerCase() !== name) continue;
    const value = bag[key];
    return Array.isArray(value) ? value.join(" ") : value;
  }
  return undefined;
}

function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (encoded.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
    throw new WebhookVerificationError("The webhook secret is not a whsec_ secret");
  }
  return Buffer.from(encoded, "base64");
}

function bodyBytes(body: string | Uint8Array): Buffer {
  return typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body);
}

function signatures(value: string): Buffer[] {
  const found: Buffer[] = [];
  for (const part of value.split(" ")) {
    const comma = part.indexOf(",");
    if (comma < 0 || part.slice(0, comma) !== "v1") continue;
    found.push(Buffer.from(part.slice(comma + 1), "base64"));
  }
  return found;
}

function isEvent(value: unknown): value is WebhookEvent {
  if (typeof value !== "object" || value === null) return false;
  const event = value as Record<string, unknown>;
  return (
    typeof event.type === "string" &&
    typeof event.timestamp === "string" &&
    typeof event.sequence === "number" &&
    typeof event.data === "object" &&
    event.data !== null
  );
}

/**
 * Checks a delivery's signature and age, then returns its event.
 *
 * Pass the body exactly as received (the raw string or bytes, before any JSON
 * parsing) and the endpoint's secret (or several, while you rotate it).
 * Throws WebhookVerificationError on a missing header, a stale or future
 * timestamp, a signature that matches no secret, or a body that is not an event.
 */
export function verifyWebhook(
  headers: WebhookHeaders,
  body: string | Uint8Array,
  secret: string | readonly string[],
  options: VerifyOptions = {},
): WebhookEvent {
  const id = header(headers, "webhook-id");
  const timestamp = header(headers, "webhook-timestamp");
  const signature = header(headers, "webhook-signature");
  if (!id) throw new WebhookVerificationError("Missing webhook-id header");
  if (!timestamp) throw new WebhookVerificationError("Missing webhook-timestamp header");
  if (!signature) throw new WebhookVerificationError("Missing webhook-signature header");

  if (!/^\d{1,15}$/.test(timestamp)) throw new WebhookVerificationError("Invalid webhook-timestamp header");
  const tolerance = options.toleranceSeconds ?? 300;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const sent = Number(timestamp);
  if (sent < now - tolerance) throw new WebhookVerificationError("Webhook timestamp is too old");
  if (sent > now + tolerance) throw new WebhookVerificationError("Webhook timestamp is in the future");

  const raw = bodyBytes(body);
  const signed = Buffer.concat([Buffer.from(`${id}.${timestamp}.`, "utf8"), raw]);
  const offered = signatures(signature);
  const secrets = typeof secret === "string" ? [secret] : secret;
  if (secrets.length === 0) throw new WebhookVerificationError("No webhook secret given");
  const matched = secrets.some((s) => {
    const expected = createHmac("sha256", secretKey(s)).update(signed).digest();
    return offered.some((o) => o.length === expected.length && timingSafeEqual(o, expected));
  });
  if (!matched) throw new WebhookVerificationError("No matching signature");

  let event: unknown;
  try {
    event = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new WebhookVerificationError("The webhook body is not JSON");
  }
  if (!isEvent(event)) throw new WebhookVerificationError("The webhook body is not a LunarStream event");
  return event;
}
