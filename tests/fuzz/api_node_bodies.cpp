// A body from a media node must give InvalidArgument or a value within the
// caps, never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "api/node_bodies.hpp"

namespace {

void check(bool invariant) {
  if (!invariant) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ls::api;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  if (auto beat = parseNodeHeartbeat(body); beat.ok()) {
    check(!beat->bootId.empty() && beat->bootId.size() <= kMaxNodeField);
    check(beat->liveStreamKeys.size() <= kMaxNodeStreams);
    for (const auto& key : beat->liveStreamKeys) check(!key.empty() && key.size() <= kMaxNodeField);
    check(beat->intervalMs == 0 || (beat->intervalMs >= 100 && beat->intervalMs <= 3'600'000));
  } else {
    check(beat.status().code() == ls::Code::kInvalidArgument);
  }
  if (auto publish = parseNodePublish(body); publish.ok()) {
    check(publish->streamKey.size() <= kMaxNodeField && publish->pushToken.size() <= kMaxNodeField);
  } else {
    check(publish.status().code() == ls::Code::kInvalidArgument);
  }
  if (auto end = parseNodePublishEnded(body); end.ok()) {
    check(!end->livestreamId.empty() || !end->streamKey.empty());
  } else {
    check(end.status().code() == ls::Code::kInvalidArgument);
  }
  if (auto batch = parseNodeUsage(body); batch.ok()) {
    check(!batch->id.empty() && batch->id.size() <= kMaxNodeField);
    check(batch->rows.size() <= kMaxNodeUsageRows);
    for (const auto& row : batch->rows) {
      check(!row.projectId.empty() && row.value >= 0 && ls::usage::hourStart(row.bucketStart) == row.bucketStart);
    }
  } else {
    check(batch.status().code() == ls::Code::kInvalidArgument);
  }
  return 0;
}
