// Add and edit forms for media servers (isAdmin only), with the bodies of
// POST/PATCH /api/v1/admin/media-servers (docs/admin-api-resources.md):
// {name, type, rtmpServer, hlsBaseUrl, cdns?, hlsPathTemplate?, hookAllow?,
// remoteId?, apiUrl?, apiSecret?, projectIds?}; PATCH sends only what changed
// and never `type`. The API validates; its messages are shown as they come.
import { useState } from "preact/hooks";
import * as api from "../api";
import type { Ctx } from "../ctx";
import type { MediaServer } from "../types";
import { ErrorBox, Secret } from "../ui";

const TYPES = ["EMBEDDED", "ZLMEDIAKIT", "MEDIAMTX"] as const;

interface Cdn {
  name: string;
  baseUrl: string;
}

interface Fields {
  type: string;
  name: string;
  rtmpServer: string;
  hlsBaseUrl: string;
  hlsPathTemplate: string;
  cdns: Cdn[];
  hookAllow: string;
  remoteId: string;
  apiUrl: string;
  apiSecret: string;
  projectIds: string;
}

const words = (s: string) =>
  s
    .split(/[\s,]+/)
    .map((w) => w.trim())
    .filter(Boolean);

function fieldsOf(server: MediaServer | null): Fields {
  return {
    type: server?.type ?? "EMBEDDED",
    name: server?.name ?? "",
    rtmpServer: server?.rtmpServer ?? "",
    hlsBaseUrl: server?.hlsBaseUrl ?? "",
    hlsPathTemplate: server?.hlsPathTemplate ?? "",
    // Name and URL only: a CDN's steering mode and health are not edited here
    // (a PATCH without them keeps the mode).
    cdns: server?.cdns.map((c) => ({ name: c.name, baseUrl: c.baseUrl })) ?? [],
    hookAllow: "",
    remoteId: "",
    apiUrl: "",
    apiSecret: "",
    projectIds: "",
  };
}

// The POST body: every field the user filled.
function createBody(f: Fields): Record<string, unknown> {
  const body: Record<string, unknown> = {
    type: f.type,
    name: f.name.trim(),
    rtmpServer: f.rtmpServer.trim(),
    hlsBaseUrl: f.hlsBaseUrl.trim(),
  };
  const cdns = f.cdns.filter((c) => c.name.trim() || c.baseUrl.trim());
  if (cdns.length) body.cdns = cdns.map((c) => ({ name: c.name.trim(), baseUrl: c.baseUrl.trim() }));
  if (f.type !== "EMBEDDED") {
    if (f.hlsPathTemplate.trim()) body.hlsPathTemplate = f.hlsPathTemplate.trim();
    if (words(f.hookAllow).length) body.hookAllow = words(f.hookAllow);
    if (f.remoteId.trim()) body.remoteId = f.remoteId.trim();
    if (f.apiUrl.trim()) body.apiUrl = f.apiUrl.trim();
    if (f.apiSecret) body.apiSecret = f.apiSecret;
  }
  if (words(f.projectIds).length) body.projectIds = words(f.projectIds);
  return body;
}

// The PATCH body: what differs from the server as listed, plus the fields
// the list does not show (secrets, hook allow list, assignment) when given.
function patchBody(f: Fields, was: Fields, assign: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const k of ["name", "rtmpServer", "hlsBaseUrl"] as const) if (f[k].trim() !== was[k]) body[k] = f[k].trim();
  const cdns = f.cdns.filter((c) => c.name.trim() || c.baseUrl.trim()).map((c) => ({ name: c.name.trim(), baseUrl: c.baseUrl.trim() }));
  if (JSON.stringify(cdns) !== JSON.stringify(was.cdns)) body.cdns = cdns;
  if (f.type !== "EMBEDDED") {
    if (f.hlsPathTemplate.trim() && f.hlsPathTemplate.trim() !== was.hlsPathTemplate) body.hlsPathTemplate = f.hlsPathTemplate.trim();
    if (words(f.hookAllow).length) body.hookAllow = words(f.hookAllow);
    if (f.remoteId.trim()) body.remoteId = f.remoteId.trim();
    if (f.apiUrl.trim()) body.apiUrl = f.apiUrl.trim();
    if (f.apiSecret) body.apiSecret = f.apiSecret;
  }
  if (assign) body.projectIds = words(f.projectIds);
  return body;
}

export function MediaServerForm({
  ctx,
  server,
  onDone,
  onCancel,
}: {
  ctx: Ctx;
  server: MediaServer | null;
  onDone: () => Promise<void>;
  onCancel?: () => void;
}) {
  const editing = server !== null;
  const [initial] = useState(() => fieldsOf(server));
  const [f, setF] = useState<Fields>(initial);
  const [assign, setAssign] = useState(!editing);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [hookSecret, setHookSecret] = useState<string | null>(null);
  const prefix = editing ? "ms-edit" : "ms-add";
  const set = (k: keyof Fields) => (e: Event) => setF({ ...f, [k]: (e.target as HTMLInputElement).value });
  const setCdn = (i: number, k: keyof Cdn) => (e: Event) =>
    setF({ ...f, cdns: f.cdns.map((c, j) => (j === i ? { ...c, [k]: (e.target as HTMLInputElement).value } : c)) });
  const external = f.type !== "EMBEDDED";

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      if (editing) {
        await api.request("PATCH", `/api/v1/admin/media-servers/${api.enc(server.id)}`, patchBody(f, initial, assign));
      } else {
        const made = await api.request<MediaServer & { hookSecret?: string }>("POST", "/api/v1/admin/media-servers", createBody(f));
        setF(fieldsOf(null));
        if (made.hookSecret) setHookSecret(made.hookSecret);
      }
      await onDone();
    } catch (err) {
      setError(api.errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const toggleProject = (id: string) => {
    const ids = words(f.projectIds);
    setF({ ...f, projectIds: (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]).join(", ") });
  };

  return (
    <form class="grid-form ms-form" onSubmit={submit} data-testid={`${prefix}-form`}>
      <label>
        Type
        <select value={f.type} disabled={editing} onChange={set("type")} data-testid={`${prefix}-type`}>
          {TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label>
        Name
        <input required maxLength={255} value={f.name} onInput={set("name")} data-testid={`${prefix}-name`} />
      </label>
      <label>
        RTMP server URL
        <input
          required
          placeholder="rtmp://host:1935/live"
          value={f.rtmpServer}
          onInput={set("rtmpServer")}
          data-testid={`${prefix}-rtmp`}
        />
      </label>
      <label>
        HLS base URL
        <input
          required
          placeholder="https://host/hls"
          value={f.hlsBaseUrl}
          onInput={set("hlsBaseUrl")}
          data-testid={`${prefix}-hls`}
        />
      </label>
      {external && (
        <>
          <label>
            HLS path template
            <input placeholder="default for the type" value={f.hlsPathTemplate} onInput={set("hlsPathTemplate")} />
          </label>
          <label>
            Hook allow list (addresses or CIDRs)
            <input placeholder={editing ? "unchanged when empty" : "10.0.0.0/8, 127.0.0.1"} value={f.hookAllow} onInput={set("hookAllow")} />
          </label>
          <label>
            Remote id
            <input placeholder={editing ? "unchanged when empty" : ""} value={f.remoteId} onInput={set("remoteId")} />
          </label>
          <label>
            API URL
            <input placeholder={editing ? "unchanged when empty" : "http://host:port"} value={f.apiUrl} onInput={set("apiUrl")} />
          </label>
          <label>
            API secret
            <input
              type="password"
              autocomplete="off"
              placeholder={editing ? "unchanged when empty" : ""}
              value={f.apiSecret}
              onInput={set("apiSecret")}
            />
          </label>
        </>
      )}
      <fieldset class="cdns" data-testid={`${prefix}-cdns`}>
        <legend>CDNs</legend>
        {f.cdns.length === 0 && <p class="muted small-text">None: players use the HLS base URL.</p>}
        {f.cdns.map((c, i) => (
          <div class="inline" key={i} data-testid="cdn-row">
            <input placeholder="Name" aria-label="CDN name" value={c.name} onInput={setCdn(i, "name")} />
            <input placeholder="https://cdn.example.com/hls" aria-label="CDN base URL" value={c.baseUrl} onInput={setCdn(i, "baseUrl")} />
            <button type="button" class="small" onClick={() => setF({ ...f, cdns: f.cdns.filter((_, j) => j !== i) })}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" class="small" onClick={() => setF({ ...f, cdns: [...f.cdns, { name: "", baseUrl: "" }] })} data-testid={`${prefix}-cdn-add`}>
          Add CDN
        </button>
      </fieldset>
      <fieldset class="cdns">
        <legend>Projects that may use it</legend>
        {editing && (
          <label class="check">
            <input type="checkbox" checked={assign} onChange={() => setAssign(!assign)} />
            Change the assignment (otherwise it stays as it is)
          </label>
        )}
        {assign && (
          <>
            <input
              placeholder="Project ids, comma-separated; empty: every project"
              aria-label="Project ids"
              value={f.projectIds}
              onInput={set("projectIds")}
              data-testid={`${prefix}-projects`}
            />
            {ctx.projects.map((p) => (
              <label class="check" key={p.id}>
                <input type="checkbox" checked={words(f.projectIds).includes(p.id)} onChange={() => toggleProject(p.id)} />
                {p.name}
              </label>
            ))}
          </>
        )}
      </fieldset>
      <div class="row">
        <button type="submit" class="primary" disabled={busy} data-testid={`${prefix}-submit`}>
          {editing ? "Save" : "Add server"}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      <ErrorBox error={error} testid={`${prefix}-error`} />
      {hookSecret && <Secret label="Hook secret" value={hookSecret} testid="hook-secret" />}
    </form>
  );
}
