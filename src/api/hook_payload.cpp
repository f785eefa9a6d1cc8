#include "api/hook_payload.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <cstdint>
#include <cstdlib>
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

// A non-negative integer that fits (hook_index is a JSON UInt64).
std::optional<std::int64_t> nonNegative(const boost::json::value* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_int64() && v->get_int64() >= 0) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v->get_uint64());
  }
  return std::nullopt;
}

ZlmHookMeta zlmMeta(const boost::json::object& body) {
  return ZlmHookMeta{field(body, "mediaServerId"), nonNegative(body.if_contains("hook_index"))};
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
  return ZlmPublish{zlmMeta(*o),          field(*o, "app"), field(*o, "stream"), field(*o, "params"),
                    field(*o, "ip"), field(*o, "schema")};
}

Result<ZlmStreamChanged> parseZlmStreamChanged(std::string_view body) {
  auto o = hookObject(body);
  if (!o.ok()) return std::move(o).takeStatus();
  ZlmStreamChanged event;
  event.meta = zlmMeta(*o);
  if (const boost::json::value* regist = o->if_contains("regist"); regist != nullptr && regist->is_bool()) {
    event.regist = regist->get_bool();
  }
  event.schema = field(*o, "schema");
  event.app = field(*o, "app");
  event.stream = field(*o, "stream");
  return event;
}

std::string registrationSchemaFor(std::string_view publishSchema) {
  if (publishSchema == "rtmp" || publishSchema == "rtsp") return std::string(publishSchema);
  return {};
}

bool mayEndPublish(std::string_view schema) { return !schema.starts_with("hls"); }

Result<ZlmServerStarted> parseZlmServerStarted(std::string_view body) {
  auto o = hookObject(body);
  if (!o.ok()) return std::move(o).takeStatus();
  ZlmServerStarted started;
  started.meta = zlmMeta(*o);
  // Configuration values are strings ("10.0"); tolerate a number too.
  double seconds = 0;
  if (const boost::json::value* v = o->if_contains("hook.alive_interval")) {
    if (v->is_string()) {
      const std::string text(v->get_string());
      const char* begin = text.c_str();
      char* end = nullptr;
      seconds = std::strtod(begin, &end);
      if (end == begin || *end != '\0') seconds = 0;
    } else if (v->is_number()) {
      seconds = v->to_number<double>();
    }
  }
  if (seconds >= 0.1 && seconds <= 3600) started.keepaliveIntervalMs = static_cast<std::int64_t>(seconds * 1000);
  return started;
}

Result<ZlmKeepalive> parseZlmKeepalive(std::string_view body) {
  auto o = hookObject(body);
  if (!o.ok()) return std::move(o).takeStatus();
  ZlmKeepalive keepalive;
  keepalive.meta = zlmMeta(*o);
  if (const boost::json::value* data = o->if_contains("data"); data != nullptr && data->is_object()) {
    keepalive.mediaSources = nonNegative(data->get_object().if_contains("MediaSource"));
  }
  return keepalive;
}

Result<ZlmStreamRef> parseZlmStreamRef(std::string_view body) {
  auto o = hookObject(body);
  if (!o.ok()) return std::move(o).takeStatus();
  return ZlmStreamRef{zlmMeta(*o), field(*o, "app"), field(*o, "stream"), field(*o, "schema")};
}

Result<MediaMtxAuth> parseMediaMtxAuth(std::string_view body) {
  auto o = hookObject(body);
  if (!o.ok()) return std::move(o).takeStatus();
  MediaMtxAuth auth;
  auth.action = field(*o, "action");
  auth.user = field(*o, "user");
  auth.password = field(*o, "password");
  auth.protocol = field(*o, "protocol");
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
