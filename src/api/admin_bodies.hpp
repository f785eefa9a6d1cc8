// Request bodies of the administration API's project routes (platform
// contract "Admin API"): strict like the partner API (unknown fields, wrong
// types and bounds are a 400 listing every problem).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "control/media_server_service.hpp"
#include "core/model.hpp"
#include "core/status.hpp"

namespace ls::api {

// POST /api/v1/admin/projects {teamId, name, abrEnabled?}
struct CreateProjectBody {
  std::string teamId;
  std::string name;
  bool abrEnabled = true;
};
Result<CreateProjectBody> parseCreateProjectBody(const boost::json::object& body);

// PATCH /api/v1/admin/projects/:id {name?, abrEnabled?, rateLimit?: {perMinute, perHour} | null}
struct UpdateProjectBody {
  std::optional<std::string> name;
  std::optional<bool> abrEnabled;
  bool setRateLimit = false;                   // rateLimit was given (null or an object)
  std::optional<ProjectRateLimit> rateLimit;  // nullopt with setRateLimit: back to the defaults
};
Result<UpdateProjectBody> parseUpdateProjectBody(const boost::json::object& body);

// POST /api/v1/admin/projects/:id/livestreams {name, mediaServerId?, expiresIn?}
struct AdminCreateLivestreamBody {
  std::string name;
  std::optional<std::string> mediaServerId;  // nullopt: the first server available to the project
  std::optional<std::int64_t> expiresIn;
};
Result<AdminCreateLivestreamBody> parseAdminCreateLivestreamBody(const boost::json::object& body);

// PATCH /api/v1/admin/livestreams/:id {name}
Result<std::string> parseAdminRenameLivestreamBody(const boost::json::object& body);

// POST /api/v1/admin/livestreams/:id/push-token {expiresIn?}
Result<std::optional<std::int64_t>> parseAdminPushTokenBody(const boost::json::object& body);

// POST /api/v1/admin/media-servers {name, type, rtmpServer, hlsBaseUrl, cdns?
// ([{name, baseUrl, steering?}]; a CDN given without steering keeps its mode),
// hlsPathTemplate?, hookAllow?, remoteId?, apiUrl?, apiSecret?, projectIds?};
// PATCH takes the same fields, each optional, over `base` (the server as it
// is). The service then validates URLs and the rest (MediaServerService).
Result<control::MediaServerInput> parseMediaServerBody(const boost::json::object& body,
                                                       const control::MediaServerInput* base);

// PUT /api/v1/admin/media-servers/:id/cdns/:name/steering {mode: auto|pin|drain}.
Result<CdnSteering> parseCdnSteeringBody(const boost::json::object& body);

}  // namespace ls::api

namespace ls::api {

// POST /api/v1/admin/users {email, password, isAdmin?}: password 8..1024 bytes.
struct CreateUserBody {
  std::string email;
  std::string password;
  bool isAdmin = false;
};
Result<CreateUserBody> parseCreateUserBody(const boost::json::object& body);

// PATCH /api/v1/admin/users/:id {password?, isAdmin?}
struct UpdateUserBody {
  std::optional<std::string> password;
  std::optional<bool> isAdmin;
};
Result<UpdateUserBody> parseUpdateUserBody(const boost::json::object& body);

// POST /api/v1/auth/password {currentPassword, newPassword}: the new one 8..1024 bytes.
struct ChangePasswordBody {
  std::string currentPassword;
  std::string newPassword;
};
Result<ChangePasswordBody> parseChangePasswordBody(const boost::json::object& body);

// POST /api/v1/admin/signing-keys/rotate {activateAfter?} (seconds, 0..31536000 like `keys rotate`).
Result<std::optional<std::int64_t>> parseRotateKeyBody(const boost::json::object& body);

// POST /api/v1/admin/media-servers/nodes {name, rtmpBaseUrl, hlsBaseUrl, apiUrl?, cdns?, projectIds?}:
// what `lunarstream node add` takes (apiUrl defaults to the HLS URL in the service).
Result<control::MediaServerInput> parseMediaNodeBody(const boost::json::object& body);

}  // namespace ls::api
