import { useState } from "preact/hooks";
import * as api from "../api";
import type { LoginData } from "../types";
import { ErrorBox } from "../ui";

export function LoginPage({ notice, onLoggedIn }: { notice: string | null; onLoggedIn: (d: LoginData) => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onLoggedIn(await api.login(email.trim(), password));
    } catch (err) {
      setError(api.errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="login">
      <h1>LunarStream</h1>
      {notice && (
        <p class="notice" data-testid="login-notice">
          {notice}
        </p>
      )}
      <form data-testid="login-form" onSubmit={submit}>
        <label>
          Email
          <input
            type="email"
            name="email"
            autocomplete="username"
            required
            data-testid="login-email"
            value={email}
            onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            name="password"
            autocomplete="current-password"
            required
            data-testid="login-password"
            value={password}
            onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" class="primary" disabled={busy} data-testid="login-submit">
          {busy ? "Logging in…" : "Log in"}
        </button>
        <ErrorBox error={error} testid="login-error" />
      </form>
    </div>
  );
}
