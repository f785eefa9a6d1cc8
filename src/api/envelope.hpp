// The response envelope of SPEC §3 and the one mapping from ls::Code to HTTP
// status. Success: {"data": ..., "meta": {...}}; errors use
// http::errorResponse ({"statusCode","message","error"}), where validation
// errors carry message as an array of strings.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/status.hpp"
#include "http/response.hpp"

namespace ls::api {

int httpStatusFor(Code code);

http::Response dataResponse(int status, boost::json::value data, boost::json::object meta = {});
// meta.pagination = {page, limit, total, totalPages}
http::Response pageResponse(boost::json::array items, std::int64_t page, std::int64_t limit, std::int64_t total);
http::Response errorFor(const Status& status);

}  // namespace ls::api
