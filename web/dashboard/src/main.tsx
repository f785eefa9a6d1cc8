// The dashboard: login, then a team and project switcher over pages for
// livestreams, projects, usage, members, media servers, the audit log, users
// and keys (system administrators) and the user's own account. Client-side routes
// live under /dashboard/ (the server answers index.html for each of them).
import "./style.css";
import { render } from "preact";
import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import * as api from "./api";
import { allowed, type Ctx } from "./ctx";
import type { LoginData, Me, Project, Team, TeamRef } from "./types";
import { LoginPage } from "./pages/login";
import { LivestreamsPage } from "./pages/livestreams";
import { ProjectsPage } from "./pages/projects";
import { MediaServersPage } from "./pages/media_servers";
import { UsagePage } from "./pages/usage";
import { MembersPage } from "./pages/members";
import { InvitePage } from "./pages/invite";
import { AuditLogPage } from "./pages/audit_log";
import { UsersPage } from "./pages/users";
import { AccountPage } from "./pages/account";
import { ErrorBox } from "./ui";

const BASE = "/dashboard/";
const PAGES = [
  { path: "livestreams", title: "Livestreams" },
  { path: "projects", title: "Projects" },
  { path: "usage", title: "Usage" },
  { path: "members", title: "Members" },
  { path: "media-servers", title: "Media servers" },
  { path: "audit-log", title: "Audit log" },
  { path: "users", title: "Users & keys" },
  { path: "account", title: "Account" },
] as const;

// Pages hidden from users who could not use them (the API refuses anyway).
function pageVisible(ctx: Ctx, path: string): boolean {
  if (path === "audit-log") return allowed(ctx, "auditLog.view");
  if (path === "users") return ctx.me.isAdmin;
  return true;
}

function currentPath(): string {
  const p = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : "";
  return p.replace(/\/+$/, "");
}

type Phase = { kind: "loading" } | { kind: "login"; notice: string | null } | { kind: "ready"; me: Me };

function meFromLogin(data: LoginData): Me {
  return { ...data.user, createdAt: "", teams: [] };
}

function App() {
  const [phase, setPhase] = useState<Phase>({ kind: "loading" });
  const [path, setPath] = useState(currentPath());

  useEffect(() => {
    const onPop = () => setPath(currentPath());
    window.addEventListener("popstate", onPop);
    api.setSessionEndedHandler(() => setPhase({ kind: "login", notice: "Your session has ended" }));
    // Restore the session from the refresh cookie, if there is one.
    void (async () => {
      const restored = await api.refreshSession();
      if (!restored) return setPhase({ kind: "login", notice: null });
      setPhase({ kind: "ready", me: await loadMe(restored) });
    })();
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  const navigate = useCallback((to: string) => {
    history.pushState(null, "", BASE + to);
    setPath(currentPath());
    window.scrollTo(0, 0);
  }, []);

  if (phase.kind === "loading") return <p class="center muted">Loading…</p>;
  if (path === "invite") {
    return (
      <InvitePage
        loggedIn={phase.kind === "ready"}
        onJoined={async (data) => {
          history.replaceState(null, "", BASE);
          setPath("");
          if (data) setPhase({ kind: "ready", me: await loadMe(data) });
          else if (phase.kind === "ready") setPhase({ kind: "ready", me: await api.me().catch(() => phase.me) });
          else setPhase({ kind: "login", notice: "Invitation accepted; log in" });
        }}
      />
    );
  }
  if (phase.kind === "login") {
    return (
      <LoginPage
        notice={phase.notice}
        onLoggedIn={async (data) => setPhase({ kind: "ready", me: await loadMe(data) })}
      />
    );
  }
  return (
    <Shell
      me={phase.me}
      path={path}
      navigate={navigate}
      onLogout={async () => {
        await api.logout().catch(() => undefined);
        setPhase({ kind: "login", notice: "Logged out" });
      }}
    />
  );
}

// /auth/me (teams with roles); the login answer alone when it is not there.
async function loadMe(data: LoginData): Promise<Me> {
  try {
    return await api.me();
  } catch {
    return meFromLogin(data);
  }
}

function Shell({ me, path, navigate, onLogout }: { me: Me; path: string; navigate: (to: string) => void; onLogout: () => void }) {
  const [teams, setTeams] = useState<TeamRef[]>(me.teams);
  const [teamsError, setTeamsError] = useState<string | null>(null);
  const [teamId, setTeamId] = useState<string>(me.teams[0]?.id ?? "");
  const [projects, setProjects] = useState<Project[]>([]);
  const [projectsError, setProjectsError] = useState<string | null>(null);
  const [projectId, setProjectId] = useState<string>("");
  const [menuOpen, setMenuOpen] = useState(false);

  const reloadTeams = useCallback(async () => {
    try {
      const list = await api.get<Team[]>("/api/v1/admin/teams");
      setTeams(list);
      setTeamsError(null);
      setTeamId((cur) => (list.some((t) => t.id === cur) ? cur : list[0]?.id ?? ""));
    } catch (e) {
      setTeamsError(api.errorText(e));
    }
  }, []);
  useEffect(() => void reloadTeams(), [reloadTeams]);

  const reloadProjects = useCallback(async () => {
    if (!teamId) return setProjects([]);
    try {
      const page = await api.requestPage<Project>(`/api/v1/admin/projects${api.query({ teamId })}`);
      setProjects(page.data);
      setProjectsError(null);
      setProjectId((cur) => (page.data.some((p) => p.id === cur) ? cur : page.data[0]?.id ?? ""));
    } catch (e) {
      setProjectsError(api.errorText(e));
    }
  }, [teamId]);
  useEffect(() => void reloadProjects(), [reloadProjects]);

  const team = teams.find((t) => t.id === teamId) ?? null;
  const role = team?.role ?? me.teams.find((t) => t.id === teamId)?.role ?? null;
  const project = projects.find((p) => p.id === projectId) ?? null;
  const ctx: Ctx = useMemo(
    () => ({ me, team, role, project, projects, reloadProjects, reloadTeams, navigate, selectProject: setProjectId }),
    [me, team, role, project, projects, reloadProjects, reloadTeams, navigate],
  );

  const [page, ...rest] = path.split("/");
  const visible = PAGES.filter((p) => pageVisible(ctx, p.path));
  const current = visible.find((p) => p.path === page)?.path ?? "livestreams";
  let body;
  switch (current) {
    case "projects":
      body = <ProjectsPage ctx={ctx} />;
      break;
    case "usage":
      body = <UsagePage ctx={ctx} />;
      break;
    case "members":
      body = <MembersPage ctx={ctx} />;
      break;
    case "media-servers":
      body = <MediaServersPage ctx={ctx} />;
      break;
    case "audit-log":
      body = <AuditLogPage ctx={ctx} />;
      break;
    case "users":
      body = <UsersPage ctx={ctx} />;
      break;
    case "account":
      body = <AccountPage ctx={ctx} />;
      break;
    default:
      body = <LivestreamsPage ctx={ctx} selectedId={rest[0] ?? null} />;
  }

  return (
    <div class="shell">
      <header class="top">
        <button type="button" class="menu-toggle" aria-label="Menu" onClick={() => setMenuOpen(!menuOpen)}>
          ☰
        </button>
        <strong class="brand">LunarStream</strong>
        <div class="switchers">
          <label>
            <span class="sr-only">Team</span>
            <select data-testid="team-switcher" value={teamId} onChange={(e) => setTeamId((e.target as HTMLSelectElement).value)}>
              {teams.length === 0 && <option value="">No team</option>}
              {teams.map((t) => (
                <option value={t.id} key={t.id}>
                  {t.name} ({t.role})
                </option>
              ))}
            </select>
          </label>
          <label>
            <span class="sr-only">Project</span>
            <select
              data-testid="project-switcher"
              value={projectId}
              onChange={(e) => setProjectId((e.target as HTMLSelectElement).value)}
            >
              {projects.length === 0 && <option value="">No project</option>}
              {projects.map((p) => (
                <option value={p.id} key={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <span class="who" data-testid="current-user">
          {me.email}
          {me.isAdmin ? " (admin)" : ""}
        </span>
        <button type="button" class="small" onClick={onLogout} data-testid="logout">
          Log out
        </button>
      </header>
      <nav class={menuOpen ? "nav open" : "nav"}>
        {visible.map((p) => (
          <a
            key={p.path}
            href={BASE + p.path}
            class={p.path === current ? "active" : ""}
            data-testid={`nav-${p.path}`}
            onClick={(e) => {
              e.preventDefault();
              setMenuOpen(false);
              navigate(p.path);
            }}
          >
            {p.title}
          </a>
        ))}
      </nav>
      <main>
        <ErrorBox error={teamsError && `Teams: ${teamsError}`} />
        <ErrorBox error={projectsError && `Projects: ${projectsError}`} />
        {body}
      </main>
    </div>
  );
}

render(<App />, document.getElementById("app")!);
