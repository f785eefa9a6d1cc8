#include "api/team_member_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <utility>

#include "api/admin_access.hpp"
#include "api/auth_routes.hpp"
#include "api/body_reader.hpp"
#include "api/envelope.hpp"
#include "api/team_member_bodies.hpp"
#include "core/time.hpp"

namespace ls::api {

namespace {

using control::TeamAction;

http::Response noStore(http::Response response) {
  response.header("Cache-Control", "no-store");
  return response;
}

http::Response fail(const Status& status) { return noStore(errorFor(status)); }

boost::json::value roleJson(const std::optional<TeamRole>& role) {
  if (!role) return nullptr;
  return boost::json::string(toString(*role));
}

boost::json::object teamJson(const control::TeamView& v) {
  boost::json::object o;
  o["id"] = v.team.id;
  o["name"] = v.team.name;
  o["createdAt"] = formatIso8601(v.team.createdAt);
  o["role"] = roleJson(v.role);
  return o;
}

boost::json::object memberJson(const TeamMember& m) {
  boost::json::object o;
  o["userId"] = m.userId;
  o["email"] = m.email;
  o["role"] = toString(m.role);
  o["createdAt"] = formatIso8601(m.createdAt);
  return o;
}

boost::json::object invitationJson(const TeamInvitation& i) {
  boost::json::object o;
  o["id"] = i.id;
  o["teamId"] = i.teamId;
  o["email"] = i.email;
  o["role"] = toString(i.role);
  o["createdAt"] = formatIso8601(i.createdAt);
  o["expiresAt"] = formatIso8601(i.expiresAt);
  return o;
}

http::Response list(boost::json::array items) {
  const auto n = static_cast<std::int64_t>(items.size());
  return pageResponse(std::move(items), 1, n, n);
}

// Bearer, then the role table for `action` in the route's team.
using Guarded = std::function<http::Response(const http::Request&, const control::Principal&)>;

http::Handler guarded(TeamRouteDeps& deps, std::optional<TeamAction> action, Guarded handler) {
  return [&deps, action, handler = std::move(handler)](const http::Request& request) -> http::Response {
    auto principal = requirePrincipal(request, deps.sessions, deps.clock);
    if (!principal.ok()) return fail(principal.status());
    if (action) {
      const Status allowed = requireTeamAction(*principal, request.param("id"), *action, deps.store);
      if (!allowed.isOk()) return fail(allowed);
    }
    return noStore(handler(request, *principal));
  };
}

template <typename T, typename Parse>
Result<T> body(const http::Request& request, Parse&& parse) {
  auto object = parseJsonObject(request);
  if (!object.ok()) return object.status();
  return parse(*object);
}

void registerTeams(http::Router& router, TeamRouteDeps& d) {
  using M = http::Method;
  const auto onWorkers = http::Runs::kOnWorkers;
  router.add(M::kGet, "/api/v1/admin/teams",
             guarded(d, std::nullopt,
                     [&d](const http::Request&, const control::Principal& p) {
                       auto teams = d.teams.listTeams(control::actingUser(p));
                       if (!teams.ok()) return errorFor(teams.status());
                       boost::json::array items;
                       for (const control::TeamView& t : *teams) items.push_back(teamJson(t));
                       return list(std::move(items));
                     }),
             onWorkers);
  router.add(M::kPost, "/api/v1/admin/teams",
             guarded(d, std::nullopt,
                     [&d](const http::Request& r, const control::Principal& p) {
                       auto name = body<std::string>(r, parseTeamNameBody);
                       if (!name.ok()) return errorFor(name.status());
                       auto team = d.teams.createTeam(control::actingUser(p), *name);
                       if (!team.ok()) return errorFor(team.status());
                       return dataResponse(201, teamJson(*team));
                     }),
             onWorkers);
  router.add(M::kGet, "/api/v1/admin/teams/:id",
             guarded(d, TeamAction::kViewTeam,
                     [&d](const http::Request& r, const control::Principal& p) {
                       auto team = d.teams.getTeam(control::actingUser(p), r.param("id"));
                       if (!team.ok()) return errorFor(team.status());
                       return dataResponse(200, teamJson(*team));
                     }),
             onWorkers);
  router.add(M::kPatch, "/api/v1/admin/teams/:id",
             guarded(d, TeamAction::kRenameTeam,
                     [&d](const http::Request& r, const control::Principal& p) {
                       auto name = body<std::string>(r, parseTeamNameBody);
                       if (!name.ok()) return errorFor(name.status());
                       auto team = d.teams.renameTeam(control::actingUser(p), r.param("id"), *name);
                       if (!team.ok()) return errorFor(team.status());
                       return dataResponse(200, teamJson(*team));
                     }),
             onWorkers);
  router.add(M::kDelete, "/api/v1/admin/teams/:id",
             guarded(d, TeamAction::kDeleteTeam,
                     [&d](const http::Request& r, const control::Principal& p) {
                       const Status s = d.teams.deleteTeam(control::actingUser(p), r.param("id"));
                       if (!s.isOk()) return errorFor(s);
                       boost::json::object data;
                       data["deleted"] = true;
                       return dataResponse(200, std::move(data));
                     }),
             onWorkers);
}

void registerMembers(http::Router& router, TeamRouteDeps& d) {
  using M = http::Method;
  const auto onWorkers = http::Runs::kOnWorkers;
  router.add(M::kGet, "/api/v1/admin/teams/:id/members",
             guarded(d, TeamAction::kViewMembers,
                     [&d](const http::Request& r, const control::Principal& p) {
                       auto members = d.teams.listMembers(control::actingUser(p), r.param("id"));
                       if (!members.ok()) return errorFor(members.status());
                       boost::json::array items;
                       for (const TeamMember& m : *members) items.push_back(memberJson(m));
                       return list(std::move(items));
                     }),
             onWorkers);
  router.add(M::kPost, "/api/v1/admin/teams/:id/members",
             guarded(d, TeamAction::kAddMember,
                     [&d](const http::Request& r, const control::Principal& p) {
                       auto b = body<MemberBody>(r, parseMemberBody);
                       if (!b.ok()) return errorFor(b.status());
                       auto m = d.teams.addMember(control::actingUser(p), r.param("id"), b->email, b->role);
                       if (!m.ok()) return errorFor(m.status());
                       return dataResponse(201, memberJson(*m));
                     }),
             onWorkers);
  router.add(M::kPatch, "/api/v1/admin/teams/:id/members/:userId",
             guarded(d, TeamAction::kChangeMemberRole,
                     [&d](const http::Request& r, const control::Principal& p) {
                       auto role = body<TeamRole>(r, parseRoleBody);
                       if (!role.ok()) return errorFor(role.status());
                       auto m = d.teams.changeRole(control::actingUser(p), r.param("id"), r.param("userId"), *role);
                       if (!m.ok()) return errorFor(m.status());
                       return dataResponse(200, memberJson(*m));
                     }),
             onWorkers);
  router.add(M::kDelete, "/api/v1/admin/teams/:id/members/:userId",
             guarded(d, TeamAction::kRemoveMember,
                     [&d](const http::Request& r, const control::Principal& p) {
                       const Status s = d.teams.removeMember(control::actingUser(p), r.param("id"), r.param("userId"));
                       if (!s.isOk()) return errorFor(s);
                       boost::json::object data;
                       data["removed"] = true;
                       return dataResponse(200, std::move(data));
                     }),
             onWorkers);
}

void registerInvitations(http::Router& router, TeamRouteDeps& d) {
  using M = http::Method;
  const auto onWorkers = http::Runs::kOnWorkers;
  router.add(M::kGet, "/api/v1/admin/teams/:id/invitations",
             guarded(d, TeamAction::kInviteMember,
                     [&d](const http::Request& r, const control::Principal& p) {
                       auto invitations = d.teams.listInvitations(control::actingUser(p), r.param("id"));
                       if (!invitations.ok()) return errorFor(invitations.status());
                       boost::json::array items;
                       for (const TeamInvitation& i : *invitations) items.push_back(invitationJson(i));
                       return list(std::move(items));
                     }),
             onWorkers);
  router.add(M::kPost, "/api/v1/admin/teams/:id/invitations",
             guarded(d, TeamAction::kInviteMember,
                     [&d](const http::Request& r, const control::Principal& p) {
                       auto b = body<MemberBody>(r, parseMemberBody);
                       if (!b.ok()) return errorFor(b.status());
                       auto issued = d.teams.invite(control::actingUser(p), r.param("id"), b->email, b->role);
                       if (!issued.ok()) return errorFor(issued.status());
                       boost::json::object data = invitationJson(issued->invitation);
                       data["token"] = issued->token;  // shown once
                       return dataResponse(201, std::move(data));
                     }),
             onWorkers);
  router.add(M::kDelete, "/api/v1/admin/teams/:id/invitations/:invId",
             guarded(d, TeamAction::kInviteMember,
                     [&d](const http::Request& r, const control::Principal& p) {
                       const Status s =
                           d.teams.revokeInvitation(control::actingUser(p), r.param("id"), r.param("invId"));
                       if (!s.isOk()) return errorFor(s);
                       boost::json::object data;
                       data["revoked"] = true;
                       return dataResponse(200, std::move(data));
                     }),
             onWorkers);
  // Public: a new user has no token yet. With a Bearer, that user joins.
  router.add(
      M::kPost, "/api/v1/auth/invitations/accept",
      [&d](const http::Request& r) -> http::Response {
        std::optional<control::Principal> principal;
        if (!r.bearerToken().empty()) {
          auto p = requirePrincipal(r, d.sessions, d.clock);
          if (!p.ok()) return fail(p.status());
          principal = std::move(*p);
        }
        auto b = body<AcceptBody>(r, parseAcceptBody);
        if (!b.ok()) return fail(b.status());
        std::optional<std::string_view> password;
        if (b->password) password = *b->password;
        auto accepted = d.teams.accept(b->token, principal, principal ? std::nullopt : password);
        if (!accepted.ok()) return fail(accepted.status());
        if (accepted->session) return sessionResponse(*accepted->session, d.cookieSecure);
        boost::json::object data;
        data["teamId"] = accepted->invitation.teamId;
        data["role"] = toString(accepted->invitation.role);
        data["user"] = boost::json::object{{"id", accepted->user.id}, {"email", accepted->user.email},
                                           {"isAdmin", accepted->user.isAdmin}};
        return noStore(dataResponse(200, std::move(data)));
      },
      onWorkers);
}

}  // namespace

void registerTeamMemberRoutes(http::Router& router, TeamRouteDeps& deps) {
  registerTeams(router, deps);
  registerMembers(router, deps);
  registerInvitations(router, deps);
}

}  // namespace ls::api
