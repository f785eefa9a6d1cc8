#include "store/sqlite/rows.hpp"

#include <boost/json.hpp>

namespace ls::sqlite {

namespace {

Status corruptRow(std::string_view table, std::string_view column, std::string_view value) {
  std::string m = "unreadable ";
  m.append(table).append('.', 1).append(column).append(" value '").append(value).append("'");
  return internalError(std::move(m));
}

}  // namespace

Result<Team> readTeam(const Statement& row) {
  return Team{.id = row.text(0), .name = row.text(1), .createdAt = row.int64(2)};
}

Result<Project> readProject(const Statement& row) {
  return Project{.id = row.text(0),
                 .teamId = row.text(1),
                 .name = row.text(2),
                 .apiKeyHash = row.text(3),  // NULL (no key) reads as ""
                 .abrEnabled = row.int64(4) != 0,
                 .createdAt = row.int64(5)};
}

Result<MediaServer> readMediaServer(const Statement& row) {
  MediaServer s;
  s.id = row.text(0);
  s.name = row.text(1);
  const std::string type = row.text(2);
  const std::optional<MediaServerType> parsedType = parseMediaServerType(type);
  if (!parsedType) return corruptRow("media_servers", "type", type);
  s.type = *parsedType;
  s.rtmpBaseUrl = row.text(3);
  s.hlsBaseUrl = row.text(4);
  Result<std::vector<CdnEndpoint>> cdns = decodeCdns(row.text(5));
  if (!cdns.ok()) return cdns.status();
  s.cdns = std::move(cdns).value();
  s.hookSecretHash = row.text(6);
  s.createdAt = row.int64(7);
  s.hlsPathTemplate = row.text(8);
  s.hookAllow = splitList(row.text(9));
  s.remoteId = row.text(10);
  s.apiUrl = row.text(11);
  s.apiSecret = row.text(12);
  s.liveness.lastSeenAt = row.optionalInt64(13);
  s.liveness.heartbeatAt = row.optionalInt64(14);
  s.liveness.keepaliveIntervalMs = row.int64(15);
  s.liveness.offlineSince = row.optionalInt64(16);
  s.liveness.lastHookIndex = row.int64(17);
  return s;
}

Result<Livestream> readLivestream(const Statement& row) {
  Livestream l;
  l.id = row.text(0);
  l.projectId = row.text(1);
  l.mediaServerId = row.text(2);
  l.name = row.text(3);
  l.streamKey = row.text(4);
  const std::string phase = row.text(5);
  const std::optional<LivestreamStatus> parsedPhase = parseLivestreamStatus(phase);
  if (!parsedPhase || *parsedPhase == LivestreamStatus::kTokenExpired) {
    return corruptRow("livestreams", "phase", phase);
  }
  l.phase = *parsedPhase;
  l.currentTokenId = row.text(6);
  l.tokenExpiresAt = row.int64(7);
  l.createdAt = row.int64(8);
  l.startedAt = row.optionalInt64(9);
  l.endedAt = row.optionalInt64(10);
  l.publishProtocol = row.text(11);
  l.publishSequence = row.optionalInt64(12);
  return l;
}

std::string encodeCdns(const std::vector<CdnEndpoint>& cdns) {
  boost::json::array array;
  array.reserve(cdns.size());
  for (const CdnEndpoint& cdn : cdns) {
    array.push_back(boost::json::object{{"name", cdn.name}, {"baseUrl", cdn.baseUrl}});
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
    cdns.push_back({std::string(name->get_string()), std::string(baseUrl->get_string())});
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

}  // namespace ls::sqlite
