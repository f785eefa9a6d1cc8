#include "nodes/zlm_calls.hpp"

#include <string>

#include "http_client/url_text.hpp"
#include "nodes/zlm_payloads.hpp"

namespace ls::nodes {

namespace {

using http_client::percentEncoded;

// getMediaList has one entry per muxer with its tracks, about 1 KiB each: a
// node with a thousand streams in five protocols answers several MiB.
constexpr std::size_t kMaxMediaListBytes = 16 * 1024 * 1024;

}  // namespace

Result<std::vector<control::NodeStream>> zlmLiveStreams(NodeCall& call, std::string_view secret) {
  const std::string target = "/index/api/getMediaList?secret=" + percentEncoded(secret);
  auto answer = call.send("GET", target, kMaxMediaListBytes);
  if (!answer.ok()) return std::move(answer).takeStatus();
  // ZLMediaKit answers its API with 200 even for errors; another status is
  // not its API speaking (a proxy, a wrong port).
  if (answer->status != 200) return call.failure("GET", target, "HTTP " + std::to_string(answer->status));
  auto streams = parseZlmMediaList(answer->body);
  if (!streams.ok()) return call.failure("GET", target, streams.status().message());
  return streams;
}

Status zlmCutPublisher(NodeCall& call, std::string_view secret, std::string_view app, std::string_view streamKey) {
  // close_streams reads an empty filter as "any": without both it would close
  // every stream of that name in any app, or every stream of the app.
  if (app.empty() || streamKey.empty())
    return invalidArgument("cutting a ZLMediaKit publisher needs an app and a stream");
  const std::string target = "/index/api/close_streams?secret=" + percentEncoded(secret) +
                             "&vhost=__defaultVhost__&app=" + percentEncoded(app) +
                             "&stream=" + percentEncoded(streamKey) + "&force=1";
  auto answer = call.send("GET", target);
  if (!answer.ok()) return std::move(answer).takeStatus();
  if (answer->status != 200) return call.failure("GET", target, "HTTP " + std::to_string(answer->status));
  auto closed = parseZlmCloseStreams(answer->body);
  if (!closed.ok()) return call.failure("GET", target, closed.status().message());
  return Status::ok();
}

}  // namespace ls::nodes
