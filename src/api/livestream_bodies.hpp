// The JSON bodies of the partner livestream endpoints, validated into typed
// values apart from the handlers (api/livestream_routes.cpp), so the rules are
// unit-tested and fuzzed on plain JSON objects. A refusal is InvalidArgument
// listing every problem (Validator); a success guarantees what the handler
// relies on, stated on each struct.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "core/status.hpp"

namespace ls::api {

inline constexpr std::int64_t kMinExpiresIn = 60;         // seconds
inline constexpr std::int64_t kMaxExpiresIn = 2'592'000;  // 30 days

// POST /api/v1/livestream. name: 1..255 characters; ids: UUIDs.
struct CreateLivestreamBody {
  std::string name;
  std::string projectId;
  std::string mediaServerId;
  std::optional<std::int64_t> expiresIn;  // within [kMinExpiresIn, kMaxExpiresIn]
};
Result<CreateLivestreamBody> parseCreateLivestreamBody(const boost::json::object& body);

// PATCH /api/v1/livestream/:id.
struct UpdateLivestreamBody {
  std::string name;
  std::optional<std::string> projectId;  // a UUID when present
};
Result<UpdateLivestreamBody> parseUpdateLivestreamBody(const boost::json::object& body);

// POST /api/v1/livestream/generate-push-token: exactly one of livestreamId
// (from "id" or "livestreamId", which must agree) and streamKey is non-empty.
struct PushTokenBody {
  std::string livestreamId;
  std::string streamKey;
  std::optional<std::string> projectId;
  std::optional<std::int64_t> expiresIn;
  // Move the livestream to this media server (SPEC §3); empty: stay.
  std::string mediaServerId;
};
Result<PushTokenBody> parsePushTokenBody(const boost::json::object& body);

}  // namespace ls::api
