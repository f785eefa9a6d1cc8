// The selected team's audit log (GET /api/v1/admin/audit-log?teamId=), newest
// first, 25 a page: when, who (the user's email, or the CLI / API key), what
// and on what. Team owners and admins and system administrators see it
// (control/team_policy: audit_log.view).
import { useEffect, useState } from "preact/hooks";
import * as api from "../api";
import { allowed, type Ctx } from "../ctx";
import type { AuditEntry } from "../types";
import { ErrorBox, Section, useLoad, when } from "../ui";

const LIMIT = 25;

export function actorText(actor: AuditEntry["actor"]): string {
  if (actor.email) return actor.email;
  if (actor.type === "cli") return "CLI";
  if (actor.type === "api-key") return `API key (project ${actor.id})`;
  return `${actor.type} ${actor.id}`;
}

export function AuditLogPage({ ctx }: { ctx: Ctx }) {
  const [page, setPage] = useState(1);
  const teamId = ctx.team?.id;
  useEffect(() => setPage(1), [teamId]);
  const path = `/api/v1/admin/audit-log${api.query({ teamId, page, limit: LIMIT })}`;
  const list = useLoad(() => (teamId ? api.requestPage<AuditEntry>(path) : Promise.resolve(null)), [path]);
  const pages = list.data?.meta.pagination?.totalPages ?? 1;

  if (!ctx.team) return <p class="muted">Pick a team first.</p>;
  if (!allowed(ctx, "auditLog.view")) return <p class="muted">Only the team's owners and admins see its audit log.</p>;
  return (
    <Section
      title={`Audit log of ${ctx.team.name}`}
      actions={
        <button type="button" class="small" onClick={() => void list.reload()} data-testid="audit-reload">
          Reload
        </button>
      }
    >
      <ErrorBox error={list.error} />
      {list.data && list.data.data.length === 0 && <p class="muted">Nothing recorded yet.</p>}
      <ul class="list" data-testid="audit-log">
        {list.data?.data.map((e) => (
          <li key={e.id} class="audit-row" data-testid="audit-row" data-action={e.action}>
            <span>
              <strong data-testid="audit-action">{e.action}</strong>
              <span class="muted small-text">
                {" "}
                on {e.target.type} <code>{e.target.id}</code>
              </span>
            </span>
            <span data-testid="audit-actor">{actorText(e.actor)}</span>
            <span class="muted small-text when">{when(e.at)}</span>
          </li>
        ))}
      </ul>
      {pages > 1 && (
        <div class="row">
          <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)} data-testid="audit-prev">
            Newer
          </button>
          <span>
            Page {page} of {pages}
          </span>
          <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)} data-testid="audit-next">
            Older
          </button>
        </div>
      )}
    </Section>
  );
}
