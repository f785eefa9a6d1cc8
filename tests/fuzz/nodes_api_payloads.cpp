// An answer from an external node's API must give kUnavailable or a reading,
// never a crash. The same bytes go to every ZLMediaKit and MediaMTX parser;
// what they return must hold together.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "nodes/mediamtx_payloads.hpp"
#include "nodes/zlm_payloads.hpp"

namespace {

using namespace ls::nodes;

void check(bool invariant) {
  if (!invariant) std::abort();
}

void checkStreams(const std::vector<ls::control::NodeStream>& streams, bool needsApp) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& s : streams) {
    check(!s.streamKey.empty() && (!needsApp || !s.app.empty()));
    check(seen.emplace(s.app, s.streamKey).second);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);

  const auto zlmList = parseZlmMediaList(body);
  const auto zlmClosed = parseZlmCloseStreams(body);
  if (!zlmList.ok()) check(zlmList.status().code() == ls::Code::kUnavailable);
  if (!zlmClosed.ok()) check(zlmClosed.status().code() == ls::Code::kUnavailable);
  // Both need the same successful answer; the list also needs its data to be a list.
  if (zlmList.ok()) {
    check(zlmClosed.ok());
    checkStreams(*zlmList, true);
  }

  const auto page = parseMtxPathPage(body);
  const auto source = parseMtxPathSource(body);
  if (!page.ok()) check(page.status().code() == ls::Code::kUnavailable);
  if (!source.ok()) check(source.status().code() == ls::Code::kUnavailable);
  // Any object is a path (perhaps without a source); a page needs more.
  if (page.ok()) {
    check(source.ok());
    check(page->pageCount >= 0);
    checkStreams(page->live, false);
    for (const auto& s : page->live) check(splitMtxPathName(mtxPathName(s.app, s.streamKey)).app == s.app);
  }
  if (source.ok() && source->has_value()) {
    if (const auto kick = mtxKickPath(**source)) {
      // One route, one path segment for the id: nothing the node sent can
      // aim the POST elsewhere.
      check(kick->starts_with("/v3/"));
      const std::size_t id = kick->find("/kick/");
      check(id != std::string::npos && id + 6 < kick->size());
      check(kick->find_first_of("/?#", id + 6) == std::string::npos);
    }
  }
  const std::string errorText = mtxErrorText(body);
  check(errorText.size() <= 4 * 200 + 3 && errorText.find('\n') == std::string::npos);
  return 0;
}
