export { LunarStream } from "./client.js";
export type {
  ClientOptions,
  CreateLivestreamInput,
  GeneratePushTokenInput,
  ListLivestreamsInput,
  Page,
  PushTokenTarget,
} from "./client.js";
export { LunarStreamError, WebhookVerificationError } from "./errors.js";
export { verifyWebhook } from "./webhooks.js";
export type {
  LivestreamEventType,
  LivestreamWebhookEvent,
  MediaServerEventType,
  MediaServerWebhookEvent,
  TestWebhookEvent,
  VerifyOptions,
  WebhookEvent,
  WebhookHeaders,
} from "./webhooks.js";
export type { Livestream, LivestreamStatus, MediaServer, Pagination } from "./types.js";
export type { components, paths } from "./schema.js";
