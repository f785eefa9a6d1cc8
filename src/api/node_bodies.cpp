#include "api/node_bodies.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>

namespace ls::api {

namespace {

Result<boost::json::object> bodyObject(std::string_view body) {
  boost::json::parse_options options;
  options.max_depth = 4;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec, {}, options);
  if (ec || !value.is_object()) return invalidArgument("body must be a JSON object");
  return std::move(value.as_object());
}

// An optional string field; a present field of another type, or one over the cap, is an error.
Status stringField(const boost::json::object& o, std::string_view name, std::string& out) {
  const boost::json::value* v = o.if_contains(name);
  if (v == nullptr || v->is_null()) return Status::ok();
  if (!v->is_string()) return invalidArgument(std::string(name) + " must be a string");
  if (v->get_string().size() > kMaxNodeField) {
    return invalidArgument(std::string(name) + " is over " + std::to_string(kMaxNodeField) + " characters");
  }
  out = std::string(v->get_string());
  return Status::ok();
}

}  // namespace

Result<control::NodeHeartbeat> parseNodeHeartbeat(std::string_view body) {
  auto o = bodyObject(body);
  if (!o.ok()) return std::move(o).takeStatus();
  control::NodeHeartbeat beat;
  LS_RETURN_IF_ERROR(stringField(*o, "bootId", beat.bootId));
  if (beat.bootId.empty()) return invalidArgument("bootId is required");
  if (const boost::json::value* v = o->if_contains("streams"); v != nullptr && !v->is_null()) {
    if (!v->is_array()) return invalidArgument("streams must be an array of stream keys");
    if (v->get_array().size() > kMaxNodeStreams) return invalidArgument("streams lists too many keys");
    for (const boost::json::value& key : v->get_array()) {
      if (!key.is_string() || key.get_string().empty() || key.get_string().size() > kMaxNodeField) {
        return invalidArgument("streams must be an array of stream keys");
      }
      beat.liveStreamKeys.emplace_back(key.get_string());
    }
  }
  if (const boost::json::value* v = o->if_contains("intervalMs"); v != nullptr && !v->is_null()) {
    if (!v->is_int64() || v->get_int64() < 100 || v->get_int64() > 3'600'000) {
      return invalidArgument("intervalMs must be an integer from 100 to 3600000");
    }
    beat.intervalMs = v->get_int64();
  }
  return beat;
}

Result<ingest::PublishRequest> parseNodePublish(std::string_view body) {
  auto o = bodyObject(body);
  if (!o.ok()) return std::move(o).takeStatus();
  ingest::PublishRequest request;
  LS_RETURN_IF_ERROR(stringField(*o, "app", request.app));
  LS_RETURN_IF_ERROR(stringField(*o, "streamKey", request.streamKey));
  LS_RETURN_IF_ERROR(stringField(*o, "pushToken", request.pushToken));
  LS_RETURN_IF_ERROR(stringField(*o, "remoteAddress", request.remoteAddress));
  LS_RETURN_IF_ERROR(stringField(*o, "protocol", request.protocol));
  return request;
}

Result<ingest::PublishEnd> parseNodePublishEnded(std::string_view body) {
  auto o = bodyObject(body);
  if (!o.ok()) return std::move(o).takeStatus();
  ingest::PublishEnd end;
  LS_RETURN_IF_ERROR(stringField(*o, "livestreamId", end.livestreamId));
  LS_RETURN_IF_ERROR(stringField(*o, "streamKey", end.streamKey));
  if (end.livestreamId.empty() && end.streamKey.empty()) return invalidArgument("livestreamId or streamKey is required");
  return end;
}

Result<usage::UsageBatch> parseNodeUsage(std::string_view body) {
  auto o = bodyObject(body);
  if (!o.ok()) return std::move(o).takeStatus();
  usage::UsageBatch batch;
  LS_RETURN_IF_ERROR(stringField(*o, "batchId", batch.id));
  if (batch.id.empty()) return invalidArgument("batchId is required");
  const boost::json::value* rows = o->if_contains("rows");
  if (rows == nullptr || !rows->is_array()) return invalidArgument("rows must be an array");
  if (rows->get_array().size() > kMaxNodeUsageRows) return invalidArgument("rows lists too many rows");
  for (const boost::json::value& v : rows->get_array()) {
    if (!v.is_object()) return invalidArgument("rows must be an array of objects");
    const boost::json::object& r = v.get_object();
    usage::UsageRow row;
    LS_RETURN_IF_ERROR(stringField(r, "projectId", row.projectId));
    LS_RETURN_IF_ERROR(stringField(r, "livestreamId", row.livestreamId));
    LS_RETURN_IF_ERROR(stringField(r, "metric", row.metric));
    LS_RETURN_IF_ERROR(stringField(r, "dimension", row.dimension));
    if (row.projectId.empty()) return invalidArgument("rows[].projectId is required");
    usage::Metric metric{};
    if (!usage::parseMetric(row.metric, metric)) return invalidArgument("rows[].metric is not a known metric");
    const boost::json::value* start = r.if_contains("bucketStart");
    if (start == nullptr || !start->is_int64() || usage::hourStart(start->get_int64()) != start->get_int64()) {
      return invalidArgument("rows[].bucketStart must be an integer ms on the hour");
    }
    row.bucketStart = start->get_int64();
    const boost::json::value* value = r.if_contains("value");
    if (value == nullptr || !value->is_int64() || value->get_int64() < 0) {
      return invalidArgument("rows[].value must be an integer >= 0");
    }
    row.value = value->get_int64();
    batch.rows.push_back(std::move(row));
  }
  return batch;
}

std::string_view publishRefusalCode(Code code) {
  switch (code) {
    case Code::kNotFound: return "BadName";
    case Code::kUnauthenticated: return "Unauthorized";
    case Code::kConflict: return "Conflict";
    case Code::kUnavailable: return "Unavailable";
    default: return "Invalid";
  }
}

}  // namespace ls::api
