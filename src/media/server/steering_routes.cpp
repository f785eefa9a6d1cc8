#include "media/server/steering_routes.hpp"

namespace ls::media_server {

std::shared_ptr<const std::string> steeredMaster(const std::shared_ptr<const std::string>& master,
                                                 std::string_view streamKey, const hls::SteeringBoard* board) {
  if (board == nullptr || !master || master->empty()) return master;
  const std::shared_ptr<const SteeringSnapshot> snapshot = board->get();
  if (!snapshot || !snapshot->active()) return master;
  return std::make_shared<const std::string>(
      hls::steerMaster(*master, hls::streamDir(streamKey), streamKey, *snapshot));
}

void registerSteeringRoutes(http::Router& router, hls::HlsRegistry& registry, const hls::SteeringBoard& board) {
  router.add(
      http::Method::kGet, "/hls/:key/steering.json",
      [&registry, &board](const http::Request& r) {
        const std::string_view key = r.param("key");
        const std::shared_ptr<hls::StreamHls> stream = registry.find(key);
        const std::shared_ptr<const SteeringSnapshot> snapshot = board.get();
        if (!stream || stream->removed() || !snapshot || !snapshot->active()) {
          http::Response response = http::errorResponse(404, "Stream not found");
          response.header("Access-Control-Allow-Origin", "*");
          response.header("Cache-Control", "no-cache");
          return response;
        }
        http::Response response = http::Response::json(200, hls::renderSteeringManifest(*snapshot, key));
        // Players reload it every TTL; nothing between may hold it longer.
        response.header("Cache-Control", "no-cache");
        response.header("Access-Control-Allow-Origin", "*");
        return response;
      },
      http::Runs::kOnLoop);
}

}  // namespace ls::media_server
