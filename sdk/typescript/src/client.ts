// A thin typed client for the partner API (SPEC §3): livestreams, push
// tokens, stream-info and the media servers a project may use. One method per
// route, the envelope unwrapped, errors thrown as LunarStreamError, and a 429
// waited out as its Retry-After says (a bounded number of times).
import { LunarStreamError } from "./errors.js";
import type { Livestream, LivestreamStatus, MediaServer, Pagination } from "./types.js";

export interface ClientOptions {
  /** Where the API is: "https://api.example.com" (with or without "/api/v1"). */
  baseUrl: string;
  /** The project's API key (sent as ls-api-key). */
  apiKey: string;
  /** The project the key belongs to; used when a call does not name one. */
  projectId?: string;
  /** 429 answers waited out before giving up (default 2; 0 = throw at once). */
  maxRetries?: number;
  /** Longest Retry-After honoured, in seconds (default 60); longer throws. */
  maxRetryAfterSeconds?: number;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
}

export interface CreateLivestreamInput {
  name: string;
  mediaServerId: string;
  projectId?: string;
  /** Lifetime of the push token in seconds. */
  expiresIn?: number;
}

export interface ListLivestreamsInput {
  projectId?: string;
  page?: number;
  limit?: number;
  status?: LivestreamStatus;
  /** Case-insensitive part of the name. */
  search?: string;
}

export type PushTokenTarget = { id: string } | { streamKey: string };

export type GeneratePushTokenInput = PushTokenTarget & {
  projectId?: string;
  expiresIn?: number;
  /** Moves a livestream that is not live to this media server. */
  mediaServerId?: string;
};

export interface Page<T> {
  items: T[];
  pagination: Pagination;
}

type Query = Record<string, string | number | undefined>;

interface Call {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  query?: Query;
  body?: unknown;
  authenticated: boolean;
}

function apiRoot(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, "");
  return trimmed.endsWith("/api/v1") ? trimmed : `${trimmed}/api/v1`;
}

function retryAfterSeconds(value: string | null): number | undefined {
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function sleep(seconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}

export class LunarStream {
  private readonly root: string;
  private readonly apiKey: string;
  private readonly projectId: string | undefined;
  private readonly maxRetries: number;
  private readonly maxRetryAfterSeconds: number;
  private readonly fetchImpl: typeof fetch;

  /** Livestreams of the project. */
  readonly livestreams = {
    /** Creates a livestream; the answer carries its push token and OBS settings. */
    create: (input: CreateLivestreamInput): Promise<Livestream> =>
      this.data<Livestream>({
        method: "POST",
        path: "/livestream",
        body: { ...input, projectId: input.projectId ?? this.requireProjectId() },
        authenticated: true,
      }),
    /** One page, newest first. */
    list: (input: ListLivestreamsInput = {}): Promise<Page<Livestream>> =>
      this.page<Livestream>({
        method: "GET",
        path: "/livestream",
        query: { ...input, projectId: input.projectId ?? this.projectId },
        authenticated: true,
      }),
    get: (id: string): Promise<Livestream> =>
      this.data<Livestream>({ method: "GET", path: `/livestream/${encodeURIComponent(id)}`, authenticated: true }),
    rename: (id: string, name: string): Promise<Livestream> =>
      this.data<Livestream>({
        method: "PATCH",
        path: `/livestream/${encodeURIComponent(id)}`,
        body: { name },
        authenticated: true,
      }),
    /** Deletes it; a live publisher is cut. */
    delete: (id: string): Promise<{ id: string }> =>
      this.data<{ id: string }>({ method: "DELETE", path: `/livestream/${encodeURIComponent(id)}`, authenticated: true }),
  };

  /** Push tokens: a new one replaces the livestream's current one. */
  readonly pushTokens = {
    generate: (input: GeneratePushTokenInput): Promise<Livestream> =>
      this.data<Livestream>({
        method: "POST",
        path: "/livestream/generate-push-token",
        body: { ...input, projectId: input.projectId ?? this.projectId },
        authenticated: true,
      }),
  };

  /** Media servers the project may create livestreams on. */
  readonly mediaServers = {
    available: async (): Promise<MediaServer[]> =>
      (await this.page<MediaServer>({ method: "GET", path: "/media-servers/available", authenticated: true })).items,
  };

  constructor(options: ClientOptions) {
    if (!options.baseUrl) throw new TypeError("baseUrl is required");
    if (!options.apiKey) throw new TypeError("apiKey is required");
    this.root = apiRoot(options.baseUrl);
    this.apiKey = options.apiKey;
    this.projectId = options.projectId;
    this.maxRetries = options.maxRetries ?? 2;
    this.maxRetryAfterSeconds = options.maxRetryAfterSeconds ?? 60;
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== "function") throw new TypeError("No fetch implementation: pass options.fetch");
    this.fetchImpl = fetchImpl;
  }

  /** The public view of a livestream by its stream key (no API key needed, no secrets). */
  streamInfo(streamKey: string): Promise<Livestream> {
    return this.data<Livestream>({
      method: "GET",
      path: `/livestreams/stream-info/${encodeURIComponent(streamKey)}`,
      authenticated: false,
    });
  }

  private requireProjectId(): string {
    if (!this.projectId) throw new TypeError("projectId is required (in the call or the client options)");
    return this.projectId;
  }

  private async data<T>(call: Call): Promise<T> {
    const body = (await this.send(call)) as { data: T };
    return body.data;
  }

  private async page<T>(call: Call): Promise<Page<T>> {
    const body = (await this.send(call)) as { data: T[]; meta: { pagination: Pagination } };
    return { items: body.data, pagination: body.meta.pagination };
  }

  private async send(call: Call): Promise<unknown> {
    const url = new URL(this.root + call.path);
    for (const [name, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined && value !== "") url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = { accept: "application/json" };
    if (call.authenticated) headers["ls-api-key"] = this.apiKey;
    if (call.body !== undefined) headers["content-type"] = "application/json";
    const init: RequestInit = { method: call.method, headers, redirect: "error" };
    if (call.body !== undefined) init.body = JSON.stringify(call.body);

    for (let attempt = 0; ; attempt++) {
      const response = await this.fetchImpl(url, init);
      const text = await response.text();
      let parsed: unknown = undefined;
      try {
        parsed = text.length > 0 ? JSON.parse(text) : undefined;
      } catch {
        parsed = text;
      }
      if (response.ok) return parsed;
      const wait = retryAfterSeconds(response.headers.get("retry-after"));
      if (response.status === 429 && attempt < this.maxRetries && wait !== undefined && wait <= this.maxRetryAfterSeconds) {
        await sleep(wait);
        continue;
      }
      throw new LunarStreamError(response.status, parsed, wait);
    }
  }
}
