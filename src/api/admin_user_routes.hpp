// The administration API's system routes (docs/admin-api-resources.md
// "Users", "Signing keys", "Remote media nodes"): what `lunarstream user`,
// `keys` and `node add|rotate-secret` do, through the same services. System
// administrators only (403 "user may not manage ..." for everyone else).
// Also POST /api/v1/auth/password: any signed-in user changes their own.
#pragma once

#include <cstdint>

#include "api/admin_project_routes.hpp"
#include "api/bounded_pool.hpp"
#include "control/audit_log.hpp"
#include "control/user_service.hpp"
#include "core/random.hpp"
#include "http/router.hpp"

namespace ls::api {

struct AdminUserDeps {
  AdminDeps& admin;
  control::UserService& users;
  Random& random;
  // Argon2id (creating a user, changing a password) runs here, never on a loop or the API workers.
  BoundedPool& hashPool;
  // `keys rotate`'s default delay before a new key signs: twice keys.reload_seconds.
  std::int64_t keysReloadSeconds = 30;
  // POST /api/v1/auth/password answers like a login: its cookies get "; Secure".
  bool cookieSecure = false;
};

void registerAdminUserRoutes(http::Router& router, AdminUserDeps& deps);

}  // namespace ls::api
