#include "node_client/node_stream_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "auth/crypto.hpp"
#include "core/log_text.hpp"
#include "http/response.hpp"

namespace ls::node_client {

namespace {

bool authorized(const http::Request& request, const std::string& token) {
  const std::string_view presented = request.bearerToken();
  return !presented.empty() && auth::constantTimeEquals(presented, token);
}

}  // namespace

std::string nodeCallToken(std::string_view nodeSecret) { return auth::sha256Hex(nodeSecret); }

void registerNodeStreamRoutes(http::Router& router, std::string nodeSecret,
                              std::function<std::vector<std::string>()> liveKeys, ingest::StreamCutter& cutter) {
  const std::string token = nodeCallToken(nodeSecret);
  router.add(
      http::Method::kGet, "/internal/v1/streams",
      [token, liveKeys](const http::Request& request) -> http::Response {
        if (!authorized(request, token)) return http::errorResponse(401, "invalid node credentials");
        const std::vector<std::string> keys = liveKeys();
        return http::Response::json(
            200, boost::json::serialize(boost::json::object{{"streams", boost::json::array(keys.begin(), keys.end())}}));
      },
      http::Runs::kOnWorkers);
  router.add(
      http::Method::kPost, "/internal/v1/streams/:streamKey/cut",
      [token, &cutter](const http::Request& request) -> http::Response {
        if (!authorized(request, token)) return http::errorResponse(401, "invalid node credentials");
        const std::string_view key = request.param("streamKey");
        spdlog::info("the API tier cuts stream {}", logText(key));
        cutter.cutStream(key, "the livestream was deleted");
        return http::Response::json(200, "{}");
      },
      http::Runs::kOnWorkers);
}

}  // namespace ls::node_client
