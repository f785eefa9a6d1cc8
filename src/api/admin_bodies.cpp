#include "api/admin_bodies.hpp"

#include <string>
#include <utility>
#include <vector>

#include "api/body_reader.hpp"
#include "api/livestream_bodies.hpp"
#include "control/project_service.hpp"
#include "control/user_service.hpp"

namespace ls::api {

Result<CreateProjectBody> parseCreateProjectBody(const boost::json::object& body) {
  Validator v;
  v.onlyFields(body, {"teamId", "name", "abrEnabled"});
  auto teamId = v.uuid(body, "teamId", true);
  auto name = v.string(body, "name", true);
  auto abr = v.boolean(body, "abrEnabled");
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
  out.abrEnabled = v.boolean(body, "abrEnabled");
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

namespace {

// An array of strings (each 1..maxLength bytes, at most maxItems); nullopt when absent.
std::optional<std::vector<std::string>> strings(Validator& v, const boost::json::object& body, std::string_view field,
                                                std::size_t maxItems, std::size_t maxLength) {
  const boost::json::value* value = body.if_contains(field);
  if (value == nullptr) return std::nullopt;
  if (!value->is_array() || value->as_array().size() > maxItems) {
    v.fail(std::string(field) + " must be an array of at most " + std::to_string(maxItems) + " strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const boost::json::value& item : value->as_array()) {
    if (!item.is_string() || item.as_string().empty() || item.as_string().size() > maxLength) {
      v.fail(std::string(field) + " must contain only non-empty strings of at most " + std::to_string(maxLength) +
             " characters");
      return std::nullopt;
    }
    out.emplace_back(item.as_string());
  }
  return out;
}

}  // namespace

Result<control::MediaServerInput> parseMediaServerBody(const boost::json::object& body,
                                                       const control::MediaServerInput* base) {
  Validator v;
  v.onlyFields(body, {"name", "type", "rtmpServer", "hlsBaseUrl", "cdns", "hlsPathTemplate", "hookAllow", "remoteId",
                      "apiUrl", "apiSecret", "projectIds"});
  const bool create = base == nullptr;
  control::MediaServerInput in = create ? control::MediaServerInput{} : *base;
  if (auto name = v.string(body, "name", create)) in.name = std::move(*name);
  if (auto type = v.string(body, "type", create)) {
    if (!create) {
      v.fail("type cannot be changed; add a new media server");
    } else if (auto parsed = parseMediaServerType(*type)) {
      in.type = *parsed;
    } else {
      v.fail("type must be one of the following values: EMBEDDED, ZLMEDIAKIT, MEDIAMTX");
    }
  }
  if (auto url = v.string(body, "rtmpServer", create, 2048)) in.rtmpBaseUrl = std::move(*url);
  if (auto url = v.string(body, "hlsBaseUrl", create, 2048)) in.hlsBaseUrl = std::move(*url);
  if (auto path = v.string(body, "hlsPathTemplate", false, 1024)) in.hlsPathTemplate = std::move(*path);
  if (auto id = v.string(body, "remoteId", false, 255)) in.remoteId = std::move(*id);
  if (auto url = v.string(body, "apiUrl", false, 2048)) in.apiUrl = std::move(*url);
  if (auto secret = v.string(body, "apiSecret", false, 1024)) in.apiSecret = std::move(*secret);
  if (auto allow = strings(v, body, "hookAllow", 64, 64)) in.hookAllow = std::move(*allow);
  if (auto projects = strings(v, body, "projectIds", 1000, 36)) in.projectIds = std::move(*projects);
  if (const boost::json::value* cdns = body.if_contains("cdns"); cdns != nullptr) {
    in.cdns.clear();
    if (!cdns->is_array() || cdns->as_array().size() > 32) {
      v.fail("cdns must be an array of at most 32 {name, baseUrl}");
    } else {
      for (const boost::json::value& item : cdns->as_array()) {
        Validator inner;
        if (!item.is_object()) {
          v.fail("cdns must contain only {name, baseUrl} objects");
          break;
        }
        inner.onlyFields(item.as_object(), {"name", "baseUrl", "steering"});
        auto name = inner.string(item.as_object(), "name", true);
        auto baseUrl = inner.string(item.as_object(), "baseUrl", true, 2048);
        auto mode = inner.string(item.as_object(), "steering", false, 16);
        if (!inner.ok()) {
          v.fail("cdns must contain only {name, baseUrl, steering?} objects with string values");
          break;
        }
        // Without "steering", a CDN the server already had keeps its mode:
        // clients that predate steering do not undo an operator's pin or drain.
        CdnSteering steering = CdnSteering::kAuto;
        if (mode) {
          const auto parsed = parseCdnSteering(*mode);
          if (!parsed) {
            v.fail("cdns[].steering must be one of the following values: auto, pin, drain");
            break;
          }
          steering = *parsed;
        } else if (base != nullptr) {
          for (const CdnEndpoint& old : base->cdns) {
            if (old.name == *name) steering = old.steering;
          }
        }
        in.cdns.push_back(CdnEndpoint{std::move(*name), std::move(*baseUrl), steering});
      }
    }
  }
  if (!v.ok()) return v.status();
  return in;
}

Result<CdnSteering> parseCdnSteeringBody(const boost::json::object& body) {
  Validator v;
  v.onlyFields(body, {"mode"});
  CdnSteering mode = CdnSteering::kAuto;
  if (auto text = v.string(body, "mode", true, 16)) {
    if (auto parsed = parseCdnSteering(*text)) {
      mode = *parsed;
    } else {
      v.fail("mode must be one of the following values: auto, pin, drain");
    }
  }
  if (!v.ok()) return v.status();
  return mode;
}

}  // namespace ls::api

namespace ls::api {

namespace {

void checkPassword(Validator& v, const std::optional<std::string>& password) {
  if (!password) return;
  if (Status s = control::checkPasswordLength(*password); !s.isOk()) v.fail(s.message());
}

}  // namespace

Result<CreateUserBody> parseCreateUserBody(const boost::json::object& body) {
  Validator v;
  v.onlyFields(body, {"email", "password", "isAdmin"});
  auto email = v.string(body, "email", true);
  auto password = v.string(body, "password", true, auth::kMaxPasswordBytes);
  auto isAdmin = v.boolean(body, "isAdmin");
  if (email) {
    if (auto normalized = control::normalizeEmail(*email); !normalized.ok()) v.fail(normalized.status().message());
  }
  checkPassword(v, password);
  if (!v.ok()) return v.status();
  return CreateUserBody{std::move(*email), std::move(*password), isAdmin.value_or(false)};
}

Result<UpdateUserBody> parseUpdateUserBody(const boost::json::object& body) {
  Validator v;
  v.onlyFields(body, {"password", "isAdmin"});
  UpdateUserBody out;
  out.password = v.string(body, "password", false, auth::kMaxPasswordBytes);
  checkPassword(v, out.password);
  out.isAdmin = v.boolean(body, "isAdmin");
  if (!v.ok()) return v.status();
  return out;
}

Result<ChangePasswordBody> parseChangePasswordBody(const boost::json::object& body) {
  Validator v;
  v.onlyFields(body, {"currentPassword", "newPassword"});
  auto current = v.string(body, "currentPassword", true, auth::kMaxPasswordBytes);
  auto next = v.string(body, "newPassword", true, auth::kMaxPasswordBytes);
  checkPassword(v, next);
  if (!v.ok()) return v.status();
  return ChangePasswordBody{std::move(*current), std::move(*next)};
}

Result<std::optional<std::int64_t>> parseRotateKeyBody(const boost::json::object& body) {
  Validator v;
  v.onlyFields(body, {"activateAfter"});
  auto after = v.integer(body, "activateAfter", false, 0, 31'536'000);
  if (!v.ok()) return v.status();
  return after;
}

Result<control::MediaServerInput> parseMediaNodeBody(const boost::json::object& body) {
  Validator v;
  v.onlyFields(body, {"name", "rtmpBaseUrl", "hlsBaseUrl", "apiUrl", "cdns", "projectIds"});
  (void)v.string(body, "rtmpBaseUrl", true, 2048);
  if (!v.ok()) return v.status();
  // The media-server body's rules for the rest; the node's own spelling of the RTMP URL.
  boost::json::object translated = body;
  translated["rtmpServer"] = translated["rtmpBaseUrl"];
  translated.erase("rtmpBaseUrl");
  translated["type"] = "EMBEDDED";
  return parseMediaServerBody(translated, nullptr);
}

}  // namespace ls::api
