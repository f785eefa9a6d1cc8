// Errors the SDK throws. Every answer that is not a 2xx becomes a
// LunarStreamError carrying the API's error envelope; a webhook that does not
// verify becomes a WebhookVerificationError.

/** A non-2xx answer of the LunarStream API, with its error envelope. */
export class LunarStreamError extends Error {
  /** The HTTP status (400, 401, 403, 404, 409, 429, 5xx). */
  readonly status: number;
  /** The envelope's message: one string, or one string per problem for a 400. */
  readonly messages: string[];
  /** The HTTP reason phrase the envelope names ("Bad Request", ...). */
  readonly error: string;
  /** Seconds the API asked to wait (429 and 503), when it said. */
  readonly retryAfterSeconds: number | undefined;
  /** The parsed body, when it was JSON. */
  readonly body: unknown;

  constructor(status: number, body: unknown, retryAfterSeconds: number | undefined) {
    const envelope = (typeof body === "object" && body !== null ? body : {}) as {
      message?: unknown;
      error?: unknown;
    };
    const raw = envelope.message;
    const messages = Array.isArray(raw) ? raw.map(String) : raw === undefined ? [] : [String(raw)];
    super(messages.length > 0 ? `${status}: ${messages.join("; ")}` : `HTTP ${status}`);
    this.name = "LunarStreamError";
    this.status = status;
    this.messages = messages;
    this.error = typeof envelope.error === "string" ? envelope.error : "";
    this.retryAfterSeconds = retryAfterSeconds;
    this.body = body;
  }
}

/** A webhook whose signature, timestamp or body does not check out. */
export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookVerificationError";
  }
}
