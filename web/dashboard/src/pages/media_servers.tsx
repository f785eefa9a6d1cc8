// Every media server with its status, live stream count and health probe;
// isAdmin users may add, edit and remove one.
import { useState } from "preact/hooks";
import * as api from "../api";
import { allowed, type Ctx } from "../ctx";
import type { MediaServer } from "../types";
import { MediaServerForm } from "./media_server_form";
import { ConfirmButton, ErrorBox, Section, useLoad, useVisiblePoll, when } from "../ui";

export function MediaServersPage({ ctx }: { ctx: Ctx }) {
  const list = useLoad(() => api.requestPage<MediaServer>("/api/v1/admin/media-servers"), []);
  useVisiblePoll(() => void list.reload(), 5000);
  const [adding, setAdding] = useState(false);
  const mayWrite = allowed(ctx, "mediaServer.write");
  return (
    <>
    {mayWrite && (
      <Section
        title="Add a media server"
        actions={
          <button type="button" class="small" onClick={() => setAdding(!adding)} data-testid="ms-add-toggle">
            {adding ? "Close" : "Add"}
          </button>
        }
      >
        {adding && <MediaServerForm ctx={ctx} server={null} onDone={list.reload} />}
      </Section>
    )}
    <Section title="Media servers">
      <ErrorBox error={list.error} />
      {list.data && list.data.data.length === 0 && <p class="muted">No media servers.</p>}
      <ul class="list" data-testid="media-servers">
        {list.data?.data.map((s) => (
          <ServerRow key={s.id} ctx={ctx} server={s} onChanged={list.reload} />
        ))}
      </ul>
    </Section>
    </>
  );
}

function ServerRow({ ctx, server, onChanged }: { ctx: Ctx; server: MediaServer; onChanged: () => Promise<void> }) {
  const [health, setHealth] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const path = `/api/v1/admin/media-servers/${api.enc(server.id)}`;
  return (
    <li class="server" data-testid="media-server-row" data-id={server.id} data-name={server.name}>
      <div class="row">
        <strong>{server.name}</strong>
        <span class={`badge server-${server.status}`} data-testid="server-status">
          {server.status}
        </span>
        <span class="muted small-text">
          {server.type} · {server.liveStreams} live · seen {when(server.lastSeenAt)}
        </span>
      </div>
      <div class="muted small-text">
        RTMP <code>{server.rtmpServer}</code> · HLS <code>{server.hlsBaseUrl}</code>
        {server.cdns.length > 0 && <> · CDNs {server.cdns.map((c) => c.name + (c.steering && c.steering !== "auto" ? ` (${c.steering})` : "")).join(", ")}</>}
      </div>
      <div class="row">
        <button
          type="button"
          class="small"
          onClick={async () => {
            setError(null);
            try {
              setHealth(JSON.stringify(await api.get<unknown>(`${path}/health`)));
            } catch (e) {
              setError(api.errorText(e));
            }
          }}
        >
          Check health
        </button>
        {allowed(ctx, "mediaServer.write") && (
          <button type="button" class="small" onClick={() => setEditing(!editing)} data-testid="ms-edit-toggle">
            {editing ? "Close" : "Edit"}
          </button>
        )}
        {allowed(ctx, "mediaServer.write") && (
          <ConfirmButton
            label="Remove"
            danger
            question={`Remove ${server.name}?`}
            confirmLabel="Remove"
            action={async () => {
              try {
                await api.request("DELETE", path);
                await onChanged();
              } catch (e) {
                setError(api.errorText(e));
              }
            }}
          />
        )}
      </div>
      {editing && (
        <MediaServerForm
          ctx={ctx}
          server={server}
          onDone={async () => {
            setEditing(false);
            await onChanged();
          }}
          onCancel={() => setEditing(false)}
        />
      )}
      {health && <pre class="health">{health}</pre>}
      <ErrorBox error={error} />
    </li>
  );
}
