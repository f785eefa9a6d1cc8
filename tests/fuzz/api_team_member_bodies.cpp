// Team, member, role and accept bodies give InvalidArgument or values within
// their caps. Never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/body_reader.hpp"
#include "api/team_member_bodies.hpp"
#include "http/request.hpp"

namespace {

void check(bool invariant) {
  if (!invariant) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ls::api;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  ls::http::Request request = ls::http::Request::make(ls::http::Method::kPost, "/api/v1/admin/teams",
                                                      std::string(input), {{"Content-Type", "application/json"}});
  auto body = parseJsonObject(request);
  if (!body.ok()) return 0;
  if (auto name = parseTeamNameBody(*body); name.ok()) {
    check(!name->empty() && name->size() <= 255);
  } else {
    check(name.status().code() == ls::Code::kInvalidArgument);
  }
  if (auto member = parseMemberBody(*body); member.ok()) {
    check(!member->email.empty() && member->email.size() <= 320);
  } else {
    check(member.status().code() == ls::Code::kInvalidArgument);
  }
  if (auto role = parseRoleBody(*body); !role.ok()) check(role.status().code() == ls::Code::kInvalidArgument);
  if (auto accept = parseAcceptBody(*body); accept.ok()) {
    check(!accept->token.empty() && accept->token.size() <= 128);
    check(!accept->password || accept->password->size() <= 1024);
  } else {
    check(accept.status().code() == ls::Code::kInvalidArgument);
  }
  return 0;
}
