// Small shared pieces: loading state, errors, copy, two-step confirmation.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { ComponentChildren } from "preact";
import { errorText } from "./api";

export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const value = await fn();
      if (mine === seq.current) {
        setData(value);
        setError(null);
      }
    } catch (e) {
      if (mine === seq.current) setError(errorText(e));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, deps);
  useEffect(() => {
    setData(null);
    void reload();
  }, [reload]);
  return { data, error, loading, reload, setData };
}

export function ErrorBox({ error, testid }: { error: string | null; testid?: string }) {
  if (!error) return null;
  return (
    <p class="error" role="alert" data-testid={testid ?? "error"}>
      {error}
    </p>
  );
}

export function CopyButton({ text, label = "Copy", testid }: { text: string; label?: string; testid?: string }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setDone(true);
      setTimeout(() => setDone(false), 1500);
    } catch {
      setDone(false);
    }
  };
  return (
    <button type="button" class="small" onClick={copy} data-testid={testid}>
      {done ? "Copied" : label}
    </button>
  );
}

// A value shown once (an API key, a push token, an invitation link).
export function Secret({ label, value, testid }: { label: string; value: string; testid: string }) {
  return (
    <div class="secret">
      <div class="secret-label">{label} — shown once, copy it now</div>
      <div class="row">
        <code data-testid={testid}>{value}</code>
        <CopyButton text={value} testid={`${testid}-copy`} />
      </div>
    </div>
  );
}

// A button that asks "Are you sure?" before running `action`.
export function ConfirmButton(props: {
  label: string;
  confirmLabel?: string;
  question: string;
  action: () => Promise<void> | void;
  danger?: boolean;
  testid?: string;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking) {
    return (
      <button type="button" class={props.danger ? "danger" : ""} onClick={() => setAsking(true)} data-testid={props.testid}>
        {props.label}
      </button>
    );
  }
  return (
    <span class="confirm">
      <span>{props.question}</span>
      <button
        type="button"
        class={props.danger ? "danger" : "primary"}
        disabled={busy}
        data-testid={props.testid ? `${props.testid}-confirm` : undefined}
        onClick={async () => {
          setBusy(true);
          try {
            await props.action();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        {props.confirmLabel ?? "Yes"}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}

export function Section({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <section class="card">
      <header class="card-head">
        <h2>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}

export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

// Runs `fn` every `ms` while the page is visible (and once when it becomes visible again).
// useLoad of `path`, refreshed every `ms` while the page is visible. One
// refresh at a time; an answer for a path that changed meanwhile (a filter,
// another page) is dropped; a failed refresh waits for the next one (the
// first load shows errors).
export function usePolledLoad<T>(path: string, fetch: (path: string) => Promise<T>, ms: number) {
  const load = useLoad(() => fetch(path), [path]);
  const inFlight = useRef(false);
  const currentPath = useRef(path);
  currentPath.current = path;
  useVisiblePoll(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      const asked = path;
      const next = await fetch(asked);
      if (asked === currentPath.current) load.setData(next);
    } catch {
      // Retried by the next poll.
    } finally {
      inFlight.current = false;
    }
  }, ms);
  return load;
}

export function useVisiblePoll(fn: () => void, ms: number, enabled = true) {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    if (!enabled) return;
    let timer: number | undefined;
    const tick = () => {
      if (document.visibilityState === "visible") saved.current();
    };
    const start = () => {
      if (timer === undefined) timer = window.setInterval(tick, ms);
    };
    const stop = () => {
      if (timer !== undefined) window.clearInterval(timer);
      timer = undefined;
    };
    const onVisibility = () => {
      if (document.visibilityState === "visible") {
        tick();
        start();
      } else stop();
    };
    if (document.visibilityState === "visible") start();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      stop();
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [ms, enabled]);
}
