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

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace ls::api {

// What ZLMediaKit adds to every hook body: the node's own id ([general]
// mediaServerId) and hook_index, a counter that starts at 0 with the process.
struct ZlmHookMeta {
  std::string mediaServerId;
  std::optional<std::int64_t> hookIndex;  // nullopt when absent or not a non-negative integer
};

// ZLMediaKit on_publish: {"app","stream","params","ip","port","id","schema","vhost",...}.
struct ZlmPublish {
  ZlmHookMeta meta;
  std::string app;
  std::string stream;  // the stream key
  std::string params;  // the publish URL's query, which carries pushToken=
  std::string ip;      // the publisher's address
  std::string schema;  // the protocol the publisher uses: "rtmp", "rtsp", "srt", "rtc", ...
};
Result<ZlmPublish> parseZlmPublish(std::string_view body);

// ZLMediaKit on_stream_changed: {"regist","schema","app","stream","vhost",...}.
struct ZlmStreamChanged {
  ZlmHookMeta meta;
  std::optional<bool> regist;  // nullopt when absent or not a boolean
  std::string schema;          // "rtmp", "rtsp", "hls", "ts", "fmp4", ...
  std::string app;
  std::string stream;
};
Result<ZlmStreamChanged> parseZlmStreamChanged(std::string_view body);

// The registration that carries a publish of the given on_publish schema:
// the publisher's own protocol for RTMP and RTSP; "" for the others (SRT,
// WebRTC, RTP), whose streams ZLMediaKit registers through its muxers only.
std::string registrationSchemaFor(std::string_view publishSchema);
// Whether an unregistration of this schema can mean that the publisher left
// (HLS muxers may come and go on their own: on demand, a few seconds late).
bool mayEndPublish(std::string_view schema);

// ZLMediaKit on_server_started: the node's whole configuration as flat
// "section.key" strings (api.secret and our hook URLs among them: never log
// or keep the body). Only the keepalive interval is read.
struct ZlmServerStarted {
  ZlmHookMeta meta;
  std::int64_t keepaliveIntervalMs = 0;  // "hook.alive_interval" seconds; 0 when absent or unreadable
};
Result<ZlmServerStarted> parseZlmServerStarted(std::string_view body);

// ZLMediaKit on_server_keepalive: {"data": {"MediaSource": n, ...counters}}.
struct ZlmKeepalive {
  ZlmHookMeta meta;
  std::optional<std::int64_t> mediaSources;  // how many streams (one per schema) it holds
};
Result<ZlmKeepalive> parseZlmKeepalive(std::string_view body);

// ZLMediaKit on_stream_not_found / on_stream_none_reader / on_server_exited:
// which stream (empty for on_server_exited).
struct ZlmStreamRef {
  ZlmHookMeta meta;
  std::string app;
  std::string stream;
  std::string schema;
};
Result<ZlmStreamRef> parseZlmStreamRef(std::string_view body);

// MediaMTX authHTTPAddress: {"user","password","token","ip","action","path","protocol","id","query"}.
struct MediaMtxAuth {
  std::string action;  // "publish", "read", "playback", "api", "metrics", "pprof"
  std::string user;    // HTTP Basic / URL credentials, when the client gave any
  std::string password;
  std::string protocol;  // "rtmp", "srt", "rtsp", "webrtc", "hls", ...
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
