// What a role may do, to hide what the API would refuse (the API decides;
// this only keeps the page honest). The same table as control/team_policy:
// viewer reads; member manages livestreams; admin also projects, API keys and
// members; owner everything (renaming and deleting the team); isAdmin all.
import type { Role } from "./types";

export type Action =
  | "livestream.write"
  | "project.write"
  | "project.key"
  | "member.write"
  | "team.write"
  | "team.delete"
  | "mediaServer.write"
  | "auditLog.view"
  | "system.admin";

const rank: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };
const needs: Record<Action, number> = {
  "livestream.write": 1,
  "project.write": 2,
  "project.key": 2,
  "member.write": 2,
  "team.write": 3,
  "team.delete": 3,
  "mediaServer.write": 99, // isAdmin only
  "auditLog.view": 2,
  "system.admin": 99, // isAdmin only: users, signing keys
};

export function can(role: Role | null, isAdmin: boolean, action: Action): boolean {
  if (isAdmin) return true;
  if (!role) return false;
  return rank[role] >= needs[action];
}

// Whether `actor` may move a member from role `from` (null: not yet a member)
// to `to` (null: removed): owners any change; admins only non-owners and only
// to non-owner roles (control::mayChangeMembership).
export function mayChangeMembership(actor: Role | null, isAdmin: boolean, from: Role | null, to: Role | null): boolean {
  if (isAdmin || actor === "owner") return true;
  if (actor !== "admin") return false;
  return from !== "owner" && to !== "owner";
}
