import type { Me, Project, Role, TeamRef } from "./types";
import { can, type Action } from "./roles";

// What every page gets from the shell: who is logged in, the selected team
// (and the user's role in it) and project.
export interface Ctx {
  me: Me;
  team: TeamRef | null;
  role: Role | null;
  project: Project | null;
  projects: Project[];
  reloadProjects: () => Promise<void>;
  reloadTeams: () => Promise<void>;
  navigate: (to: string) => void;
  selectProject: (id: string) => void;
}

export const allowed = (ctx: Ctx, action: Action) => can(ctx.role, ctx.me.isAdmin, action);
