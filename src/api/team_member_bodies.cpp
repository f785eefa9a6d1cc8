#include "api/team_member_bodies.hpp"

#include <utility>

#include "api/body_reader.hpp"

namespace ls::api {

namespace {

std::optional<TeamRole> role(Validator& v, const boost::json::object& body) {
  auto text = v.string(body, "role", true, 16);
  if (!text) return std::nullopt;
  auto parsed = parseTeamRole(*text);
  if (!parsed) v.fail("role must be one of the following values: owner, admin, member, viewer");
  return parsed;
}

}  // namespace

Result<std::string> parseTeamNameBody(const boost::json::object& body) {
  Validator v;
  v.onlyFields(body, {"name"});
  auto name = v.string(body, "name", true, 255);
  if (!v.ok()) return v.status();
  return std::move(*name);
}

Result<MemberBody> parseMemberBody(const boost::json::object& body) {
  Validator v;
  v.onlyFields(body, {"email", "role"});
  auto email = v.string(body, "email", true, 320);
  auto r = role(v, body);
  if (!v.ok()) return v.status();
  return MemberBody{std::move(*email), *r};
}

Result<TeamRole> parseRoleBody(const boost::json::object& body) {
  Validator v;
  v.onlyFields(body, {"role"});
  auto r = role(v, body);
  if (!v.ok()) return v.status();
  return *r;
}

Result<AcceptBody> parseAcceptBody(const boost::json::object& body) {
  Validator v;
  v.onlyFields(body, {"token", "password"});
  auto token = v.string(body, "token", true, 128);
  auto password = v.string(body, "password", false, 1024);
  if (!v.ok()) return v.status();
  return AcceptBody{std::move(*token), std::move(password)};
}

}  // namespace ls::api
