// The admin API's shapes (docs/admin-api.md and docs/admin-api-resources.md).
export type Role = "owner" | "admin" | "member" | "viewer";

export interface User {
  id: string;
  email: string;
  isAdmin: boolean;
}

export interface LoginData {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: "Bearer";
  csrfToken: string;
  user: User;
}

export interface TeamRef {
  id: string;
  name: string;
  role: Role;
}

export interface Me extends User {
  createdAt: string;
  teams: TeamRef[];
}

export interface Team extends TeamRef {
  createdAt: string;
}

export interface RateLimit {
  perMinute: number;
  perHour: number;
}

export interface Project {
  id: string;
  teamId: string;
  name: string;
  abrEnabled: boolean;
  rateLimit: RateLimit | null;
  createdAt: string;
  apiKey?: string;
}

export interface HlsSource {
  name: string;
  url: string;
}

export type LivestreamStatus = "READY_FOR_USE" | "STARTED" | "ENDED" | "TOKEN_EXPIRED";

export interface Livestream {
  id: string;
  name: string;
  status: LivestreamStatus;
  streamKey: string;
  projectId: string;
  mediaServerId: string;
  mediaServer?: { id: string; name: string; type: string };
  hlsSources: HlsSource[];
  rtmpServer: string;
  previewPlayback?: string;
  startedAt: string | null;
  endedAt: string | null;
  createdAt: string;
  pushToken?: string;
  streamKeyWithToken?: string;
  rtmpUrl?: string;
}

export interface MediaServer {
  id: string;
  name: string;
  type: string;
  rtmpServer: string;
  hlsBaseUrl: string;
  hlsPathTemplate?: string;
  // steering: content steering mode; health: measured by the API process (docs/steering.md).
  cdns: { name: string; baseUrl: string; steering?: "auto" | "pin" | "drain"; health?: { state: string; rank: number; latencyMs: number | null } }[];
  status: "online" | "offline" | "unknown" | string;
  liveStreams: number;
  lastSeenAt?: string | null;
  createdAt: string;
}

export interface Member {
  userId: string;
  email: string;
  role: Role;
  createdAt: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  expiresAt: string;
  token?: string;
}

export interface UsageRow {
  start: string;
  end: string;
  ingestSeconds: number;
  transcodeSeconds: number;
  egressBytes: number;
  egressRequests: number;
  streams: { livestreamId: string; ingestSeconds: number }[];
  transcodeByHeight: Record<string, number>;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: { type: "user" | "cli" | "api-key" | string; id: string; email?: string };
  action: string;
  teamId: string | null;
  projectId?: string | null;
  target: { type: string; id: string };
  details: Record<string, unknown>;
}

export interface AdminUser {
  id: string;
  email: string;
  isAdmin: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface SigningKey {
  kid: string;
  createdAt: string;
  activatesAt: string | null;
  retiresAt: string | null;
  state: string;
}
