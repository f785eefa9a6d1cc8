#include "nodes/mediamtx_calls.hpp"

#include <set>
#include <string>
#include <utility>

#include "core/log_text.hpp"
#include "core/quoted.hpp"
#include "http_client/url_text.hpp"
#include "nodes/mediamtx_payloads.hpp"

namespace ls::nodes {

namespace {

constexpr int kItemsPerPage = 100;
constexpr int kMaxPages = 100;

std::string httpFailure(const http_client::ClientResponse& answer) {
  std::string what = "HTTP " + std::to_string(answer.status);
  if (std::string text = mtxErrorText(answer.body); !text.empty()) what += ": " + text;
  return what;
}

// Static sources (a camera or server MediaMTX pulls: "rtspSource",
// "hlsSource", ... and "redirect") have no publisher to cut.
bool isStaticSource(std::string_view type) {
  return type.ends_with("Source") || type == "redirect";
}

}  // namespace

Result<std::vector<control::NodeStream>> mtxLiveStreams(NodeCall& call) {
  std::vector<control::NodeStream> streams;
  // Paths that open or close while we page shift the ones after them: a
  // path may come twice (dropped here) or be missed until the next list.
  std::set<std::pair<std::string, std::string>> seen;
  for (int page = 0;; ++page) {
    const std::string target =
        "/v3/paths/list?page=" + std::to_string(page) + "&itemsPerPage=" + std::to_string(kItemsPerPage);
    auto answer = call.send("GET", target);
    if (!answer.ok()) return std::move(answer).takeStatus();
    if (answer->status != 200) return call.failure("GET", target, httpFailure(*answer));
    auto parsed = parseMtxPathPage(answer->body);
    if (!parsed.ok()) return call.failure("GET", target, parsed.status().message());
    for (control::NodeStream& stream : parsed->live) {
      if (seen.emplace(stream.app, stream.streamKey).second) streams.push_back(std::move(stream));
    }
    if (page + 1 >= parsed->pageCount) return streams;
    if (page + 1 >= kMaxPages) {
      return call.failure("GET", target,
                          "more than " + std::to_string(kMaxPages * kItemsPerPage) + " paths; not listing them");
    }
  }
}

Status mtxCutPublisher(NodeCall& call, std::string_view app, std::string_view streamKey) {
  // The route's name parameter takes the rest of the path, so the '/' of
  // "live/<key>" stays as is; everything else is percent-encoded.
  const std::string getTarget = "/v3/paths/get/" + http_client::percentEncoded(mtxPathName(app, streamKey), true);
  auto path = call.send("GET", getTarget);
  if (!path.ok()) return std::move(path).takeStatus();
  if (path->status == 404) return Status::ok();
  if (path->status != 200) return call.failure("GET", getTarget, httpFailure(*path));
  auto source = parseMtxPathSource(path->body);
  if (!source.ok()) return call.failure("GET", getTarget, source.status().message());
  if (!source->has_value() || isStaticSource((*source)->type)) return Status::ok();

  const std::optional<std::string> kickTarget = mtxKickPath(**source);
  if (!kickTarget) {
    return call.failure(
        "GET", getTarget,
        "a source of type " + quoted(logText((*source)->type, 64)) + " has no kick route LunarStream knows");
  }
  auto kicked = call.send("POST", *kickTarget);
  if (!kicked.ok()) return std::move(kicked).takeStatus();
  if (kicked->status == 404 || (kicked->status >= 200 && kicked->status < 300)) return Status::ok();
  return call.failure("POST", *kickTarget, httpFailure(*kicked));
}

}  // namespace ls::nodes
