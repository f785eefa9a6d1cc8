// Durations as operators write them ("250ms", "5s", "5m", "2h", "5d") and the
// retry schedule, a comma-separated list of them. One parser for every
// webhooks.* duration key and LUNARSTREAM_WEBHOOKS_RETRY_SCHEDULE.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "core/time.hpp"

namespace ls::webhooks {

// Longest duration accepted anywhere (a year): keeps every sum of them far
// from overflowing UnixMillis.
inline constexpr std::int64_t kMaxDurationMs = 366LL * 24 * 3600 * 1000;
// At most this many entries in a schedule (the default has 8).
inline constexpr std::size_t kMaxScheduleEntries = 50;

// "<digits><unit>", unit one of ms, s, m, h, d; surrounding spaces allowed;
// no sign, fraction or unitless number. InvalidArgument quoting (at most 40
// characters of) the text and saying what was expected.
Result<std::int64_t> parseDurationMs(std::string_view text);

// "0s, 5s, 5m" -> {0, 5000, 300000}: one to kMaxScheduleEntries durations.
// Entry i is the wait before attempt i + 1: entry 0 before the first (0s: at
// once), entry k after the k-th failed attempt. n entries allow n attempts;
// the delivery fails after the n-th failure.
Result<std::vector<std::int64_t>> parseRetrySchedule(std::string_view text);

// The shortest text parseDurationMs reads back to ms ("5m", "1500ms").
std::string formatDuration(std::int64_t ms);

// The default webhooks.retry_schedule: 0s, 5s, 5m, 30m, 2h, 5h, 10h, 10h.
const std::vector<std::int64_t>& defaultRetrySchedule();

}  // namespace ls::webhooks
