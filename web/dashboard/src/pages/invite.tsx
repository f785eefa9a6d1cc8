// /dashboard/invite#token=...: joins the team of an invitation. The token is
// in the fragment, so it never reaches a server log.
import { useState } from "preact/hooks";
import * as api from "../api";
import type { LoginData } from "../types";
import { ErrorBox } from "../ui";

export function invitationToken(): string {
  return new URLSearchParams(location.hash.slice(1)).get("token") ?? "";
}

export function InvitePage({ loggedIn, onJoined }: { loggedIn: boolean; onJoined: (d: LoginData | null) => void }) {
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const token = invitationToken();
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      onJoined(await api.acceptInvitation(token, loggedIn ? undefined : password));
    } catch (err) {
      setError(api.errorText(err));
    }
  };
  return (
    <div class="login">
      <h1>Join a team</h1>
      {!token && <p class="error">This link has no invitation token.</p>}
      <form onSubmit={submit} data-testid="invite-form">
        {!loggedIn && (
          <label>
            Choose a password (new accounts; 8 characters or more)
            <input
              type="password"
              autocomplete="new-password"
              minLength={8}
              value={password}
              onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
            />
          </label>
        )}
        <button type="submit" class="primary" disabled={!token}>
          Accept invitation
        </button>
        <ErrorBox error={error} />
      </form>
    </div>
  );
}
