#include "http/query.hpp"

namespace ls::http {
namespace {

// Calls fn(key, value) for each non-empty "key[=value]" piece until fn returns false.
template <typename Fn>
void forEachPair(std::string_view rawQuery, Fn&& fn) {
  while (!rawQuery.empty()) {
    const std::size_t amp = rawQuery.find('&');
    const std::string_view piece = rawQuery.substr(0, amp);
    if (!piece.empty()) {
      const std::size_t eq = piece.find('=');
      const std::string_view key = piece.substr(0, eq);
      const std::string_view value = eq == std::string_view::npos ? std::string_view{} : piece.substr(eq + 1);
      if (!fn(key, value)) return;
    }
    if (amp == std::string_view::npos) return;
    rawQuery.remove_prefix(amp + 1);
  }
}

}  // namespace

std::optional<std::string> queryParam(std::string_view rawQuery, std::string_view name) {
  std::optional<std::string> result;
  forEachPair(rawQuery, [&](std::string_view key, std::string_view value) {
    if (!decodedEquals(key, name)) return true;
    result = percentDecode(value, true);
    return false;
  });
  return result;
}

std::vector<std::pair<std::string, std::string>> queryParams(std::string_view rawQuery) {
  std::vector<std::pair<std::string, std::string>> out;
  forEachPair(rawQuery, [&](std::string_view key, std::string_view value) {
    out.emplace_back(percentDecode(key, true), percentDecode(value, true));
    return true;
  });
  return out;
}

}  // namespace ls::http
