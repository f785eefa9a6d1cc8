// A heartbeat answer's "steering" must parse to a usable snapshot or be
// refused with InvalidArgument, never crash; what parses renders a master
// whose every variant names a pathway, and a manifest that lists them all.
#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ingest/steering_json.hpp"
#include "media/hls/steering.hpp"

namespace {

void check(bool invariant) {
  if (!invariant) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(boost::json::string_view(text.data(), text.size()), ec);
  if (ec) return 0;
  auto parsed = ls::ingest::parseSteeringJson(value);
  if (!parsed.ok()) {
    check(parsed.status().code() == ls::Code::kInvalidArgument);
    return 0;
  }
  if (!parsed->active()) return 0;
  check(parsed->pathways.size() >= 2 && parsed->pathways.size() <= 33);
  ls::hls::Variant variant;
  variant.uri = "original/index.m3u8";
  variant.bandwidth = 1000;
  const std::string master = ls::hls::renderSteeredMaster({variant}, "k", *parsed);
  std::size_t variants = 0;
  for (std::size_t at = 0; at < master.size();) {
    const std::size_t eol = master.find('\n', at);
    if (master.compare(at, 18, "#EXT-X-STREAM-INF:") == 0) ++variants;
    if (eol == std::string::npos) break;
    at = eol + 1;
  }
  check(variants == parsed->pathways.size());
  const std::string manifest = ls::hls::renderSteeringManifest(*parsed, "k");
  check(boost::json::parse(manifest, ec).is_object() && !ec);
  return 0;
}
