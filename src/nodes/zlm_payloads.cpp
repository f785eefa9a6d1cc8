#include "nodes/zlm_payloads.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <string>
#include <utility>

#include "nodes/node_json.hpp"

namespace ls::nodes {

namespace {

using node_json::intField;
using node_json::stringField;

// The answer's object once its "code" said success.
Result<boost::json::object> successfulAnswer(std::string_view body) {
  auto answer = node_json::parseObject(body, "ZLMediaKit");
  if (!answer.ok()) return answer;
  const std::optional<std::int64_t> code = intField(*answer, "code");
  if (!code) return unavailable("ZLMediaKit answer has no integer code");
  if (*code != 0) {
    std::string message = "ZLMediaKit answered code " + std::to_string(*code);
    if (auto msg = stringField(*answer, "msg"); msg && !msg->empty()) message += ": " + node_json::nodeText(*msg);
    return unavailable(std::move(message));
  }
  return answer;
}

// MediaOriginType in ZLMediaKit's src/Common/MediaSource.h; the enum has
// only ever been appended to, so the numbers are stable across versions.
bool isPushOrigin(const boost::json::object& entry) {
  if (auto name = stringField(entry, "originTypeStr")) return name->ends_with("_push");
  constexpr std::array<std::int64_t, 5> kPushTypes{1 /*rtmp*/, 2 /*rtsp*/, 3 /*rtp*/, 8 /*rtc*/, 9 /*srt*/};
  const std::optional<std::int64_t> type = intField(entry, "originType");
  return type && std::find(kPushTypes.begin(), kPushTypes.end(), *type) != kPushTypes.end();
}

}  // namespace

Result<std::vector<control::NodeStream>> parseZlmMediaList(std::string_view body) {
  auto answer = successfulAnswer(body);
  if (!answer.ok()) return std::move(answer).takeStatus();
  std::vector<control::NodeStream> streams;
  const boost::json::value* data = answer->if_contains("data");
  if (data == nullptr || data->is_null()) return streams;
  if (!data->is_array()) return unavailable("ZLMediaKit media list has a data member that is not an array");
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const boost::json::value& item : data->get_array()) {
    if (!item.is_object() || !isPushOrigin(item.get_object())) continue;
    const auto app = stringField(item.get_object(), "app");
    const auto stream = stringField(item.get_object(), "stream");
    if (!app || !stream || app->empty() || stream->empty()) continue;
    if (!seen.emplace(*app, *stream).second) continue;
    streams.push_back(control::NodeStream{std::string(*app), std::string(*stream)});
  }
  return streams;
}

Result<ZlmClosedStreams> parseZlmCloseStreams(std::string_view body) {
  auto answer = successfulAnswer(body);
  if (!answer.ok()) return std::move(answer).takeStatus();
  return ZlmClosedStreams{intField(*answer, "count_hit").value_or(0), intField(*answer, "count_closed").value_or(0)};
}

}  // namespace ls::nodes
