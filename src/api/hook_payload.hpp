// What the media servers' hook bodies mean, apart from the HTTP handlers that
// receive them (api/hook_routes.cpp), so the interpretation is unit-tested and
// fuzzed with plain byte strings. Pure functions: no I/O, no state.
//
// Every parser accepts the same bodies: a JSON object nested at most 8 deep,
// or an empty body (a runOnNotReady curl command may send none and pass the
// path in the query). Anything else is InvalidArgument "hook body must be a
// JSON object". Only the fields read here are looked at; the servers send many
// more. A field that is absent or not a string reads as "", so the service
// refuses the request in its own words ("push token missing") instead of a
// 400 whose reason ZLMediaKit would not log.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace ls::api {

// ZLMediaKit on_publish: {"app","stream","params","ip","port","id","schema","vhost",...}.
struct ZlmPublish {
  std::string app;
  std::string stream;  // the stream key
  std::string params;  // the publish URL's query, which carries pushToken=
  std::string ip;      // the publisher's address
};
Result<ZlmPublish> parseZlmPublish(std::string_view body);

// ZLMediaKit on_stream_changed: {"regist","schema","app","stream","vhost",...}.
struct ZlmStreamChanged {
  std::optional<bool> regist;  // nullopt when absent or not a boolean
  std::string schema;          // "rtmp", "rtsp", "hls", "ts", "fmp4", ...
  std::string stream;
};
Result<ZlmStreamChanged> parseZlmStreamChanged(std::string_view body);

// ZLMediaKit reports each protocol muxer of a stream separately; only the RTMP
// one unregistering means the publisher left (it exists exactly while the
// publisher does). An event without a boolean "regist" means nothing.
bool publisherLeft(const ZlmStreamChanged& event);

// MediaMTX authHTTPAddress: {"user","password","token","ip","action","path","protocol","id","query"}.
struct MediaMtxAuth {
  std::string action;  // "publish", "read", "playback", "api", ...
  std::string app;     // "live" of path "live/<streamKey>"
  std::string streamKey;
  std::string query;  // the publish URL's query, which carries pushToken=
  std::string ip;
};
Result<MediaMtxAuth> parseMediaMtxAuth(std::string_view body);

// MediaMTX runOnReady / runOnNotReady, as the operator's curl command sends
// them: the path in the body ({"path": "live/<streamKey>"}) or, when the body
// has none, in the URL query (queryPath, "" when absent).
struct MediaMtxPathEvent {
  std::string app;
  std::string streamKey;
};
Result<MediaMtxPathEvent> parseMediaMtxPathEvent(std::string_view body, std::string_view queryPath);

}  // namespace ls::api
