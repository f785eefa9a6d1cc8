// parseDurationMs and parseRetrySchedule give InvalidArgument or values within
// their bounds that format and parse back to themselves. Never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "webhooks/duration.hpp"

namespace {

void check(bool invariant) {
  if (!invariant) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ls::webhooks;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto ms = parseDurationMs(text); ms.ok()) {
    check(*ms >= 0 && *ms <= kMaxDurationMs);
    auto back = parseDurationMs(formatDuration(*ms));
    check(back.ok() && *back == *ms);
  } else {
    check(ms.status().code() == ls::Code::kInvalidArgument && !ms.status().message().empty());
  }
  if (auto schedule = parseRetrySchedule(text); schedule.ok()) {
    check(!schedule->empty() && schedule->size() <= kMaxScheduleEntries);
    for (std::int64_t ms : *schedule) check(ms >= 0 && ms <= kMaxDurationMs);
  } else {
    check(schedule.status().code() == ls::Code::kInvalidArgument);
  }
  return 0;
}
