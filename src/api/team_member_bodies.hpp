// Request bodies of the team, member and invitation routes (platform
// contract "Admin API"). Unknown fields are 400s; every problem is listed.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "core/model.hpp"
#include "core/status.hpp"

namespace ls::api {

// {name}: 1..255 bytes.
Result<std::string> parseTeamNameBody(const boost::json::object& body);

struct MemberBody {
  std::string email;
  TeamRole role = TeamRole::kViewer;
};
// {email, role}: email up to 320 bytes, role owner|admin|member|viewer.
Result<MemberBody> parseMemberBody(const boost::json::object& body);
// {role}
Result<TeamRole> parseRoleBody(const boost::json::object& body);

struct AcceptBody {
  std::string token;
  std::optional<std::string> password;
};
// {token, password?}: token up to 128, password up to 1024 bytes.
Result<AcceptBody> parseAcceptBody(const boost::json::object& body);

}  // namespace ls::api
