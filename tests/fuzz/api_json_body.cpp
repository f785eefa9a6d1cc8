// A partner's JSON body must give a 400 listing its problems or values the
// handler can use, never a crash: parseJsonObject, then the body parsers of
// every livestream endpoint that takes one (api/livestream_bodies.hpp), whose
// documented guarantees are checked on every success.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "api/body_reader.hpp"
#include "api/livestream_bodies.hpp"
#include "core/random.hpp"

namespace {

using namespace ls;
using namespace ls::api;

void check(bool invariant) {
  if (!invariant) std::abort();
}

// A refusal is InvalidArgument whose message is the first of its problem lines.
template <class T>
bool refused(const Result<T>& r) {
  if (r.ok()) return false;
  const Status& s = r.status();
  check(s.code() == Code::kInvalidArgument && !s.details().empty() && s.message() == s.details().front());
  return true;
}

bool goodName(const std::string& name) {
  return !name.empty() && name.size() <= 255;
}

bool goodExpiry(const std::optional<std::int64_t>& e) {
  return !e || (*e >= kMinExpiresIn && *e <= kMaxExpiresIn);
}

bool goodUuid(const std::optional<std::string>& id) {
  return !id || isUuid(*id);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const http::Request request = http::Request::make(http::Method::kPost, "/api/v1/livestream",
                                                    std::string(reinterpret_cast<const char*>(data), size),
                                                    {{"Content-Type", "application/json"}});
  auto json = parseJsonObject(request);
  if (!json.ok()) {
    check(json.status().code() == Code::kInvalidArgument && size != 0);
    return 0;
  }
  if (auto create = parseCreateLivestreamBody(*json); !refused(create)) {
    check(goodName(create->name) && isUuid(create->projectId) && isUuid(create->mediaServerId) &&
          goodExpiry(create->expiresIn) && json->size() <= 4);
  }
  if (auto update = parseUpdateLivestreamBody(*json); !refused(update)) {
    check(goodName(update->name) && goodUuid(update->projectId) && json->size() <= 2);
  }
  if (auto token = parsePushTokenBody(*json); !refused(token)) {
    // Exactly one way of naming the livestream.
    check(token->livestreamId.empty() != token->streamKey.empty());
    check(token->livestreamId.empty() || isUuid(token->livestreamId));
    check(token->streamKey.empty() || isStreamKey(token->streamKey));
    check(goodUuid(token->projectId) && goodExpiry(token->expiresIn));
  }
  return 0;
}
