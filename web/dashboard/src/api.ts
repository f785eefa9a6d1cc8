// Every call to the admin API. The access token lives in this module only
// (never localStorage or sessionStorage); the refresh token is the HttpOnly
// ls_refresh cookie, sent back with the ls_csrf cookie's value in X-CSRF-Token.
// A 401 refreshes once (concurrent 401s share that one refresh) and retries;
// when the refresh fails the app shows the login page.
import type { LoginData, Me } from "./types";

let accessToken: string | null = null;
let refreshing: Promise<LoginData | null> | null = null;
let onSessionEnded: () => void = () => {};

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

// The API's message (arrays joined), or a sentence for what is not an envelope.
export function messageOf(status: number, body: unknown): string {
  if (body && typeof body === "object" && "message" in body) {
    const m = (body as { message: unknown }).message;
    if (Array.isArray(m)) return m.map(String).join("; ");
    // The router's answer for a route this server does not have.
    if (status === 404 && typeof m === "string" && m.startsWith("Cannot ")) return `This server does not offer that yet (${m})`;
    if (typeof m === "string" && m) return m;
  }
  if (status === 404) return "Not found (this server does not offer that yet)";
  if (status >= 500) return `The server failed (HTTP ${status})`;
  return `Request failed (HTTP ${status})`;
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof TypeError) return "Cannot reach the server; check the connection";
  return e instanceof Error ? e.message : String(e);
}

export function csrfCookie(): string {
  for (const part of document.cookie.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === "ls_csrf") return decodeURIComponent(rest.join("="));
  }
  return "";
}

export function setSessionEndedHandler(fn: () => void) {
  onSessionEnded = fn;
}

export function hasSession(): boolean {
  return accessToken !== null;
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

// POST to an auth route with the refresh cookie and the CSRF header.
async function cookieAuthCall(path: string): Promise<Response> {
  return fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfCookie() },
    body: "{}",
  });
}

// Restores (or renews) the session from the refresh cookie; null when there is none.
// Without the ls_csrf cookie (same lifetime as the refresh cookie, readable
// here) there is no session to restore, so no request is made.
export function refreshSession(): Promise<LoginData | null> {
  if (!csrfCookie()) {
    accessToken = null;
    return Promise.resolve(null);
  }
  if (!refreshing) {
    refreshing = (async () => {
      try {
        const res = await cookieAuthCall("/api/v1/auth/refresh");
        if (!res.ok) {
          accessToken = null;
          return null;
        }
        const body = (await readBody(res)) as { data: LoginData };
        accessToken = body.data.accessToken;
        return body.data;
      } catch {
        return null;
      } finally {
        refreshing = null;
      }
    })();
  }
  return refreshing;
}

export async function login(email: string, password: string): Promise<LoginData> {
  const res = await fetch("/api/v1/auth/login", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  const body = await readBody(res);
  if (!res.ok) throw new ApiError(res.status, messageOf(res.status, body));
  const data = (body as { data: LoginData }).data;
  accessToken = data.accessToken;
  return data;
}

export async function logout(): Promise<void> {
  try {
    await cookieAuthCall("/api/v1/auth/logout");
  } finally {
    accessToken = null;
  }
}

// Token-authenticated request; retried once after a refresh on 401.
async function authed(path: string, init: RequestInit = {}, accept = "application/json"): Promise<Response> {
  const send = () =>
    fetch(path, {
      ...init,
      credentials: "same-origin",
      headers: {
        ...(init.body ? { "Content-Type": "application/json" } : {}),
        Accept: accept,
        ...(accessToken ? { Authorization: `Bearer ${accessToken}` } : {}),
      },
    });
  let res = await send();
  if (res.status === 401) {
    const renewed = await refreshSession();
    if (!renewed) {
      onSessionEnded();
      throw new ApiError(401, "Your session has ended");
    }
    res = await send();
    if (res.status === 401) {
      onSessionEnded();
      throw new ApiError(401, "Your session has ended");
    }
  }
  return res;
}

export interface Page<T> {
  data: T[];
  meta: { pagination?: { page: number; limit: number; total: number; totalPages: number } };
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await authed(path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const parsed = await readBody(res);
  if (!res.ok) throw new ApiError(res.status, messageOf(res.status, parsed));
  return (parsed as { data: T }).data;
}

export async function requestPage<T>(path: string): Promise<Page<T>> {
  const res = await authed(path);
  const parsed = await readBody(res);
  if (!res.ok) throw new ApiError(res.status, messageOf(res.status, parsed));
  return parsed as Page<T>;
}

export async function requestText(path: string, accept: string): Promise<string> {
  const res = await authed(path, {}, accept);
  if (!res.ok) throw new ApiError(res.status, messageOf(res.status, await readBody(res)));
  return res.text();
}

export const get = <T>(path: string) => request<T>("GET", path);
export const me = () => get<Me>("/api/v1/auth/me");

export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}

export const enc = encodeURIComponent;

// Accepts a team invitation: a new user sets a password and is logged in
// (the answer is a login's); a logged-in user just joins.
export async function acceptInvitation(token: string, password?: string): Promise<LoginData | null> {
  const res = await fetch("/api/v1/auth/invitations/accept", {
    method: "POST",
    credentials: "same-origin",
    headers: {
      "Content-Type": "application/json",
      ...(accessToken ? { Authorization: `Bearer ${accessToken}` } : {}),
    },
    body: JSON.stringify(password ? { token, password } : { token }),
  });
  const body = await readBody(res);
  if (!res.ok) throw new ApiError(res.status, messageOf(res.status, body));
  const data = (body as { data?: Partial<LoginData> } | null)?.data;
  if (data && typeof data.accessToken === "string") {
    accessToken = data.accessToken;
    return data as LoginData;
  }
  return null;
}

// Changes the logged-in user's password. The answer is a login's: the new
// access token (and refresh cookie) replace the old ones. A 401 that is about
// the access token refreshes once and retries; any other 401 (a wrong current
// password) is shown, without ending the session.
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  const send = () =>
    fetch("/api/v1/auth/password", {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        ...(accessToken ? { Authorization: `Bearer ${accessToken}` } : {}),
      },
      body: JSON.stringify({ currentPassword, newPassword }),
    });
  let res = await send();
  let body = await readBody(res);
  if (res.status === 401 && messageOf(401, body) === "Invalid or expired access token" && (await refreshSession())) {
    res = await send();
    body = await readBody(res);
  }
  if (!res.ok) throw new ApiError(res.status, messageOf(res.status, body));
  const data = (body as { data?: Partial<LoginData> } | null)?.data;
  if (data && typeof data.accessToken === "string") accessToken = data.accessToken;
}
