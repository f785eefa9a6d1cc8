// What ZLMediaKit's HTTP API answers mean (server/WebApi.cpp in ZLMediaKit),
// apart from the calls that fetch them (zlm_calls.cpp), so they are
// unit-tested on recorded answers and fuzzed. Pure functions on the body.
//
// Every answer is a JSON object with an integer "code"; 0 is success. Any
// other code is kUnavailable quoting the node's "msg": -100 for a wrong or
// missing secret ("Please login first") or a refused address, -300 for a
// missing argument, -400 when the handler threw, -500 for "not found". A body
// that is not such an object is kUnavailable as well: an answer LunarStream
// cannot read tells it nothing about the node's streams.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "control/node_api.hpp"
#include "core/status.hpp"

namespace ls::nodes {

// /index/api/getMediaList: the distinct app/stream pairs that a publisher
// pushes, in the order the node listed them. ZLMediaKit lists one entry per
// muxer of a stream (rtsp, rtmp, ts, fmp4, hls, ...) and every entry carries
// the stream's origin; only a push counts ("originTypeStr" rtmp_push,
// rtsp_push, rtp_push, rtc_push, srt_push, or the numeric "originType" 1, 2,
// 3, 8, 9 when the string is missing): a pull, a proxy, an MP4 played on
// demand or a device channel is not a publisher LunarStream can cut. The
// vhost is not part of the pair. An answer without "data" is a node without
// streams: ZLMediaKit leaves the member out then.
Result<std::vector<control::NodeStream>> parseZlmMediaList(std::string_view body);

// /index/api/close_streams.
struct ZlmClosedStreams {
  std::int64_t matched = 0;  // "count_hit": sources that matched (one per muxer)
  std::int64_t closed = 0;   // "count_closed": of those, told to close
};
Result<ZlmClosedStreams> parseZlmCloseStreams(std::string_view body);

}  // namespace ls::nodes
