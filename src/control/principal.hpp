// Who an authenticated admin request acts for (SessionService::authenticate).
#pragma once

#include <string>

namespace ls::control {

struct Principal {
  std::string userId;
  std::string email;
  bool isAdmin;
  std::string sessionId;  // the session family (access token "sid")
};

}  // namespace ls::control
