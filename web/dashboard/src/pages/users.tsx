// System administration (isAdmin only): the users (create, admin flag, new
// password, delete) and the access-token signing keys (rotate, retire).
// Routes: /api/v1/admin/users and /api/v1/admin/signing-keys. A route this
// server does not offer yet shows as a readable error.
import { useState } from "preact/hooks";
import * as api from "../api";
import type { Ctx } from "../ctx";
import type { AdminUser, SigningKey } from "../types";
import { ConfirmButton, ErrorBox, Section, useLoad, when } from "../ui";

const USERS = "/api/v1/admin/users";
const KEYS = "/api/v1/admin/signing-keys";

export function UsersPage({ ctx }: { ctx: Ctx }) {
  if (!ctx.me.isAdmin) return <p class="muted">Only system administrators manage users.</p>;
  return (
    <>
      <Users ctx={ctx} />
      <SigningKeys />
    </>
  );
}

function Users({ ctx }: { ctx: Ctx }) {
  const list = useLoad(() => api.get<AdminUser[]>(USERS), []);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [isAdmin, setIsAdmin] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const create = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await api.request<AdminUser>("POST", USERS, { email: email.trim(), password, isAdmin });
      setEmail("");
      setPassword("");
      setIsAdmin(false);
      await list.reload();
    } catch (err) {
      setError(api.errorText(err));
    }
  };

  return (
    <Section title="Users">
      <form class="inline" onSubmit={create} data-testid="user-create-form">
        <input
          type="email"
          required
          placeholder="Email"
          aria-label="Email"
          value={email}
          onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
          data-testid="user-email"
        />
        <input
          type="password"
          required
          minLength={8}
          maxLength={1024}
          autocomplete="new-password"
          placeholder="Password (8 or more characters)"
          aria-label="Password"
          value={password}
          onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
          data-testid="user-password"
        />
        <label class="check">
          <input type="checkbox" checked={isAdmin} onChange={() => setIsAdmin(!isAdmin)} data-testid="user-admin" />
          System administrator
        </label>
        <button type="submit" class="primary" data-testid="user-create">
          Create
        </button>
      </form>
      <ErrorBox error={error} testid="user-create-error" />
      <ErrorBox error={list.error} testid="users-error" />
      <ul class="list" data-testid="users">
        {list.data?.map((u) => (
          <UserRow key={u.id} user={u} self={u.id === ctx.me.id} onChanged={list.reload} />
        ))}
      </ul>
    </Section>
  );
}

function UserRow({ user, self, onChanged }: { user: AdminUser; self: boolean; onChanged: () => Promise<void> }) {
  const [error, setError] = useState<string | null>(null);
  const [password, setPassword] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const path = `${USERS}/${api.enc(user.id)}`;
  const run = async (fn: () => Promise<unknown>, done?: string) => {
    setError(null);
    setNotice(null);
    try {
      await fn();
      if (done) setNotice(done);
      await onChanged();
    } catch (err) {
      setError(api.errorText(err));
    }
  };
  return (
    <li data-testid="user-row" data-email={user.email}>
      <span>
        <strong>{user.email}</strong>
        {user.isAdmin && <span class="badge"> admin</span>}
        {self && <span class="muted small-text"> (you)</span>}
        <div class="muted small-text">since {when(user.createdAt)}</div>
      </span>
      <label class="check">
        <input
          type="checkbox"
          checked={user.isAdmin}
          onChange={() => void run(() => api.request("PATCH", path, { isAdmin: !user.isAdmin }))}
          data-testid="user-admin-toggle"
        />
        Admin
      </label>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await api.request("PATCH", path, { password });
            setPassword("");
          }, "Password changed");
        }}
      >
        <input
          type="password"
          required
          minLength={8}
          maxLength={1024}
          autocomplete="new-password"
          placeholder="New password"
          aria-label={`New password for ${user.email}`}
          value={password}
          onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
        />
        <button type="submit" class="small">
          Set password
        </button>
      </form>
      <ConfirmButton
        label="Delete"
        danger
        question={`Delete ${user.email}?`}
        confirmLabel="Delete"
        testid="user-delete"
        action={() => run(() => api.request("DELETE", path))}
      />
      {notice && <p class="notice">{notice}</p>}
      <ErrorBox error={error} />
    </li>
  );
}

function SigningKeys() {
  const list = useLoad(() => api.get<SigningKey[]>(KEYS), []);
  const [error, setError] = useState<string | null>(null);
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      await list.reload();
    } catch (err) {
      setError(api.errorText(err));
    }
  };
  return (
    <Section
      title="Access-token signing keys"
      actions={
        <ConfirmButton
          label="Rotate"
          question="Make a new signing key?"
          confirmLabel="Rotate"
          testid="key-rotate"
          action={() => run(() => api.request("POST", `${KEYS}/rotate`))}
        />
      }
    >
      <ErrorBox error={error} />
      <ErrorBox error={list.error} testid="keys-error" />
      <ul class="list" data-testid="signing-keys">
        {list.data?.map((k) => (
          <li key={k.kid} data-testid="signing-key">
            <span>
              <code>{k.kid}</code> <span class="badge">{k.state}</span>
              <div class="muted small-text">
                made {when(k.createdAt)} · active from {when(k.activatesAt)} · retires {when(k.retiresAt)}
              </div>
            </span>
            {k.state !== "retired" && (
              <ConfirmButton
                label="Retire"
                danger
                question={`Retire ${k.kid}? Tokens it signed stop working.`}
                confirmLabel="Retire"
                action={() => run(() => api.request("POST", `${KEYS}/${api.enc(k.kid)}/retire`))}
              />
            )}
          </li>
        ))}
      </ul>
    </Section>
  );
}
