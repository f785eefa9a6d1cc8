// A hook body from a media server must give InvalidArgument or a payload,
// never a crash. The same bytes go to every parser, which must agree on
// whether they are a hook body at all and on how they split a MediaMTX path.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "api/hook_payload.hpp"

namespace {

using namespace ls::api;

constexpr std::string_view kQueryPath = "/live/ee04affe2a669854052102fe762bd715";

void check(bool invariant) {
  if (!invariant) std::abort();
}

void checkRejection(const ls::Status& status) {
  check(status.code() == ls::Code::kInvalidArgument && status.message() == "hook body must be a JSON object");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const auto publish = parseZlmPublish(body);
  const auto changed = parseZlmStreamChanged(body);
  const auto auth = parseMediaMtxAuth(body);
  const auto started = parseZlmServerStarted(body);
  const auto keepalive = parseZlmKeepalive(body);
  const auto ref = parseZlmStreamRef(body);
  const auto event = parseMediaMtxPathEvent(body, "");
  const auto withQuery = parseMediaMtxPathEvent(body, kQueryPath);

  check(changed.ok() == publish.ok() && auth.ok() == publish.ok() && event.ok() == publish.ok() &&
        withQuery.ok() == publish.ok() && started.ok() == publish.ok() && keepalive.ok() == publish.ok() &&
        ref.ok() == publish.ok());
  if (!publish.ok()) {
    for (const ls::Status* s : {&publish.status(), &changed.status(), &auth.status(), &event.status(),
                                &withQuery.status(), &started.status(), &keepalive.status(), &ref.status()}) {
      checkRejection(*s);
    }
    return 0;
  }
  check(!body.empty() || (publish->stream.empty() && auth->action.empty() && !changed->regist.has_value()));
  // Every parser reads the node's meta alike; counts and intervals are never negative.
  check(publish->meta.hookIndex == ref->meta.hookIndex && changed->meta.mediaServerId == ref->meta.mediaServerId);
  check(!ref->meta.hookIndex || *ref->meta.hookIndex >= 0);
  check(!keepalive->mediaSources || *keepalive->mediaSources >= 0);
  check(started->keepaliveIntervalMs == 0 || (started->keepaliveIntervalMs >= 100 && started->keepaliveIntervalMs <= 3'600'000));
  // The app is the first path segment; both MediaMTX parsers split "path" alike.
  check(auth->app.find('/') == std::string_view::npos && event->app.find('/') == std::string_view::npos);
  check(auth->app == event->app && auth->streamKey == event->streamKey);
  // A path in the body wins over the query's.
  if (!event->app.empty() || !event->streamKey.empty()) {
    check(withQuery->app == event->app && withQuery->streamKey == event->streamKey);
  }
  return 0;
}
