#include "webhooks/duration.hpp"

#include <array>
#include <charconv>
#include <utility>

namespace ls::webhooks {

namespace {

constexpr std::array<std::pair<std::string_view, std::int64_t>, 5> kUnits{{
    {"ms", 1},
    {"s", 1000},
    {"m", 60'000},
    {"h", 3'600'000},
    {"d", 86'400'000},
}};

std::string quoted(std::string_view text) {
  std::string shown(text.substr(0, 40));
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) c = '?';
  }
  return "'" + shown + (text.size() > 40 ? "...'" : "'");
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<std::int64_t> parseDurationMs(std::string_view text) {
  const std::string_view s = trimmed(text);
  std::size_t digits = 0;
  while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
  if (digits == 0) {
    return invalidArgument("duration " + quoted(text) +
                           " must be a whole number with a unit (ms, s, m, h, d), e.g. 5m");
  }
  const std::string_view unit = s.substr(digits);
  std::int64_t scale = 0;
  for (const auto& [name, ms] : kUnits) {
    if (unit == name) scale = ms;
  }
  if (scale == 0) {
    return invalidArgument("duration " + quoted(text) + (unit.empty() ? " has no unit" : " has an unknown unit") +
                           " (ms, s, m, h or d)");
  }
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + digits, n);
  if (ec != std::errc() || end != s.data() + digits || n > kMaxDurationMs / scale) {
    return invalidArgument("duration " + quoted(text) + " is longer than 366 days");
  }
  return n * scale;
}

Result<std::vector<std::int64_t>> parseRetrySchedule(std::string_view text) {
  std::vector<std::int64_t> out;
  if (trimmed(text).empty())
    return invalidArgument("retry schedule is empty: give at least one duration, e.g. 0s, 5s, 5m");
  std::string_view rest = text;
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    if (out.size() == kMaxScheduleEntries) {
      return invalidArgument("retry schedule has more than " + std::to_string(kMaxScheduleEntries) + " entries");
    }
    auto ms = parseDurationMs(item);
    if (!ms.ok()) {
      return invalidArgument("retry schedule entry " + std::to_string(out.size() + 1) + ": " + ms.status().message());
    }
    out.push_back(*ms);
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return out;
}

std::string formatDuration(std::int64_t ms) {
  if (ms == 0) return "0s";
  for (auto it = kUnits.rbegin(); it != kUnits.rend(); ++it) {
    if (ms % it->second == 0) return std::to_string(ms / it->second) + std::string(it->first);
  }
  return std::to_string(ms) + "ms";
}

const std::vector<std::int64_t>& defaultRetrySchedule() {
  static const std::vector<std::int64_t> kDefault{
      0, 5'000, 5 * 60'000, 30 * 60'000, 2 * 3'600'000, 5 * 3'600'000, 10 * 3'600'000, 10 * 3'600'000};
  return kDefault;
}

}  // namespace ls::webhooks
