// What MediaMTX's Control API (v3) answers mean (internal/api and
// api/openapi.yaml in MediaMTX), apart from the calls that fetch them
// (mediamtx_calls.cpp), so they are unit-tested on recorded answers and
// fuzzed. Pure functions on the body.
//
// MediaMTX says failure with the HTTP status and a body {"status": "error",
// "error": "..."} ({"error": "..."} before v1.16); success bodies have no
// status member to check.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "control/node_api.hpp"
#include "core/status.hpp"

namespace ls::nodes {

// One page of /v3/paths/list (pages count from 0).
struct MtxPathPage {
  // Paths a publisher is pushing now, their names split ("live/<key>").
  std::vector<control::NodeStream> live;
  std::int64_t pageCount = 0;  // at the requested page size; 0 when the node has no paths
  std::int64_t itemCount = 0;  // paths on all pages
};
// A path is live when its "source" is a publisher's connection (see
// mtxKickPath for the types) and it has media: "available" (v1.16 on) or
// "ready" (before; still sent, deprecated). A node that says "online": false
// is believed. Static sources (a camera MediaMTX pulls, a redirect) and
// paths without a source are not publishers.
Result<MtxPathPage> parseMtxPathPage(std::string_view body);

// The source of one path, from /v3/paths/get/{name}.
struct MtxSource {
  std::string type;  // "rtmpConn", "srtConn", "rtspSource", ...
  std::string id;    // the connection or session id (a UUID); "" for static sources
};
// nullopt when the path has no source (no one publishes to it).
Result<std::optional<MtxSource>> parseMtxPathSource(std::string_view body);

// Where a publisher is cut: POST /v3/<kind>/kick/<id> for the source types
// that are a connection or a session of MediaMTX's own servers (rtmpConn,
// rtmpsConn, srtConn, rtspSession, rtspsSession, webRTCSession, moqSession);
// nullopt for any other type, or an empty id.
std::optional<std::string> mtxKickPath(const MtxSource& source);

// The node's words in an error answer ("path not found"), made safe to
// quote; "" when the body has none.
std::string mtxErrorText(std::string_view body);

// "live/<key>" -> {"live", "<key>"}. The app is the first segment; a name
// without '/' is a key without an app. A name with an empty first segment
// ("/kick/x") names no stream of ours: both come back empty (a key with a
// '/' and no app could not be told apart from an app and its key).
control::NodeStream splitMtxPathName(std::string_view name);
// The inverse: the path name of app/streamKey.
std::string mtxPathName(std::string_view app, std::string_view streamKey);

}  // namespace ls::nodes
