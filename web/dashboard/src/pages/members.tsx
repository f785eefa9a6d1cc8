// Members of the selected team and its invitations: add an existing user by
// email, invite (the token and link are shown once), change roles, remove.
import { useState } from "preact/hooks";
import * as api from "../api";
import { allowed, type Ctx } from "../ctx";
import { mayChangeMembership } from "../roles";
import type { Invitation, Member, Role } from "../types";
import { ConfirmButton, ErrorBox, Secret, Section, useLoad, when } from "../ui";

const ROLES: Role[] = ["owner", "admin", "member", "viewer"];

function RoleSelect({ value, onChange, testid, roles = ROLES }: { value: Role; onChange: (r: Role) => void; testid?: string; roles?: Role[] }) {
  return (
    <select value={value} data-testid={testid} onChange={(e) => onChange((e.target as HTMLSelectElement).value as Role)}>
      {roles.map((r) => (
        <option key={r} value={r}>
          {r}
        </option>
      ))}
    </select>
  );
}

export function MembersPage({ ctx }: { ctx: Ctx }) {
  const team = ctx.team;
  const base = team ? `/api/v1/admin/teams/${api.enc(team.id)}` : "";
  const members = useLoad(async () => (base ? (await api.requestPage<Member>(`${base}/members`)).data : []), [base]);
  const mayWrite = allowed(ctx, "member.write");
  const invitations = useLoad(
    async () => (base && mayWrite ? (await api.requestPage<Invitation>(`${base}/invitations`)).data : []),
    [base, mayWrite],
  );
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("member");
  const [error, setError] = useState<string | null>(null);
  const [invited, setInvited] = useState<Invitation | null>(null);
  // The roles this user may give (admins may not make owners).
  const grantable = ROLES.filter((r) => mayChangeMembership(ctx.role, ctx.me.isAdmin, null, r));

  if (!team) {
    return (
      <>
        <TeamAdmin ctx={ctx} />
        <p class="muted">Pick a team to see its members.</p>
      </>
    );
  }

  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      await Promise.all([members.reload(), invitations.reload()]);
    } catch (err) {
      setError(api.errorText(err));
    }
  };
  const addMember = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await api.request("POST", `${base}/members`, { email: email.trim(), role });
      setEmail("");
    });
  };
  const invite = () =>
    run(async () => {
      setInvited(await api.request<Invitation>("POST", `${base}/invitations`, { email: email.trim(), role }));
      setEmail("");
    });

  return (
    <>
      <TeamAdmin ctx={ctx} />
      {mayWrite && (
        <Section title={`Add to ${team.name}`}>
          <form class="inline" onSubmit={addMember} data-testid="member-add-form">
            <input
              type="email"
              required
              placeholder="Email"
              data-testid="member-email"
              value={email}
              onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
            />
            <RoleSelect value={role} onChange={setRole} testid="member-role" roles={grantable} />
            <button type="submit" class="primary" data-testid="member-add">
              Add existing user
            </button>
            <button type="button" data-testid="member-invite" onClick={() => void invite()} disabled={!email.trim()}>
              Invite
            </button>
          </form>
          <ErrorBox error={error} testid="members-error" />
          {invited?.token && (
            <>
              <Secret label={`Invitation for ${invited.email}`} value={invited.token} testid="invitation-token" />
              <Secret
                label="Invitation link"
                value={`${location.origin}/dashboard/invite#token=${encodeURIComponent(invited.token)}`}
                testid="invitation-link"
              />
            </>
          )}
        </Section>
      )}
      <Section title={`Members of ${team.name}`}>
        <ErrorBox error={members.error} />
        <ul class="list" data-testid="members">
          {members.data?.map((m) => (
            <li key={m.userId} data-testid="member-row">
              <span>{m.email}</span>
              {mayWrite && mayChangeMembership(ctx.role, ctx.me.isAdmin, m.role, null) ? (
                <RoleSelect
                  value={m.role}
                  roles={ROLES.filter((r) => r === m.role || mayChangeMembership(ctx.role, ctx.me.isAdmin, m.role, r))}
                  onChange={(r) => void run(() => api.request("PATCH", `${base}/members/${api.enc(m.userId)}`, { role: r }))}
                />
              ) : (
                <span class="badge">{m.role}</span>
              )}
              {mayWrite && mayChangeMembership(ctx.role, ctx.me.isAdmin, m.role, null) && (
                <ConfirmButton
                  label="Remove"
                  danger
                  question={`Remove ${m.email}?`}
                  confirmLabel="Remove"
                  action={() => run(() => api.request("DELETE", `${base}/members/${api.enc(m.userId)}`))}
                />
              )}
            </li>
          ))}
        </ul>
      </Section>
      {mayWrite && (
        <Section title="Pending invitations">
          <ErrorBox error={invitations.error} />
          {invitations.data?.length === 0 && <p class="muted">None.</p>}
          <ul class="list" data-testid="invitations">
            {invitations.data?.map((i) => (
              <li key={i.id}>
                <span>{i.email}</span>
                <span class="badge">{i.role}</span>
                <span class="muted small-text">expires {when(i.expiresAt)}</span>
                <ConfirmButton
                  label="Revoke"
                  danger
                  question="Revoke this invitation?"
                  confirmLabel="Revoke"
                  action={() => run(() => api.request("DELETE", `${base}/invitations/${api.enc(i.id)}`))}
                />
              </li>
            ))}
          </ul>
        </Section>
      )}
    </>
  );
}

// Create a team (the creator becomes its owner); rename or delete the selected one.
function TeamAdmin({ ctx }: { ctx: Ctx }) {
  const [name, setName] = useState("");
  const [rename, setRename] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const team = ctx.team;
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      await ctx.reloadTeams();
    } catch (err) {
      setError(api.errorText(err));
    }
  };
  return (
    <Section title="Teams">
      <form
        class="inline"
        data-testid="team-create-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await api.request("POST", "/api/v1/admin/teams", { name: name.trim() });
            setName("");
          });
        }}
      >
        <input placeholder="New team name" required maxLength={255} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        <button type="submit">Create team</button>
      </form>
      {team && allowed(ctx, "team.write") && (
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              await api.request("PATCH", `/api/v1/admin/teams/${api.enc(team.id)}`, { name: (rename ?? team.name).trim() });
              setRename(null);
            });
          }}
        >
          <input value={rename ?? team.name} required maxLength={255} onInput={(e) => setRename((e.target as HTMLInputElement).value)} />
          <button type="submit">Rename team</button>
          {allowed(ctx, "team.delete") && (
            <ConfirmButton
              label="Delete team"
              danger
              question={`Delete ${team.name}? Only a team without projects can be deleted.`}
              confirmLabel="Delete"
              action={() => run(() => api.request("DELETE", `/api/v1/admin/teams/${api.enc(team.id)}`))}
            />
          )}
        </form>
      )}
      <ErrorBox error={error} />
    </Section>
  );
}
