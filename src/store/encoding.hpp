// Engine-independent column encodings and helpers shared by sqlite/ and
// postgres/: both stores keep the same values in the same spelling, so a
// database moved from one engine to the other means the same thing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "core/status.hpp"

namespace ls::store {

// media_servers.cdns_json: an ordered [{"name": ..., "baseUrl": ...,
// "steering"?: "pin"|"drain"}] ("steering" absent = "auto").
std::string encodeCdns(const std::vector<CdnEndpoint>& cdns);
Result<std::vector<CdnEndpoint>> decodeCdns(std::string_view json);

// media_servers.hook_allow: items without commas, stored comma-separated.
std::string joinList(const std::vector<std::string>& items);
std::vector<std::string> splitList(std::string_view text);

// `%text%` for LIKE ... ESCAPE '\': the search is a plain substring, so the
// user's % _ and \ match themselves.
std::string likeContainsPattern(std::string_view text);

// projects.rate_limit_per_minute / _per_hour: both set, or both NULL (the
// configured defaults); a half-set pair reads as the defaults.
std::optional<ProjectRateLimit> decodeRateLimit(std::optional<std::int64_t> perMinute,
                                                std::optional<std::int64_t> perHour);

// The row offset of a 1-based page (capped, never overflowing);
// kInvalidArgument for a page or limit below 1.
Result<std::int64_t> pageOffset(std::int64_t page, std::int64_t limit);

// "<what> <id> not found"
std::string missing(std::string_view what, std::string_view id);
// Store::importAll into a store that has rows.
inline constexpr std::string_view kNotEmpty =
    "the target database is not empty (it has teams, projects, media servers, livestreams, signing keys or audit entries)";

// kInternal "unreadable <table>.<column> value '<value>'": a row the binary cannot read.
Status corruptRow(std::string_view table, std::string_view column, std::string_view value);

// The value when the work succeeded, else its status.
template <typename T>
Result<T> valueOr(const Status& s, T value) {
  if (!s.isOk()) return s;
  return value;
}

}  // namespace ls::store
