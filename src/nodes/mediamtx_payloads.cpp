#include "nodes/mediamtx_payloads.hpp"

#include <array>
#include <set>
#include <utility>

#include "http_client/url_text.hpp"
#include "nodes/node_json.hpp"

namespace ls::nodes {

namespace {

using node_json::intField;
using node_json::isTrue;
using node_json::stringField;

struct PublisherKind {
  std::string_view sourceType;  // APIPathSourceType in internal/defs/api_path.go
  std::string_view collection;  // its routes in internal/api/api.go: /v3/<collection>/kick/:id
};

constexpr std::array<PublisherKind, 7> kPublisherKinds{{
    {"rtmpConn", "rtmpconns"},
    {"rtmpsConn", "rtmpsconns"},
    {"srtConn", "srtconns"},
    {"rtspSession", "rtspsessions"},
    {"rtspsSession", "rtspssessions"},
    {"webRTCSession", "webrtcsessions"},
    {"moqSession", "moqsessions"},
}};

const PublisherKind* publisherKind(std::string_view sourceType) {
  for (const PublisherKind& kind : kPublisherKinds) {
    if (kind.sourceType == sourceType) return &kind;
  }
  return nullptr;
}

std::optional<MtxSource> sourceOf(const boost::json::object& path) {
  const boost::json::value* source = path.if_contains("source");
  if (source == nullptr || !source->is_object()) return std::nullopt;
  const auto type = stringField(source->get_object(), "type");
  if (!type) return std::nullopt;
  return MtxSource{std::string(*type), std::string(stringField(source->get_object(), "id").value_or(""))};
}

bool isLive(const boost::json::object& path) {
  const std::optional<MtxSource> source = sourceOf(path);
  if (!source || publisherKind(source->type) == nullptr) return false;
  const boost::json::value* online = path.if_contains("online");
  if (online != nullptr && online->is_bool() && !online->get_bool()) return false;
  return isTrue(path, "available") || isTrue(path, "ready");
}

}  // namespace

Result<MtxPathPage> parseMtxPathPage(std::string_view body) {
  auto answer = node_json::parseObject(body, "MediaMTX");
  if (!answer.ok()) return std::move(answer).takeStatus();
  MtxPathPage page;
  const std::optional<std::int64_t> pageCount = intField(*answer, "pageCount");
  if (!pageCount || *pageCount < 0) return unavailable("MediaMTX path list has no pageCount");
  page.pageCount = *pageCount;
  page.itemCount = intField(*answer, "itemCount").value_or(0);
  const boost::json::value* items = answer->if_contains("items");
  if (items == nullptr || items->is_null()) return page;
  if (!items->is_array()) return unavailable("MediaMTX path list has items that are not an array");
  std::set<std::string_view> seen;
  for (const boost::json::value& item : items->get_array()) {
    if (!item.is_object() || !isLive(item.get_object())) continue;
    const auto name = stringField(item.get_object(), "name");
    if (!name || !seen.insert(*name).second) continue;
    control::NodeStream stream = splitMtxPathName(*name);
    if (!stream.streamKey.empty()) page.live.push_back(std::move(stream));
  }
  return page;
}

Result<std::optional<MtxSource>> parseMtxPathSource(std::string_view body) {
  auto answer = node_json::parseObject(body, "MediaMTX");
  if (!answer.ok()) return std::move(answer).takeStatus();
  return sourceOf(*answer);
}

std::optional<std::string> mtxKickPath(const MtxSource& source) {
  const PublisherKind* kind = publisherKind(source.type);
  if (kind == nullptr || source.id.empty()) return std::nullopt;
  return "/v3/" + std::string(kind->collection) + "/kick/" + http_client::percentEncoded(source.id);
}

std::string mtxErrorText(std::string_view body) {
  auto answer = node_json::parseObject(body, "MediaMTX");
  if (!answer.ok()) return {};
  return node_json::nodeText(stringField(*answer, "error").value_or(""));
}

control::NodeStream splitMtxPathName(std::string_view name) {
  const std::size_t slash = name.find('/');
  if (slash == std::string_view::npos) return control::NodeStream{"", std::string(name)};
  if (slash == 0) return control::NodeStream{};
  return control::NodeStream{std::string(name.substr(0, slash)), std::string(name.substr(slash + 1))};
}

std::string mtxPathName(std::string_view app, std::string_view streamKey) {
  if (app.empty()) return std::string(streamKey);
  std::string name(app);
  name += '/';
  name += streamKey;
  return name;
}

}  // namespace ls::nodes
