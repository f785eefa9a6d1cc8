#include "api/admin_bodies.hpp"

#include <utility>

#include "api/body_reader.hpp"
#include "api/livestream_bodies.hpp"
#include "control/project_service.hpp"

namespace ls::api {

namespace {

// A boolean field: nullopt when absent; a problem when not a boolean.
std::optional<bool> boolean(Validator& v, const boost::json::object& body, std::string_view field) {
  const boost::json::value* value = body.if_contains(field);
  if (value == nullptr) return std::nullopt;
  if (!value->is_bool()) {
    v.fail(std::string(field) + " must be a boolean value");
    return std::nullopt;
  }
  return value->as_bool();
}

}  // namespace

Result<CreateProjectBody> parseCreateProjectBody(const boost::json::object& body) {
  Validator v;
  v.onlyFields(body, {"teamId", "name", "abrEnabled"});
  auto teamId = v.uuid(body, "teamId", true);
  auto name = v.string(body, "name", true);
  auto abr = boolean(v, body, "abrEnabled");
  if (name && name->empty()) v.fail("name should not be empty");
  if (!v.ok()) return v.status();
  return CreateProjectBody{std::move(*teamId), std::move(*name), abr.value_or(true)};
}

Result<UpdateProjectBody> parseUpdateProjectBody(const boost::json::object& body) {
  Validator v;
  v.onlyFields(body, {"name", "abrEnabled", "rateLimit"});
  UpdateProjectBody out;
  out.name = v.string(body, "name", false);
  if (out.name && out.name->empty()) v.fail("name should not be empty");
  out.abrEnabled = boolean(v, body, "abrEnabled");
  if (const boost::json::value* limit = body.if_contains("rateLimit"); limit != nullptr) {
    out.setRateLimit = true;
    if (limit->is_object()) {
      const boost::json::object& o = limit->as_object();
      Validator inner;
      inner.onlyFields(o, {"perMinute", "perHour"});
      auto perMinute = inner.integer(o, "perMinute", true, 1, control::kMaxRequestsPerWindow);
      auto perHour = inner.integer(o, "perHour", true, 1, control::kMaxRequestsPerWindow);
      if (inner.ok()) {
        out.rateLimit = ProjectRateLimit{*perMinute, *perHour};
      } else {
        v.fail("rateLimit must be {perMinute, perHour} with integers from 1 to 1000000000, or null");
      }
    } else if (!limit->is_null()) {
      v.fail("rateLimit must be an object or null");
    }
  }
  if (!v.ok()) return v.status();
  return out;
}

Result<AdminCreateLivestreamBody> parseAdminCreateLivestreamBody(const boost::json::object& body) {
  Validator v;
  v.onlyFields(body, {"name", "mediaServerId", "expiresIn"});
  auto name = v.string(body, "name", true);
  if (name && name->empty()) v.fail("name should not be empty");
  auto mediaServerId = v.uuid(body, "mediaServerId", false);
  auto expiresIn = v.integer(body, "expiresIn", false, kMinExpiresIn, kMaxExpiresIn);
  if (!v.ok()) return v.status();
  return AdminCreateLivestreamBody{std::move(*name), std::move(mediaServerId), expiresIn};
}

Result<std::string> parseAdminRenameLivestreamBody(const boost::json::object& body) {
  Validator v;
  v.onlyFields(body, {"name"});
  auto name = v.string(body, "name", true);
  if (name && name->empty()) v.fail("name should not be empty");
  if (!v.ok()) return v.status();
  return std::move(*name);
}

Result<std::optional<std::int64_t>> parseAdminPushTokenBody(const boost::json::object& body) {
  Validator v;
  v.onlyFields(body, {"expiresIn"});
  auto expiresIn = v.integer(body, "expiresIn", false, kMinExpiresIn, kMaxExpiresIn);
  if (!v.ok()) return v.status();
  return expiresIn;
}

}  // namespace ls::api
