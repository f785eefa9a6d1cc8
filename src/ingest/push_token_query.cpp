#include "http/query.hpp"
#include "ingest/ingest_service.hpp"

namespace ls::ingest {

std::string extractPushToken(std::string_view streamQuery, std::string_view tcUrlQuery) {
  // Query values in RTMP URLs are rarely percent-encoded (a JWT is URL-safe),
  // but they are decoded anyway so an encoded token still matches.
  std::optional<std::string> token = http::queryParam(streamQuery, "pushToken");
  if (!token || token->empty()) token = http::queryParam(tcUrlQuery, "pushToken");
  return token.value_or(std::string{});
}

}  // namespace ls::ingest
