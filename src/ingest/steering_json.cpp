#include "ingest/steering_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <set>

namespace ls::ingest {

namespace {

// A base URL: http(s), no query or fragment, nothing a playlist line or a
// quoted attribute could not carry (controls, space, quote, '#', '?').
bool isHttpUrl(std::string_view url) {
  if (url.size() > 2048 || !(url.starts_with("http://") || url.starts_with("https://"))) return false;
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '"' || c == '#' || c == '?') return false;
  }
  return true;
}

}  // namespace

boost::json::value steeringJson(const SteeringSnapshot& snapshot) {
  if (!snapshot.active()) return nullptr;
  boost::json::array pathways;
  for (const SteeringPathway& p : snapshot.pathways) {
    pathways.emplace_back(boost::json::object{{"id", p.id}, {"baseUrl", p.baseUrl}});
  }
  return boost::json::object{{"originBaseUrl", snapshot.originBaseUrl},
                             {"ttlSeconds", snapshot.ttlSeconds},
                             {"pathways", std::move(pathways)}};
}

Result<SteeringSnapshot> parseSteeringJson(const boost::json::value& value) {
  if (value.is_null()) return SteeringSnapshot{};
  const auto bad = [](std::string_view why) { return invalidArgument("steering: " + std::string(why)); };
  const boost::json::object* o = value.if_object();
  if (o == nullptr) return bad("must be an object or null");
  SteeringSnapshot snapshot;
  const boost::json::value* origin = o->if_contains("originBaseUrl");
  if (origin == nullptr || !origin->is_string() || !isHttpUrl(origin->get_string())) {
    return bad("originBaseUrl must be an http(s) URL");
  }
  snapshot.originBaseUrl = std::string(origin->get_string());
  const boost::json::value* ttl = o->if_contains("ttlSeconds");
  if (ttl == nullptr || !ttl->is_int64() || ttl->get_int64() < 1 || ttl->get_int64() > 3600) {
    return bad("ttlSeconds must be an integer from 1 to 3600");
  }
  snapshot.ttlSeconds = ttl->get_int64();
  const boost::json::value* pathways = o->if_contains("pathways");
  if (pathways == nullptr || !pathways->is_array() || pathways->get_array().size() > 33) {
    return bad("pathways must be an array of at most 33 {id, baseUrl}");
  }
  std::set<std::string, std::less<>> ids;
  for (const boost::json::value& item : pathways->get_array()) {
    const boost::json::object* p = item.if_object();
    const boost::json::value* id = p != nullptr ? p->if_contains("id") : nullptr;
    const boost::json::value* base = p != nullptr ? p->if_contains("baseUrl") : nullptr;
    if (id == nullptr || base == nullptr || !id->is_string() || !base->is_string()) {
      return bad("each pathway must be {id, baseUrl} with string values");
    }
    const std::string_view idText = id->get_string();
    if (idText.empty() || idText.size() > 64 || idText.find_first_of("\"\r\n") != std::string_view::npos) {
      return bad("a pathway id must have 1 to 64 characters and no quote or line break");
    }
    if (!isHttpUrl(base->get_string())) return bad("a pathway baseUrl must be an http(s) URL");
    if (!ids.emplace(idText).second) return bad("pathway ids must be distinct");
    snapshot.pathways.push_back({std::string(idText), std::string(base->get_string())});
  }
  if (!snapshot.active()) return SteeringSnapshot{};
  return snapshot;
}

}  // namespace ls::ingest
