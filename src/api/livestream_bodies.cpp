#include "api/livestream_bodies.hpp"

#include <string_view>
#include <utility>

#include "api/body_reader.hpp"

namespace ls::api {

Result<CreateLivestreamBody> parseCreateLivestreamBody(const boost::json::object& body) {
  Validator v;
  v.onlyFields(body, {"name", "projectId", "mediaServerId", "expiresIn"});
  auto name = v.string(body, "name", true);
  auto projectId = v.uuid(body, "projectId", true);
  auto mediaServerId = v.uuid(body, "mediaServerId", true);
  auto expiresIn = v.integer(body, "expiresIn", false, kMinExpiresIn, kMaxExpiresIn);
  if (!v.ok()) return v.status();
  return CreateLivestreamBody{std::move(*name), std::move(*projectId), std::move(*mediaServerId), expiresIn};
}

Result<UpdateLivestreamBody> parseUpdateLivestreamBody(const boost::json::object& body) {
  Validator v;
  v.onlyFields(body, {"name", "projectId"});
  auto name = v.string(body, "name", true);
  auto projectId = v.uuid(body, "projectId", false);
  if (!v.ok()) return v.status();
  return UpdateLivestreamBody{std::move(*name), std::move(projectId)};
}

Result<PushTokenBody> parsePushTokenBody(const boost::json::object& body) {
  Validator v;
  v.onlyFields(body, {"id", "livestreamId", "streamKey", "projectId", "expiresIn", "mediaServerId"});
  auto mediaServerId = v.uuid(body, "mediaServerId", false);
  auto id = v.uuid(body, "id", false);
  auto livestreamId = v.uuid(body, "livestreamId", false);
  auto streamKey = v.streamKey(body, "streamKey", false);
  auto projectId = v.uuid(body, "projectId", false);
  auto expiresIn = v.integer(body, "expiresIn", false, kMinExpiresIn, kMaxExpiresIn);
  // A null names nothing, as an absent field ({"id": null} is a 400, not a 404).
  const auto given = [&body](std::string_view field) {
    const boost::json::value* value = body.if_contains(field);
    return value != nullptr && !value->is_null();
  };
  if (!given("id") && !given("livestreamId") && !given("streamKey")) {
    v.fail("one of id, livestreamId or streamKey is required");
  }
  if (id && livestreamId && *id != *livestreamId) v.fail("id and livestreamId name different livestreams");
  if (!v.ok()) return v.status();
  PushTokenBody out;
  out.livestreamId = id.value_or(livestreamId.value_or(std::string{}));
  if (out.livestreamId.empty()) out.streamKey = std::move(*streamKey);
  out.projectId = std::move(projectId);
  out.expiresIn = expiresIn;
  out.mediaServerId = mediaServerId.value_or(std::string{});
  return out;
}

}  // namespace ls::api
