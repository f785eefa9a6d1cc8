// Livestreams of the selected team/project, their status polled every second
// while the page is visible; create (then OBS settings, an ffmpeg command and
// the preview), rename, push-token regeneration, delete.
import { useState } from "preact/hooks";
import * as api from "../api";
import { allowed, type Ctx } from "../ctx";
import type { Livestream, MediaServer } from "../types";
import { ConfirmButton, CopyButton, ErrorBox, Section, useLoad, usePolledLoad, when } from "../ui";
import { Preview } from "../preview";

const POLL_MS = 1000;
const STATUSES = ["", "READY_FOR_USE", "STARTED", "ENDED", "TOKEN_EXPIRED"];

export function ffmpegCommand(rtmpUrl: string): string {
  const quoted = `'${rtmpUrl.replace(/'/g, `'\\''`)}'`;
  return `ffmpeg -re -i input.mp4 -c:v libx264 -preset veryfast -b:v 2500k -g 60 -c:a aac -f flv ${quoted}`;
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <span class={`badge status-${status.toLowerCase()}`} data-testid="status-badge" data-status={status}>
      {status === "STARTED" ? "LIVE" : status.replace(/_/g, " ")}
    </span>
  );
}

export function LivestreamsPage({ ctx, selectedId }: { ctx: Ctx; selectedId: string | null }) {
  // A livestream as create / push-token answered it (with its token), kept
  // while its page is open: the API never shows the token again.
  const [fresh, setFresh] = useState<Livestream | null>(null);
  if (selectedId) {
    return <LivestreamDetail ctx={ctx} id={selectedId} fresh={fresh?.id === selectedId ? fresh : null} setFresh={setFresh} />;
  }
  return <LivestreamList ctx={ctx} onCreated={(l) => { setFresh(l); ctx.navigate(`livestreams/${l.id}`); }} />;
}

function LivestreamList({ ctx, onCreated }: { ctx: Ctx; onCreated: (l: Livestream) => void }) {
  const [status, setStatus] = useState("");
  const [search, setSearch] = useState("");
  const [page, setPage] = useState(1);
  const teamId = ctx.team?.id;
  const projectId = ctx.project?.id;
  const path = `/api/v1/admin/livestreams${api.query({ teamId, projectId, status, search, page, limit: 20 })}`;
  const list = usePolledLoad(path, (p) => api.requestPage<Livestream>(p), POLL_MS);
  const pages = list.data?.meta.pagination?.totalPages ?? 1;

  return (
    <>
      {allowed(ctx, "livestream.write") && ctx.project && <CreateLivestream ctx={ctx} onCreated={onCreated} />}
      <Section title={ctx.project ? `Livestreams of ${ctx.project.name}` : "Livestreams"}>
        <div class="filters">
          <input
            type="search"
            placeholder="Search by name"
            value={search}
            onInput={(e) => {
              setSearch((e.target as HTMLInputElement).value);
              setPage(1);
            }}
          />
          <select value={status} onChange={(e) => { setStatus((e.target as HTMLSelectElement).value); setPage(1); }}>
            {STATUSES.map((s) => (
              <option value={s} key={s}>
                {s ? s.replace(/_/g, " ") : "Any status"}
              </option>
            ))}
          </select>
        </div>
        <ErrorBox error={list.error} />
        {list.data && list.data.data.length === 0 && <p class="muted">No livestreams.</p>}
        <ul class="list" data-testid="livestream-list">
          {list.data?.data.map((l) => (
            <li key={l.id} data-testid="livestream-row" data-id={l.id}>
              <a
                href={`/dashboard/livestreams/${l.id}`}
                onClick={(e) => {
                  e.preventDefault();
                  ctx.navigate(`livestreams/${l.id}`);
                }}
              >
                {l.name}
              </a>
              <StatusBadge status={l.status} />
              <span class="muted small-text">{when(l.createdAt)}</span>
            </li>
          ))}
        </ul>
        {pages > 1 && (
          <div class="row">
            <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
              Previous
            </button>
            <span>
              Page {page} of {pages}
            </span>
            <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
              Next
            </button>
          </div>
        )}
      </Section>
    </>
  );
}

function CreateLivestream({ ctx, onCreated }: { ctx: Ctx; onCreated: (l: Livestream) => void }) {
  const [name, setName] = useState("");
  const [serverId, setServerId] = useState("");
  const [expiresIn, setExpiresIn] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const servers = useLoad(() => api.requestPage<MediaServer>("/api/v1/admin/media-servers"), []);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!ctx.project) return;
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { name: name.trim() };
      if (serverId) body.mediaServerId = serverId;
      if (expiresIn) body.expiresIn = Number(expiresIn);
      const l = await api.request<Livestream>("POST", `/api/v1/admin/projects/${api.enc(ctx.project.id)}/livestreams`, body);
      setName("");
      onCreated(l);
    } catch (err) {
      setError(api.errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section title="New livestream">
      <form class="grid-form" onSubmit={submit} data-testid="livestream-create-form">
        <label>
          Name
          <input
            required
            maxLength={255}
            data-testid="livestream-name"
            value={name}
            onInput={(e) => setName((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          Media server
          <select value={serverId} onChange={(e) => setServerId((e.target as HTMLSelectElement).value)} data-testid="livestream-server">
            <option value="">Automatic</option>
            {servers.data?.data.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.status})
              </option>
            ))}
          </select>
        </label>
        <label>
          Token lifetime (seconds, optional)
          <input type="number" min={60} value={expiresIn} onInput={(e) => setExpiresIn((e.target as HTMLInputElement).value)} />
        </label>
        <div class="row">
          <button type="submit" class="primary" disabled={busy} data-testid="livestream-create">
            Create livestream
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
    </Section>
  );
}

function LivestreamDetail({ ctx, id, fresh, setFresh }: { ctx: Ctx; id: string; fresh: Livestream | null; setFresh: (l: Livestream | null) => void }) {
  const path = `/api/v1/admin/livestreams/${api.enc(id)}`;
  const item = usePolledLoad(path, (p) => api.get<Livestream>(p), POLL_MS);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState<string | null>(null);
  const mayWrite = allowed(ctx, "livestream.write");
  const l = item.data ?? fresh;
  const withToken = fresh ?? null;

  const run = async (fn: () => Promise<void>) => {
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(api.errorText(err));
    }
  };

  return (
    <>
      <p>
        <a
          href="/dashboard/livestreams"
          onClick={(e) => {
            e.preventDefault();
            ctx.navigate("livestreams");
          }}
        >
          ← All livestreams
        </a>
      </p>
      <ErrorBox error={item.error && !l ? item.error : null} />
      {l && (
        <Section title={l.name} actions={<StatusBadge status={l.status} />}>
          <dl class="facts">
            <dt>ID</dt>
            <dd>
              <code>{l.id}</code>
            </dd>
            <dt>Stream key</dt>
            <dd>
              <code>{l.streamKey}</code>
            </dd>
            <dt>Media server</dt>
            <dd>{l.mediaServer?.name ?? l.mediaServerId}</dd>
            <dt>Started</dt>
            <dd>{when(l.startedAt)}</dd>
            <dt>Ended</dt>
            <dd>{when(l.endedAt)}</dd>
          </dl>
          {withToken?.rtmpUrl && withToken.streamKeyWithToken ? (
            <div class="publish" data-testid="obs-settings">
              <h3>OBS settings (shown once)</h3>
              <div class="field">
                <span>Server</span>
                <code data-testid="obs-server">{withToken.rtmpServer}</code>
                <CopyButton text={withToken.rtmpServer} />
              </div>
              <div class="field">
                <span>Stream key</span>
                <code data-testid="obs-stream-key">{withToken.streamKeyWithToken}</code>
                <CopyButton text={withToken.streamKeyWithToken} />
              </div>
              <h3>ffmpeg</h3>
              <div class="field">
                <code class="wrap" data-testid="ffmpeg-command">
                  {ffmpegCommand(withToken.rtmpUrl)}
                </code>
                <CopyButton text={ffmpegCommand(withToken.rtmpUrl)} />
              </div>
            </div>
          ) : (
            <p class="muted">The push token is shown only when it is made: regenerate it to get the OBS settings again.</p>
          )}
          {mayWrite && (
            <div class="row">
              <ConfirmButton
                label="Regenerate push token"
                question="The current token stops working for new publishes. Continue?"
                confirmLabel="Regenerate"
                testid="regenerate-push-token"
                action={() =>
                  run(async () => {
                    const next = await api.request<Livestream>("POST", `${path}/push-token`, {});
                    setFresh(next);
                    item.setData(next);
                  })
                }
              />
              <ConfirmButton
                label="Delete"
                danger
                question={`Delete ${l.name}? A live publisher is cut.`}
                confirmLabel="Delete"
                testid="delete-livestream"
                action={() =>
                  run(async () => {
                    await api.request("DELETE", path);
                    setFresh(null);
                    ctx.navigate("livestreams");
                  })
                }
              />
            </div>
          )}
          {mayWrite && (
            <form
              class="inline"
              onSubmit={(e) => {
                e.preventDefault();
                void run(async () => {
                  item.setData(await api.request<Livestream>("PATCH", path, { name: (name ?? l.name).trim() }));
                  setName(null);
                });
              }}
            >
              <input value={name ?? l.name} required maxLength={255} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
              <button type="submit">Rename</button>
            </form>
          )}
          <ErrorBox error={error} />
          <h3>Preview</h3>
          <Preview streamKey={l.streamKey} name={l.name} />
        </Section>
      )}
    </>
  );
}
