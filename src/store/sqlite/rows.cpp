#include "store/sqlite/rows.hpp"

#include "store/sqlite/queries.hpp"

namespace ls::sqlite {

using store::corruptRow;

Result<Team> readTeam(const Statement& row) {
  return Team{.id = row.text(0), .name = row.text(1), .createdAt = row.int64(2)};
}

Result<Project> readProject(const Statement& row) {
  return Project{.id = row.text(0),
                 .teamId = row.text(1),
                 .name = row.text(2),
                 .apiKeyHash = row.text(3),  // NULL (no key) reads as ""
                 .abrEnabled = row.int64(4) != 0,
                 .createdAt = row.int64(5),
                 .rateLimit = store::decodeRateLimit(row.optionalInt64(6), row.optionalInt64(7))};
}

Status insertProjectRow(Connection& c, const Project& p) {
  return change(c, sql::kInsertProject, [&](Statement& st) {
           st.bindText(1, p.id)
               .bindText(2, p.teamId)
               .bindText(3, p.name)
               .bindTextOrNull(4, p.apiKeyHash)
               .bindBool(5, p.abrEnabled)
               .bindInt64(6, p.createdAt)
               .bindOptionalInt64(7, p.rateLimit ? std::optional(p.rateLimit->perMinute) : std::nullopt)
               .bindOptionalInt64(8, p.rateLimit ? std::optional(p.rateLimit->perHour) : std::nullopt);
         })
      .status();
}

Result<AuditEntry> readAuditEntry(const Statement& row) {
  AuditEntry e;
  e.id = row.text(0);
  e.at = row.int64(1);
  const std::string type = row.text(2);
  const std::optional<ActorType> actorType = parseActorType(type);
  if (!actorType) return corruptRow("audit_log", "actor_type", type);
  e.actor = Actor{*actorType, row.text(3), row.text(4)};
  e.action = row.text(5);
  e.teamId = row.text(6);
  e.projectId = row.text(7);
  e.targetType = row.text(8);
  e.targetId = row.text(9);
  e.detailsJson = row.text(10);
  return e;
}

Status insertAuditRow(Connection& c, const AuditEntry& e) {
  return change(c, sql::kInsertAuditEntry, [&](Statement& st) {
           st.bindText(1, e.id)
               .bindInt64(2, e.at)
               .bindText(3, toString(e.actor.type))
               .bindText(4, e.actor.id)
               .bindText(5, e.actor.label)
               .bindText(6, e.action)
               .bindText(7, e.teamId)
               .bindText(8, e.projectId)
               .bindText(9, e.targetType)
               .bindText(10, e.targetId)
               .bindText(11, e.detailsJson);
         })
      .status();
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

}  // namespace ls::sqlite
