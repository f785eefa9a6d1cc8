#include "api/envelope.hpp"

#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "core/log_text.hpp"

namespace ls::api {

int httpStatusFor(Code code) {
  switch (code) {
    case Code::kOk: return 200;
    case Code::kInvalidArgument: return 400;
    case Code::kUnauthenticated: return 401;
    case Code::kPermissionDenied: return 403;
    case Code::kNotFound: return 404;
    case Code::kConflict: return 409;
    case Code::kPayloadTooLarge: return 413;
    case Code::kRateLimited: return 429;
    case Code::kUnavailable: return 503;
    case Code::kInternal: return 500;
  }
  return 500;
}

http::Response dataResponse(int status, boost::json::value data, boost::json::object meta) {
  boost::json::object body;
  body["data"] = std::move(data);
  body["meta"] = std::move(meta);
  return http::Response::json(status, boost::json::serialize(body));
}

http::Response pageResponse(boost::json::array items, std::int64_t page, std::int64_t limit, std::int64_t total) {
  boost::json::object pagination;
  pagination["page"] = page;
  pagination["limit"] = limit;
  pagination["total"] = total;
  pagination["totalPages"] = limit > 0 ? (total + limit - 1) / limit : 0;
  boost::json::object meta;
  meta["pagination"] = std::move(pagination);
  return dataResponse(200, std::move(items), std::move(meta));
}

http::Response errorFor(const Status& status) {
  const int code = httpStatusFor(status.code());
  if (code >= 500) {
    // Details of internal failures go to the log, not to the caller.
    spdlog::error("request failed: {} {}", codeName(status.code()), logText(status.message()));
    if (code == 500) return http::errorResponse(500, "Internal server error");
  }
  if (!status.details().empty()) return http::errorResponse(code, status.details());
  return http::errorResponse(code, status.message());
}

}  // namespace ls::api
