#include "store/postgres/rows.hpp"

#include <string>

#include "store/postgres/queries.hpp"

namespace ls::postgres {

Params idParam(std::string_view id) {
  Params p;
  p.text(id);
  return p;
}

using store::corruptRow;

Result<Team> readTeam(const PgResult& r, int row) {
  return Team{.id = r.text(row, 0), .name = r.text(row, 1), .createdAt = r.int64(row, 2)};
}

Result<Project> readProject(const PgResult& r, int row) {
  return Project{.id = r.text(row, 0),
                 .teamId = r.text(row, 1),
                 .name = r.text(row, 2),
                 .apiKeyHash = r.text(row, 3),  // NULL (no key) reads as ""
                 .abrEnabled = r.boolean(row, 4),
                 .createdAt = r.int64(row, 5),
                 .rateLimit = store::decodeRateLimit(r.optionalInt64(row, 6), r.optionalInt64(row, 7))};
}

Status insertProjectRow(Connection& c, const Project& pr) {
  Params p;
  p.text(pr.id)
      .text(pr.teamId)
      .text(pr.name)
      .textOrNull(pr.apiKeyHash)
      .boolean(pr.abrEnabled)
      .int64(pr.createdAt)
      .optionalInt64(pr.rateLimit ? std::optional(pr.rateLimit->perMinute) : std::nullopt)
      .optionalInt64(pr.rateLimit ? std::optional(pr.rateLimit->perHour) : std::nullopt);
  return change(c, sql::kInsertProject, p).status();
}

Result<AuditEntry> readAuditEntry(const PgResult& r, int row) {
  AuditEntry e;
  e.id = r.text(row, 0);
  e.at = r.int64(row, 1);
  const std::string type = r.text(row, 2);
  const std::optional<ActorType> actorType = parseActorType(type);
  if (!actorType) return corruptRow("audit_log", "actor_type", type);
  e.actor = Actor{*actorType, r.text(row, 3), r.text(row, 4)};
  e.action = r.text(row, 5);
  e.teamId = r.text(row, 6);
  e.projectId = r.text(row, 7);
  e.targetType = r.text(row, 8);
  e.targetId = r.text(row, 9);
  e.detailsJson = r.text(row, 10);
  return e;
}

Status insertAuditRow(Connection& c, const AuditEntry& e) {
  Params p;
  p.text(e.id)
      .int64(e.at)
      .text(toString(e.actor.type))
      .text(e.actor.id)
      .text(e.actor.label)
      .text(e.action)
      .text(e.teamId)
      .text(e.projectId)
      .text(e.targetType)
      .text(e.targetId)
      .text(e.detailsJson);
  return change(c, sql::kInsertAuditEntry, p).status();
}

Result<MediaServer> readMediaServer(const PgResult& r, int row) {
  MediaServer s;
  s.id = r.text(row, 0);
  s.name = r.text(row, 1);
  const std::string type = r.text(row, 2);
  const std::optional<MediaServerType> parsedType = parseMediaServerType(type);
  if (!parsedType) return corruptRow("media_servers", "type", type);
  s.type = *parsedType;
  s.rtmpBaseUrl = r.text(row, 3);
  s.hlsBaseUrl = r.text(row, 4);
  Result<std::vector<CdnEndpoint>> cdns = store::decodeCdns(r.text(row, 5));
  if (!cdns.ok()) return cdns.status();
  s.cdns = std::move(cdns).value();
  s.hookSecretHash = r.text(row, 6);
  s.createdAt = r.int64(row, 7);
  s.hlsPathTemplate = r.text(row, 8);
  s.hookAllow = store::splitList(r.text(row, 9));
  s.remoteId = r.text(row, 10);
  s.apiUrl = r.text(row, 11);
  s.apiSecret = r.text(row, 12);
  s.liveness.lastSeenAt = r.optionalInt64(row, 13);
  s.liveness.heartbeatAt = r.optionalInt64(row, 14);
  s.liveness.keepaliveIntervalMs = r.int64(row, 15);
  s.liveness.offlineSince = r.optionalInt64(row, 16);
  s.liveness.lastHookIndex = r.int64(row, 17);
  return s;
}

Result<NodeLiveness> readLiveness(const PgResult& r, int row) {
  NodeLiveness l;
  l.lastSeenAt = r.optionalInt64(row, 0);
  l.heartbeatAt = r.optionalInt64(row, 1);
  l.keepaliveIntervalMs = r.int64(row, 2);
  l.offlineSince = r.optionalInt64(row, 3);
  l.lastHookIndex = r.int64(row, 4);
  return l;
}

Result<Livestream> readLivestream(const PgResult& r, int row) {
  Livestream l;
  l.id = r.text(row, 0);
  l.projectId = r.text(row, 1);
  l.mediaServerId = r.text(row, 2);
  l.name = r.text(row, 3);
  l.streamKey = r.text(row, 4);
  const std::string phase = r.text(row, 5);
  const std::optional<LivestreamStatus> parsedPhase = parseLivestreamStatus(phase);
  if (!parsedPhase || *parsedPhase == LivestreamStatus::kTokenExpired) {
    return corruptRow("livestreams", "phase", phase);
  }
  l.phase = *parsedPhase;
  l.currentTokenId = r.text(row, 6);
  l.tokenExpiresAt = r.int64(row, 7);
  l.createdAt = r.int64(row, 8);
  l.startedAt = r.optionalInt64(row, 9);
  l.endedAt = r.optionalInt64(row, 10);
  l.publishProtocol = r.text(row, 11);
  l.publishSequence = r.optionalInt64(row, 12);
  return l;
}

Result<bool> exists(Connection& conn, const NamedSql& q, const Params& params) {
  Result<PgResult> r = conn.run(q, params);
  if (!r.ok()) return r.status();
  return r->rows() > 0;
}

Result<std::int64_t> change(Connection& conn, const NamedSql& q, const Params& params) {
  Result<PgResult> r = conn.run(q, params);
  if (!r.ok()) return r.status();
  return r->affected();
}

}  // namespace ls::postgres
