#include "api/hook_payload.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <utility>

namespace ls::api {

namespace {

Result<boost::json::object> hookObject(std::string_view body) {
  if (body.empty()) return boost::json::object{};
  boost::json::parse_options options;
  options.max_depth = 8;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec, {}, options);
  if (ec || !value.is_object()) return invalidArgument("hook body must be a JSON object");
  return std::move(value.as_object());
}

std::string field(const boost::json::object& body, std::string_view name) {
  const boost::json::value* v = body.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string{};
}

// MediaMTX paths are "live/<streamKey>"; a leading '/' is tolerated.
void splitPath(std::string_view path, std::string& app, std::string& streamKey) {
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  const std::size_t slash = path.find('/');
  app = std::string(path.substr(0, slash));
  streamKey = slash == std::string_view::npos ? std::string{} : std::string(path.substr(slash + 1));
}

}  // namespace

Result<ZlmPublish> parseZlmPublish(std::string_view body) {
  auto o = hookObject(body);
  if (!o.ok()) return std::move(o).takeStatus();
  return ZlmPublish{field(*o, "app"), field(*o, "stream"), field(*o, "params"), field(*o, "ip")};
}

Result<ZlmStreamChanged> parseZlmStreamChanged(std::string_view body) {
  auto o = hookObject(body);
  if (!o.ok()) return std::move(o).takeStatus();
  ZlmStreamChanged event;
  if (const boost::json::value* regist = o->if_contains("regist"); regist != nullptr && regist->is_bool()) {
    event.regist = regist->get_bool();
  }
  event.schema = field(*o, "schema");
  event.stream = field(*o, "stream");
  return event;
}

bool publisherLeft(const ZlmStreamChanged& event) {
  return event.schema == "rtmp" && event.regist.has_value() && !*event.regist;
}

Result<MediaMtxAuth> parseMediaMtxAuth(std::string_view body) {
  auto o = hookObject(body);
  if (!o.ok()) return std::move(o).takeStatus();
  MediaMtxAuth auth;
  auth.action = field(*o, "action");
  splitPath(field(*o, "path"), auth.app, auth.streamKey);
  auth.query = field(*o, "query");
  auth.ip = field(*o, "ip");
  return auth;
}

Result<MediaMtxPathEvent> parseMediaMtxPathEvent(std::string_view body, std::string_view queryPath) {
  auto o = hookObject(body);
  if (!o.ok()) return std::move(o).takeStatus();
  std::string path = field(*o, "path");
  if (path.empty()) path = std::string(queryPath);
  MediaMtxPathEvent event;
  splitPath(path, event.app, event.streamKey);
  return event;
}

}  // namespace ls::api
