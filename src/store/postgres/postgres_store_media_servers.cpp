// PostgresStore: media servers, their project assignments and the liveness of
// external nodes. A node's contact locks its row (FOR NO KEY UPDATE) before it
// reads the liveness, and the lease lapsing (markNodeOffline) is one
// conditional UPDATE of that row, so the two take turns: a contact that
// commits first keeps the node online, one that comes second brings it back.
// Each runs in one transaction with the livestreams it ends.
#include <map>
#include <string>
#include <utility>

#include "store/node_contact.hpp"
#include "store/postgres/connection.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/postgres/queries.hpp"
#include "store/postgres/rows.hpp"

namespace ls {

using postgres::Connection;
using postgres::idParam;
using postgres::missing;
using postgres::Params;
using postgres::PgResult;
using postgres::valueOr;

namespace {

Params mediaServerFields(const MediaServer& server) {
  Params p;
  p.text(server.id)
      .text(server.name)
      .text(toString(server.type))
      .text(server.rtmpBaseUrl)
      .text(server.hlsBaseUrl)
      .text(store::encodeCdns(server.cdns))
      .textOrNull(server.hookSecretHash)
      .text(server.hlsPathTemplate)
      .text(store::joinList(server.hookAllow))
      .text(server.remoteId)
      .text(server.apiUrl)
      .text(server.apiSecret);
  return p;
}

using Assignment = std::pair<std::string, std::string>;  // media server id, project id

Result<Assignment> readAssignment(const PgResult& r, int row) {
  return Assignment{r.text(row, 0), r.text(row, 1)};
}

Status writeAssignments(Connection& c, const MediaServer& server) {
  LS_RETURN_IF_ERROR(postgres::change(c, postgres::sql::kClearMediaServerProjects, idParam(server.id)).status());
  for (const std::string& projectId : server.projectIds) {
    Result<bool> known = postgres::exists(c, postgres::sql::kProjectExists, idParam(projectId));
    if (!known.ok()) return known.status();
    if (!*known) return notFound(missing("project", projectId));
    Params p;
    p.text(server.id).text(projectId);
    LS_RETURN_IF_ERROR(postgres::change(c, postgres::sql::kAddMediaServerProject, p).status());
  }
  return Status::ok();
}

Status readAssignments(Connection& c, MediaServer& server) {
  std::vector<Assignment> rows;
  LS_RETURN_IF_ERROR(
      postgres::selectAll(c, postgres::sql::kFindMediaServerProjects, idParam(server.id), readAssignment, rows));
  server.projectIds.clear();
  for (Assignment& row : rows) server.projectIds.push_back(std::move(row.second));
  return Status::ok();
}

// Ends the node's STARTED livestreams; the ids it ended (RETURNING).
Result<std::vector<std::string>> endStartedOf(Connection& c, std::string_view mediaServerId, UnixMillis at) {
  Params p;
  p.text(mediaServerId).int64(at);
  Result<PgResult> r = c.run(postgres::sql::kEndAllStartedLivestreams, p);
  if (!r.ok()) return r.status();
  std::vector<std::string> ids;
  for (int i = 0; i < r->rows(); ++i) ids.push_back(r->text(i, 0));
  return ids;
}

}  // namespace

Status postgres::insertMediaServerRow(Connection& c, const MediaServer& server) {
  Params p = mediaServerFields(server);
  p.int64(server.createdAt);
  LS_RETURN_IF_ERROR(postgres::change(c, postgres::sql::kInsertMediaServer, p).status());
  return writeAssignments(c, server);
}

Result<MediaServer> PostgresStore::insertMediaServer(const MediaServer& server) {
  const Status s = withTransaction("insert media server", Txn::kWrite, [&](Connection& c) -> Status {
    return postgres::insertMediaServerRow(c, server);
  });
  MediaServer stored = server;
  stored.liveness = {};
  return valueOr(s, std::move(stored));
}

Result<std::optional<MediaServer>> PostgresStore::findMediaServer(std::string_view id) {
  std::optional<MediaServer> server;
  const Status s = withTransaction("find media server", Txn::kSnapshot, [&](Connection& c) -> Status {
    LS_RETURN_IF_ERROR(
        postgres::selectOne(c, postgres::sql::kFindMediaServer, idParam(id), postgres::readMediaServer, server));
    return server ? readAssignments(c, *server) : Status::ok();
  });
  return valueOr(s, std::move(server));
}

Result<std::vector<MediaServer>> PostgresStore::listMediaServers() {
  std::vector<MediaServer> servers;
  const Status s = withTransaction("list media servers", Txn::kSnapshot, [&](Connection& c) -> Status {
    servers.clear();
    LS_RETURN_IF_ERROR(
        postgres::selectAll(c, postgres::sql::kListMediaServers, {}, postgres::readMediaServer, servers));
    std::vector<Assignment> rows;
    LS_RETURN_IF_ERROR(postgres::selectAll(c, postgres::sql::kListMediaServerProjects, {}, readAssignment, rows));
    std::map<std::string, std::vector<std::string>, std::less<>> byServer;
    for (Assignment& row : rows) byServer[row.first].push_back(std::move(row.second));
    for (MediaServer& server : servers) {
      if (auto it = byServer.find(server.id); it != byServer.end()) server.projectIds = std::move(it->second);
    }
    return Status::ok();
  });
  return valueOr(s, std::move(servers));
}

Status PostgresStore::updateMediaServer(const MediaServer& server) {
  return withTransaction("update media server", Txn::kWrite, [&](Connection& c) -> Status {
    // The UPDATE locks the row: two updates of one server replace the
    // assignments one after the other, never interleaved.
    Result<std::int64_t> changed = postgres::change(c, postgres::sql::kUpdateMediaServer, mediaServerFields(server));
    if (!changed.ok()) return changed.status();
    if (*changed == 0) return notFound(missing("media server", server.id));
    return writeAssignments(c, server);
  });
}

Status PostgresStore::deleteMediaServer(std::string_view id) {
  return withTransaction("delete media server", Txn::kWrite, [&](Connection& c) -> Status {
    // Locked first: a livestream being inserted on it either committed
    // before (and is seen as a use below) or waits and then finds it gone.
    Result<bool> found = postgres::exists(c, postgres::sql::kLockMediaServer, idParam(id));
    if (!found.ok()) return found.status();
    if (!*found) return notFound(missing("media server", id));
    Result<bool> inUse = postgres::exists(c, postgres::sql::kMediaServerInUse, idParam(id));
    if (!inUse.ok()) return inUse.status();
    if (*inUse) return {Code::kConflict, "media server " + std::string(id) + " is still used by livestreams"};
    return postgres::change(c, postgres::sql::kDeleteMediaServer, idParam(id)).status();
  });
}

Result<NodeContactOutcome> PostgresStore::recordNodeContact(std::string_view mediaServerId,
                                                            const NodeContact& contact) {
  NodeContactOutcome outcome;
  const Status s = withTransaction("record node contact", Txn::kWrite, [&](Connection& c) -> Status {
    outcome = {};
    std::optional<NodeLiveness> found;
    LS_RETURN_IF_ERROR(postgres::selectOne(c, postgres::sql::kReadNodeLiveness, idParam(mediaServerId),
                                           postgres::readLiveness, found));
    if (!found) return notFound(missing("media server", mediaServerId));
    const NodeContactPlan plan = planNodeContact(*found, contact);
    const NodeLiveness& l = plan.after;
    outcome.cameOnline = plan.cameOnline;
    outcome.restartDetected = plan.restartDetected;
    if (plan.restartDetected) {
      // Nothing survives a restart of the node: every publisher reconnects.
      Result<std::vector<std::string>> ended = endStartedOf(c, mediaServerId, contact.at);
      if (!ended.ok()) return ended.status();
      outcome.endedLivestreams = static_cast<std::int64_t>(ended->size());
      LS_RETURN_IF_ERROR(emitEndedEvents(c, *ended, contact.at));
    }
    Params p;
    p.text(mediaServerId)
        .optionalInt64(l.lastSeenAt)
        .optionalInt64(l.heartbeatAt)
        .int64(l.keepaliveIntervalMs)
        .optionalInt64(l.offlineSince)
        .int64(l.lastHookIndex);
    LS_RETURN_IF_ERROR(postgres::change(c, postgres::sql::kWriteNodeLiveness, p).status());
    if (!plan.cameOnline) return Status::ok();
    return emitMediaServerEvent(c, webhook_event::kMediaServerOnline, mediaServerId, contact.at);
  });
  return valueOr(s, outcome);
}

Result<std::optional<std::int64_t>> PostgresStore::markNodeOffline(std::string_view mediaServerId,
                                                                   UnixMillis silentSince, UnixMillis at) {
  std::optional<std::int64_t> ended;
  const Status s = withTransaction("mark node offline", Txn::kWrite, [&](Connection& c) -> Status {
    ended.reset();
    Params p;
    p.text(mediaServerId).int64(silentSince).int64(at);
    Result<std::int64_t> marked = postgres::change(c, postgres::sql::kMarkNodeOffline, p);
    if (!marked.ok()) return marked.status();
    if (*marked == 0) return Status::ok();
    Result<std::vector<std::string>> gone = endStartedOf(c, mediaServerId, at);
    if (!gone.ok()) return gone.status();
    ended = static_cast<std::int64_t>(gone->size());
    LS_RETURN_IF_ERROR(emitEndedEvents(c, *gone, at));
    return emitMediaServerEvent(c, webhook_event::kMediaServerOffline, mediaServerId, at);
  });
  return valueOr(s, ended);
}

Result<std::vector<Livestream>> PostgresStore::listStartedLivestreams(std::string_view mediaServerId) {
  std::vector<Livestream> started;
  const Status s = withConnection([&](Connection& c) {
    return postgres::selectAll(c, postgres::sql::kListStartedLivestreams, idParam(mediaServerId),
                               postgres::readLivestream, started);
  });
  return valueOr(s, std::move(started));
}

Result<std::vector<std::pair<std::string, std::int64_t>>> PostgresStore::countStartedLivestreams() {
  using Count = std::pair<std::string, std::int64_t>;
  std::vector<Count> counts;
  const Status s = withConnection([&](Connection& c) {
    return postgres::selectAll(
        c, postgres::sql::kCountStartedLivestreams, {},
        [](const PgResult& r, int row) -> Result<Count> {
          return Count{r.text(row, 0), r.int64(row, 1)};
        },
        counts);
  });
  return valueOr(s, std::move(counts));
}

}  // namespace ls
