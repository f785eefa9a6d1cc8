// Projects of the selected team: create, rename, ABR and rate limit, API key
// regeneration (confirm, then the key is shown once with a copy button).
import { useState } from "preact/hooks";
import * as api from "../api";
import { allowed, type Ctx } from "../ctx";
import type { Project } from "../types";
import { ConfirmButton, ErrorBox, Secret, Section, when } from "../ui";

export function ProjectsPage({ ctx }: { ctx: Ctx }) {
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [shownKey, setShownKey] = useState<{ projectId: string; apiKey: string } | null>(null);
  const mayWrite = allowed(ctx, "project.write");

  const create = async (e: Event) => {
    e.preventDefault();
    if (!ctx.team) return;
    setError(null);
    try {
      const p = await api.request<Project>("POST", "/api/v1/admin/projects", { teamId: ctx.team.id, name: name.trim() });
      setName("");
      if (p.apiKey) setShownKey({ projectId: p.id, apiKey: p.apiKey });
      await ctx.reloadProjects();
      ctx.selectProject(p.id);
    } catch (err) {
      setError(api.errorText(err));
    }
  };

  return (
    <>
      {mayWrite && ctx.team && (
        <Section title="New project">
          <form class="inline" onSubmit={create} data-testid="project-create-form">
            <input
              placeholder="Project name"
              required
              maxLength={255}
              value={name}
              onInput={(e) => setName((e.target as HTMLInputElement).value)}
            />
            <button type="submit" class="primary">
              Create
            </button>
          </form>
          <ErrorBox error={error} />
        </Section>
      )}
      {!ctx.team && <p class="muted">Pick a team first.</p>}
      {ctx.projects.map((p) => (
        <ProjectCard
          key={p.id}
          ctx={ctx}
          project={p}
          shownKey={shownKey?.projectId === p.id ? shownKey.apiKey : null}
          onKey={(apiKey) => setShownKey({ projectId: p.id, apiKey })}
        />
      ))}
    </>
  );
}

function ProjectCard({ ctx, project, shownKey, onKey }: { ctx: Ctx; project: Project; shownKey: string | null; onKey: (k: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState(project.name);
  const [perMinute, setPerMinute] = useState(project.rateLimit ? String(project.rateLimit.perMinute) : "");
  const [perHour, setPerHour] = useState(project.rateLimit ? String(project.rateLimit.perHour) : "");
  const mayWrite = allowed(ctx, "project.write");
  const mayKey = allowed(ctx, "project.key");
  const path = `/api/v1/admin/projects/${api.enc(project.id)}`;

  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      await ctx.reloadProjects();
    } catch (err) {
      setError(api.errorText(err));
    }
  };
  const save = (e: Event) => {
    e.preventDefault();
    const rateLimit = perMinute === "" && perHour === "" ? null : { perMinute: Number(perMinute), perHour: Number(perHour) };
    void run(() => api.request("PATCH", path, { name: name.trim(), rateLimit }));
  };

  return (
    <Section title={project.name} actions={<span class="muted small-text">created {when(project.createdAt)}</span>}>
      <dl class="facts">
        <dt>ID</dt>
        <dd>
          <code>{project.id}</code>
        </dd>
        <dt>ABR</dt>
        <dd>{project.abrEnabled ? "on" : "off"}</dd>
        <dt>Rate limit</dt>
        <dd>{project.rateLimit ? `${project.rateLimit.perMinute}/min, ${project.rateLimit.perHour}/h` : "default"}</dd>
      </dl>
      {mayWrite && (
        <form class="grid-form" onSubmit={save}>
          <label>
            Name
            <input value={name} required maxLength={255} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            Requests per minute
            <input type="number" min={1} value={perMinute} onInput={(e) => setPerMinute((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            Requests per hour
            <input type="number" min={1} value={perHour} onInput={(e) => setPerHour((e.target as HTMLInputElement).value)} />
          </label>
          <div class="row">
            <button type="submit">Save</button>
            <button type="button" onClick={() => void run(() => api.request("PATCH", path, { abrEnabled: !project.abrEnabled }))}>
              {project.abrEnabled ? "Turn ABR off" : "Turn ABR on"}
            </button>
          </div>
        </form>
      )}
      <div class="row">
        {mayKey && (
          <ConfirmButton
            label="Regenerate API key"
            question="The current key stops working now. Continue?"
            confirmLabel="Regenerate"
            testid="regenerate-key"
            action={() =>
              run(async () => {
                const d = await api.request<{ apiKey: string }>("POST", `${path}/api-key`);
                onKey(d.apiKey);
              })
            }
          />
        )}
        {mayWrite && (
          <ConfirmButton
            label="Delete project"
            danger
            question={`Delete ${project.name}?`}
            confirmLabel="Delete"
            testid="delete-project"
            action={() => run(() => api.request("DELETE", path))}
          />
        )}
      </div>
      {shownKey && <Secret label="API key" value={shownKey} testid="api-key" />}
      <ErrorBox error={error} />
    </Section>
  );
}
