// The logged-in user's own account: change the password
// (POST /api/v1/auth/password; the answer is a login's, so the page keeps
// the new access token and the refresh cookie it sets).
import { useState } from "preact/hooks";
import * as api from "../api";
import type { Ctx } from "../ctx";
import { ErrorBox, Section } from "../ui";

export function AccountPage({ ctx }: { ctx: Ctx }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setNotice(null);
    if (next !== repeat) return setError("The new passwords differ");
    setBusy(true);
    try {
      await api.changePassword(current, next);
      setCurrent("");
      setNext("");
      setRepeat("");
      setNotice("Password changed");
    } catch (err) {
      setError(api.errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const input = (value: string, set: (v: string) => void, label: string, testid: string, auto: string) => (
    <label>
      {label}
      <input
        type="password"
        required
        minLength={testid === "password-current" ? 1 : 8}
        maxLength={1024}
        autocomplete={auto}
        value={value}
        onInput={(e) => set((e.target as HTMLInputElement).value)}
        data-testid={testid}
      />
    </label>
  );
  return (
    <Section title={`Account of ${ctx.me.email}`}>
      <form class="grid-form" onSubmit={submit} data-testid="password-form">
        {input(current, setCurrent, "Current password", "password-current", "current-password")}
        {input(next, setNext, "New password (8 or more characters)", "password-new", "new-password")}
        {input(repeat, setRepeat, "New password again", "password-repeat", "new-password")}
        <div class="row">
          <button type="submit" class="primary" disabled={busy} data-testid="password-submit">
            Change password
          </button>
        </div>
      </form>
      {notice && (
        <p class="notice" data-testid="password-notice">
          {notice}
        </p>
      )}
      <ErrorBox error={error} testid="password-error" />
    </Section>
  );
}
