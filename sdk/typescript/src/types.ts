// The API's objects, named after the OpenAPI document's schemas
// (docs/openapi.json; src/schema.ts is generated from it by `npm run build`).
import type { components } from "./schema.js";

type Schemas = components["schemas"];

/** A livestream as the partner API answers it (create and push-token answers add its push token). */
export type Livestream = Schemas["Livestream"] & Partial<Schemas["LivestreamWithPushToken"]>;
export type LivestreamStatus = Schemas["LivestreamStatus"];
export type MediaServer = Schemas["MediaServer"];
export type Pagination = Schemas["Pagination"];
