#include "store/encoding.hpp"

#include <limits>

#include <boost/json.hpp>

namespace ls::store {

Status corruptRow(std::string_view table, std::string_view column, std::string_view value) {
  std::string m = "unreadable ";
  m.append(table).append('.', 1).append(column).append(" value '").append(value).append("'");
  return internalError(std::move(m));
}

std::string encodeCdns(const std::vector<CdnEndpoint>& cdns) {
  boost::json::array array;
  array.reserve(cdns.size());
  for (const CdnEndpoint& cdn : cdns) {
    boost::json::object o{{"name", cdn.name}, {"baseUrl", cdn.baseUrl}};
    // Only when set: rows written before steering existed read the same.
    if (cdn.steering != CdnSteering::kAuto) o["steering"] = toString(cdn.steering);
    array.push_back(std::move(o));
  }
  return boost::json::serialize(array);
}

Result<std::vector<CdnEndpoint>> decodeCdns(std::string_view json) {
  boost::system::error_code ec;
  const boost::json::value parsed = boost::json::parse(boost::json::string_view(json.data(), json.size()), ec);
  auto bad = [&] { return corruptRow("media_servers", "cdns_json", json); };
  if (ec || !parsed.is_array()) return bad();
  std::vector<CdnEndpoint> cdns;
  for (const boost::json::value& item : parsed.get_array()) {
    const boost::json::object* object = item.if_object();
    if (object == nullptr) return bad();
    const boost::json::value* name = object->if_contains("name");
    const boost::json::value* baseUrl = object->if_contains("baseUrl");
    if (name == nullptr || baseUrl == nullptr || !name->is_string() || !baseUrl->is_string()) return bad();
    CdnSteering steering = CdnSteering::kAuto;
    if (const boost::json::value* mode = object->if_contains("steering"); mode != nullptr) {
      const auto parsedMode = mode->is_string() ? parseCdnSteering(mode->get_string()) : std::nullopt;
      if (!parsedMode) return bad();
      steering = *parsedMode;
    }
    cdns.push_back({std::string(name->get_string()), std::string(baseUrl->get_string()), steering});
  }
  return cdns;
}

std::string missing(std::string_view what, std::string_view id) {
  std::string m(what);
  m.append(" ").append(id).append(" not found");
  return m;
}

std::string joinList(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

std::vector<std::string> splitList(std::string_view text) {
  std::vector<std::string> items;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    if (std::string_view item = text.substr(0, comma); !item.empty()) items.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return items;
}

std::string likeContainsPattern(std::string_view text) {
  std::string pattern;
  pattern.reserve(text.size() + 2);
  pattern += '%';
  for (const char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += '%';
  return pattern;
}

std::optional<ProjectRateLimit> decodeRateLimit(std::optional<std::int64_t> perMinute,
                                                std::optional<std::int64_t> perHour) {
  if (!perMinute || !perHour) return std::nullopt;
  return ProjectRateLimit{*perMinute, *perHour};
}

Result<std::int64_t> pageOffset(std::int64_t page, std::int64_t limit) {
  if (page < 1) return invalidArgument("page must be at least 1");
  if (limit < 1) return invalidArgument("limit must be at least 1");
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  return page - 1 > kMax / limit ? kMax : (page - 1) * limit;
}

}  // namespace ls::store
