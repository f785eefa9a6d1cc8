#include "api/admin_user_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/admin_bodies.hpp"
#include "api/auth_routes.hpp"
#include "api/body_reader.hpp"
#include "api/envelope.hpp"
#include "auth/password.hpp"
#include "api/livestream_json.hpp"
#include "control/signing_keys.hpp"
#include "core/time.hpp"

namespace ls::api {

namespace {

using control::Principal;

constexpr std::string_view kUsersAction = "users";
constexpr std::string_view kKeysAction = "signing keys";
constexpr std::string_view kServersAction = "media servers";

Actor actorOf(const Principal& p) { return Actor{ActorType::kUser, p.userId, p.email}; }

Status requireSystemAdmin(const Principal& principal, std::string_view what) {
  if (principal.isAdmin) return Status::ok();
  return Status(Code::kPermissionDenied, "user may not manage " + std::string(what));
}

http::Response noStore(http::Response response) {
  response.header("Cache-Control", "no-store");
  return response;
}

http::Response fail(const Status& s) { return noStore(errorFor(s)); }

void audit(AdminUserDeps& deps, const Principal& principal, std::string_view action, std::string_view targetType,
           std::string_view targetId, std::vector<control::AuditDetail> details) {
  control::AuditLog log(deps.admin.store, deps.admin.api.clock, deps.random);
  log.record(actorOf(principal), control::AuditRecord{.action = action,
                                                      .teamId = {},
                                                      .projectId = {},
                                                      .targetType = std::string(targetType),
                                                      .targetId = std::string(targetId),
                                                      .details = std::move(details)});
}

// ---- users ----

boost::json::object userJson(const UserRecord& u) {
  return boost::json::object{{"id", u.id},
                             {"email", u.email},
                             {"isAdmin", u.isAdmin},
                             {"createdAt", formatIso8601(u.createdAt)},
                             {"updatedAt", formatIso8601(u.updatedAt)}};
}

Result<UserRecord> findUser(AdminUserDeps& deps, std::string_view id) {
  if (Status s = requireUuidParam(id); !s.isOk()) return s;
  auto user = deps.admin.store.findUser(id);
  if (!user.ok()) return user.status();
  if (!user->has_value()) return notFound("User not found");
  return std::move(**user);
}

http::Response listUsers(AdminUserDeps& deps, const http::Request&, const Principal& principal) {
  if (Status s = requireSystemAdmin(principal, kUsersAction); !s.isOk()) return errorFor(s);
  auto users = deps.users.list();
  if (!users.ok()) return errorFor(users.status());
  boost::json::array items;
  items.reserve(users->size());
  for (const UserRecord& u : *users) items.emplace_back(userJson(u));
  const auto n = static_cast<std::int64_t>(items.size());
  return pageResponse(std::move(items), 1, n == 0 ? 1 : n, n);
}

http::Response createUser(AdminUserDeps& deps, const boost::json::object& json, std::string_view,
                          const Principal& principal) {
  if (Status s = requireSystemAdmin(principal, kUsersAction); !s.isOk()) return errorFor(s);
  auto body = parseCreateUserBody(json);
  if (!body.ok()) return errorFor(body.status());
  auto created = deps.users.create(body->email, body->password, body->isAdmin);
  if (!created.ok()) {
    if (created.status().code() == Code::kConflict) return errorFor(Status(Code::kConflict, "Email already in use"));
    return errorFor(created.status());
  }
  audit(deps, principal, control::audit::kUserCreated, "user", created->id,
        {control::textDetail("email", created->email), control::boolDetail("isAdmin", created->isAdmin)});
  return dataResponse(201, userJson(*created));
}

http::Response updateUser(AdminUserDeps& deps, const boost::json::object& json, std::string_view id,
                          const Principal& principal) {
  if (Status s = requireSystemAdmin(principal, kUsersAction); !s.isOk()) return errorFor(s);
  auto user = findUser(deps, id);
  if (!user.ok()) return errorFor(user.status());
  auto body = parseUpdateUserBody(json);
  if (!body.ok()) return errorFor(body.status());
  if (body->isAdmin && *body->isAdmin != user->isAdmin) {
    // The store refuses (409) demoting the last administrator, in the same statement.
    Status s = deps.admin.store.setUserAdmin(user->id, *body->isAdmin, deps.admin.api.clock.now());
    if (!s.isOk()) return errorFor(s);
    audit(deps, principal, control::audit::kUserAdminChanged, "user", user->id,
          {control::textDetail("email", user->email), control::boolDetail("isAdmin", *body->isAdmin)});
  }
  if (body->password) {
    // Ends every session of the user, as `user set-password` does.
    if (Status s = deps.users.setPassword(user->email, *body->password); !s.isOk()) return errorFor(s);
    audit(deps, principal, control::audit::kUserPasswordChanged, "user", user->id,
          {control::textDetail("email", user->email)});
  }
  auto updated = findUser(deps, user->id);
  if (!updated.ok()) return errorFor(updated.status());
  return dataResponse(200, userJson(*updated));
}

http::Response deleteUser(AdminUserDeps& deps, const http::Request& request, const Principal& principal) {
  if (Status s = requireSystemAdmin(principal, kUsersAction); !s.isOk()) return errorFor(s);
  auto user = findUser(deps, request.param("id"));
  if (!user.ok()) return errorFor(user.status());
  if (user->id == principal.userId) {
    return errorFor(Status(Code::kConflict, "You cannot delete yourself; another administrator can"));
  }
  // The store refuses (409, nothing deleted) the last administrator, in the
  // same transaction, so two administrators deleting each other leave one.
  if (Status s = deps.users.remove(user->email); !s.isOk()) return errorFor(s);
  audit(deps, principal, control::audit::kUserDeleted, "user", user->id, {control::textDetail("email", user->email)});
  return dataResponse(200, boost::json::object{{"id", user->id}});
}

// Any signed-in user: the current password must match (403 otherwise); every
// session of the user ends and a new one answers, like a login.
http::Response changeOwnPassword(AdminUserDeps& deps, const boost::json::object& json, std::string_view,
                                 const Principal& principal) {
  auto body = parseChangePasswordBody(json);
  if (!body.ok()) return errorFor(body.status());
  auto user = deps.admin.store.findUser(principal.userId);
  if (!user.ok()) return errorFor(user.status());
  if (!user->has_value() || !auth::verifyPassword(body->currentPassword, (*user)->passwordHash)) {
    return errorFor(Status(Code::kPermissionDenied, "Current password is wrong"));
  }
  if (Status s = deps.users.setPassword((*user)->email, body->newPassword); !s.isOk()) return errorFor(s);
  audit(deps, principal, control::audit::kUserPasswordChanged, "user", principal.userId,
        {control::textDetail("email", (*user)->email)});
  auto issued = deps.admin.sessions.login((*user)->email, body->newPassword);
  if (!issued.ok()) return errorFor(issued.status());
  return sessionResponse(*issued, deps.cookieSecure);
}

// ---- signing keys ----

boost::json::object keyJson(const SigningKeyRecord& k, control::SigningKeyState state) {
  boost::json::object o{{"kid", k.kid},
                        {"createdAt", formatIso8601(k.createdAt)},
                        {"activatesAt", formatIso8601(k.activatesAt)},
                        {"state", control::toString(state)}};
  o["retiresAt"] = k.retiresAt ? boost::json::value(formatIso8601(*k.retiresAt)) : boost::json::value(nullptr);
  return o;
}

// The keys with their states now, as `keys list` shows them; never a private key.
Result<boost::json::array> keyRows(AdminUserDeps& deps, std::optional<std::string_view> onlyKid) {
  auto keys = deps.admin.store.listSigningKeys();
  if (!keys.ok()) return keys.status();
  const control::KeySchedule schedule = control::scheduleKeys(*keys, deps.admin.api.clock.now());
  boost::json::array out;
  for (std::size_t i = 0; i < keys->size(); ++i) {
    if (onlyKid && (*keys)[i].kid != *onlyKid) continue;
    out.emplace_back(keyJson((*keys)[i], schedule.states[i]));
  }
  return out;
}

http::Response listKeys(AdminUserDeps& deps, const http::Request&, const Principal& principal) {
  if (Status s = requireSystemAdmin(principal, kKeysAction); !s.isOk()) return errorFor(s);
  auto rows = keyRows(deps, std::nullopt);
  if (!rows.ok()) return errorFor(rows.status());
  const auto n = static_cast<std::int64_t>(rows->size());
  return pageResponse(std::move(*rows), 1, n == 0 ? 1 : n, n);
}

http::Response rotateKey(AdminUserDeps& deps, const http::Request& request, const Principal& principal) {
  if (Status s = requireSystemAdmin(principal, kKeysAction); !s.isOk()) return errorFor(s);
  std::optional<std::int64_t> activateAfter;
  if (!request.body().empty()) {
    auto json = parseJsonObject(request);
    if (!json.ok()) return errorFor(json.status());
    auto parsed = parseRotateKeyBody(*json);
    if (!parsed.ok()) return errorFor(parsed.status());
    activateAfter = *parsed;
  }
  const std::int64_t afterSeconds = activateAfter.value_or(2 * deps.keysReloadSeconds);
  auto rotation = control::rotateSigningKey(deps.admin.store, deps.admin.api.clock, afterSeconds * 1000);
  if (!rotation.ok()) return errorFor(rotation.status());
  std::vector<control::AuditDetail> details{control::numberDetail("activateAfterSeconds", afterSeconds)};
  if (rotation->retiring) details.push_back(control::textDetail("retiringKid", rotation->retiring->kid));
  audit(deps, principal, control::audit::kSigningKeyRotated, "signing_key", rotation->added.kid, std::move(details));
  auto rows = keyRows(deps, rotation->added.kid);
  if (!rows.ok()) return errorFor(rows.status());
  if (rows->empty()) return errorFor(Status(Code::kInternal, "the new signing key was not found"));
  return dataResponse(201, std::move(rows->front().as_object()));
}

http::Response retireKey(AdminUserDeps& deps, const http::Request& request, const Principal& principal) {
  if (Status s = requireSystemAdmin(principal, kKeysAction); !s.isOk()) return errorFor(s);
  const std::string kid(request.param("kid"));
  if (kid.empty() || kid.size() > 200) return errorFor(notFound("Signing key not found"));
  Status s = deps.admin.store.retireSigningKey({.kid = kid, .at = deps.admin.api.clock.now()});
  if (s.code() == Code::kNotFound) return errorFor(notFound("Signing key not found"));
  if (!s.isOk()) return errorFor(s);
  audit(deps, principal, control::audit::kSigningKeyRetired, "signing_key", kid, {});
  auto rows = keyRows(deps, kid);
  if (!rows.ok()) return errorFor(rows.status());
  if (rows->empty()) return errorFor(notFound("Signing key not found"));
  return dataResponse(200, std::move(rows->front().as_object()));
}

// ---- remote media nodes ----

boost::json::object nodeJson(const control::AddedMediaServer& added) {
  boost::json::object o = mediaServerJson(control::NodeView{added.server, NodeStatus::kUnknown, 0});
  o["status"] = "unknown";
  o["nodeSecret"] = added.hookSecret;
  return o;
}

http::Response addNode(AdminUserDeps& deps, const http::Request& request, const Principal& principal) {
  if (Status s = requireSystemAdmin(principal, kServersAction); !s.isOk()) return errorFor(s);
  auto json = parseJsonObject(request);
  if (!json.ok()) return errorFor(json.status());
  auto input = parseMediaNodeBody(*json);
  if (!input.ok()) return errorFor(input.status());
  auto added = deps.admin.api.mediaServers.addNode(*input, actorOf(principal));
  if (!added.ok()) return errorFor(added.status());
  return dataResponse(201, nodeJson(*added));
}

http::Response rotateNodeSecret(AdminUserDeps& deps, const http::Request& request, const Principal& principal) {
  if (Status s = requireSystemAdmin(principal, kServersAction); !s.isOk()) return errorFor(s);
  const std::string_view id = request.param("id");
  if (Status s = requireUuidParam(id); !s.isOk()) return errorFor(s);
  auto current = deps.admin.api.mediaServers.get(id);
  if (!current.ok()) return errorFor(current.status());
  if (!isRemoteNode(*current)) {
    return errorFor(invalidArgument("media server " + std::string(id) + " is not a remote media node"));
  }
  auto rotated = deps.admin.api.mediaServers.rotateNodeSecret(id, actorOf(principal));
  if (!rotated.ok()) return errorFor(rotated.status());
  return dataResponse(200, nodeJson(*rotated));
}

// ---- gates ----

using UserHandler = http::Response (*)(AdminUserDeps&, const http::Request&, const Principal&);

http::Handler endpoint(AdminUserDeps& deps, UserHandler fn) {
  return principalEndpoint(deps.admin.sessions, deps.admin.api.clock,
                           [&deps, fn](const http::Request& r, const Principal& p) { return fn(deps, r, p); });
}

// Handlers that may hash a password: the bearer token, path id and body are
// taken on the loop (cheap), everything else (the session read, argon2id,
// the Store) on the bounded hashing pool; a full queue answers 503.
using HashingHandler = http::Response (*)(AdminUserDeps&, const boost::json::object&, std::string_view,
                                          const Principal&);

http::Response busy() {
  http::Response response = http::errorResponse(503, "Too many password operations in progress; try again shortly");
  response.header("Retry-After", "1");
  return noStore(std::move(response));
}

http::DeferredHandler hashingEndpoint(AdminUserDeps& deps, HashingHandler fn) {
  return [&deps, fn](const http::Request& request, http::Responder respond) {
    std::string bearer(request.bearerToken());
    std::string id(request.param("id"));
    auto json = parseJsonObject(request);
    const bool queued = deps.hashPool.submit([&deps, fn, respond, bearer = std::move(bearer), id = std::move(id),
                                              json = std::move(json)]() {
      if (!respond.pending()) return;
      auto principal = deps.admin.sessions.authenticate(bearer, deps.admin.api.clock.now());
      if (!principal.ok()) {
        respond.send(fail(principal.status()));
        return;
      }
      if (!json.ok()) {
        respond.send(fail(json.status()));
        return;
      }
      respond.send(noStore(fn(deps, *json, id, *principal)));
    });
    if (!queued) respond.send(busy());
  };
}

}  // namespace

void registerAdminUserRoutes(http::Router& router, AdminUserDeps& deps) {
  using M = http::Method;
  constexpr auto kWorkers = http::Runs::kOnWorkers;
  const http::Deferral deferral{std::chrono::milliseconds(30000), [](const http::Request&) { return busy(); }};
  router.add(M::kGet, "/api/v1/admin/users", endpoint(deps, listUsers), kWorkers);
  router.addDeferred(M::kPost, "/api/v1/admin/users", hashingEndpoint(deps, createUser), deferral);
  router.addDeferred(M::kPatch, "/api/v1/admin/users/:id", hashingEndpoint(deps, updateUser), deferral);
  router.add(M::kDelete, "/api/v1/admin/users/:id", endpoint(deps, deleteUser), kWorkers);
  router.addDeferred(M::kPost, "/api/v1/auth/password", hashingEndpoint(deps, changeOwnPassword), deferral);
  router.add(M::kGet, "/api/v1/admin/signing-keys", endpoint(deps, listKeys), kWorkers);
  router.add(M::kPost, "/api/v1/admin/signing-keys/rotate", endpoint(deps, rotateKey), kWorkers);
  router.add(M::kPost, "/api/v1/admin/signing-keys/:kid/retire", endpoint(deps, retireKey), kWorkers);
  router.add(M::kPost, "/api/v1/admin/media-servers/nodes", endpoint(deps, addNode), kWorkers);
  router.add(M::kPost, "/api/v1/admin/media-servers/:id/node-secret", endpoint(deps, rotateNodeSecret), kWorkers);
}

}  // namespace ls::api
