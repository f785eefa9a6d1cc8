// SqliteStore: media servers, their project assignments and the liveness of
// external nodes. A node's contact and its lease lapsing each run in one
// BEGIN IMMEDIATE transaction together with the livestreams they end, so a
// publish that races them sees one order of events.
#include <map>
#include <string>
#include <utility>

#include "store/node_contact.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/queries.hpp"
#include "store/sqlite/rows.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace ls {

using sqlite::Connection;
using sqlite::missing;
using sqlite::Statement;
using sqlite::valueOr;

namespace {

void bindMediaServerFields(Statement& st, const MediaServer& server) {
  st.bindText(1, server.id)
      .bindText(2, server.name)
      .bindText(3, toString(server.type))
      .bindText(4, server.rtmpBaseUrl)
      .bindText(5, server.hlsBaseUrl)
      .bindText(6, sqlite::encodeCdns(server.cdns))
      .bindTextOrNull(7, server.hookSecretHash)
      .bindText(8, server.hlsPathTemplate)
      .bindText(9, sqlite::joinList(server.hookAllow))
      .bindText(10, server.remoteId)
      .bindText(11, server.apiUrl)
      .bindText(12, server.apiSecret);
}

using Assignment = std::pair<std::string, std::string>;  // media server id, project id

Result<Assignment> readAssignment(const Statement& row) { return Assignment{row.text(0), row.text(1)}; }

Status writeAssignments(Connection& c, const MediaServer& server) {
  LS_RETURN_IF_ERROR(
      sqlite::change(c, sqlite::sql::kClearMediaServerProjects, [&](Statement& st) { st.bindText(1, server.id); })
          .status());
  for (const std::string& projectId : server.projectIds) {
    Result<bool> known = sqlite::exists(c, sqlite::sql::kProjectExists, [&](Statement& st) { st.bindText(1, projectId); });
    if (!known.ok()) return known.status();
    if (!*known) return notFound(missing("project", projectId));
    LS_RETURN_IF_ERROR(sqlite::change(c, sqlite::sql::kAddMediaServerProject, [&](Statement& st) {
                         st.bindText(1, server.id).bindText(2, projectId);
                       }).status());
  }
  return Status::ok();
}

Status readAssignments(Connection& c, MediaServer& server) {
  std::vector<Assignment> rows;
  LS_RETURN_IF_ERROR(sqlite::selectAll(
      c, sqlite::sql::kFindMediaServerProjects, [&](Statement& st) { st.bindText(1, server.id); }, readAssignment,
      rows));
  server.projectIds.clear();
  for (Assignment& row : rows) server.projectIds.push_back(std::move(row.second));
  return Status::ok();
}

Result<NodeLiveness> readLiveness(const Statement& row) {
  NodeLiveness l;
  l.lastSeenAt = row.optionalInt64(0);
  l.heartbeatAt = row.optionalInt64(1);
  l.keepaliveIntervalMs = row.int64(2);
  l.offlineSince = row.optionalInt64(3);
  l.lastHookIndex = row.int64(4);
  return l;
}

Result<std::int64_t> endStartedOf(Connection& c, std::string_view mediaServerId, UnixMillis at) {
  return sqlite::change(c, sqlite::sql::kEndAllStartedLivestreams,
                        [&](Statement& st) { st.bindText(1, mediaServerId).bindInt64(2, at); });
}

}  // namespace

Status sqlite::insertMediaServerRow(Connection& c, const MediaServer& server) {
  LS_RETURN_IF_ERROR(sqlite::change(c, sqlite::sql::kInsertMediaServer, [&](Statement& st) {
                       bindMediaServerFields(st, server);
                       st.bindInt64(13, server.createdAt);
                     }).status());
  return writeAssignments(c, server);
}

Result<MediaServer> SqliteStore::insertMediaServer(const MediaServer& server) {
  const Status s = withWriteTransaction("insert media server", [&](Connection& c) -> Status {
    return sqlite::insertMediaServerRow(c, server);
  });
  MediaServer stored = server;
  stored.liveness = {};
  return valueOr(s, std::move(stored));
}

Result<std::optional<MediaServer>> SqliteStore::findMediaServer(std::string_view id) {
  std::optional<MediaServer> server;
  const Status s = withReadTransaction("find media server", [&](Connection& c) -> Status {
    LS_RETURN_IF_ERROR(sqlite::selectOne(
        c, sqlite::sql::kFindMediaServer, [&](Statement& st) { st.bindText(1, id); }, sqlite::readMediaServer, server));
    return server ? readAssignments(c, *server) : Status::ok();
  });
  return valueOr(s, std::move(server));
}

Result<std::vector<MediaServer>> SqliteStore::listMediaServers() {
  std::vector<MediaServer> servers;
  const Status s = withReadTransaction("list media servers", [&](Connection& c) -> Status {
    LS_RETURN_IF_ERROR(sqlite::selectAll(
        c, sqlite::sql::kListMediaServers, [](Statement&) {}, sqlite::readMediaServer, servers));
    std::vector<Assignment> rows;
    LS_RETURN_IF_ERROR(sqlite::selectAll(
        c, sqlite::sql::kListMediaServerProjects, [](Statement&) {}, readAssignment, rows));
    std::map<std::string, std::vector<std::string>, std::less<>> byServer;
    for (Assignment& row : rows) byServer[row.first].push_back(std::move(row.second));
    for (MediaServer& server : servers) {
      if (auto it = byServer.find(server.id); it != byServer.end()) server.projectIds = std::move(it->second);
    }
    return Status::ok();
  });
  return valueOr(s, std::move(servers));
}

Status SqliteStore::updateMediaServer(const MediaServer& server) {
  return withWriteTransaction("update media server", [&](Connection& c) -> Status {
    Result<std::int64_t> changed =
        sqlite::change(c, sqlite::sql::kUpdateMediaServer, [&](Statement& st) { bindMediaServerFields(st, server); });
    if (!changed.ok()) return changed.status();
    if (*changed == 0) return notFound(missing("media server", server.id));
    return writeAssignments(c, server);
  });
}

Status SqliteStore::deleteMediaServer(std::string_view id) {
  return withWriteTransaction("delete media server", [&](Connection& c) -> Status {
    // Checked explicitly for a clear message; the foreign key is the backstop.
    Result<bool> inUse = sqlite::exists(c, sqlite::sql::kMediaServerInUse, [&](Statement& st) { st.bindText(1, id); });
    if (!inUse.ok()) return inUse.status();
    if (*inUse) return {Code::kConflict, "media server " + std::string(id) + " is still used by livestreams"};
    Result<std::int64_t> deleted =
        sqlite::change(c, sqlite::sql::kDeleteMediaServer, [&](Statement& st) { st.bindText(1, id); });
    if (!deleted.ok()) return deleted.status();
    return *deleted == 0 ? notFound(missing("media server", id)) : Status::ok();
  });
}

Result<NodeContactOutcome> SqliteStore::recordNodeContact(std::string_view mediaServerId, const NodeContact& contact) {
  NodeContactOutcome outcome;
  const Status s = withWriteTransaction("record node contact", [&](Connection& c) -> Status {
    outcome = {};
    std::optional<NodeLiveness> found;
    LS_RETURN_IF_ERROR(sqlite::selectOne(
        c, sqlite::sql::kReadNodeLiveness, [&](Statement& st) { st.bindText(1, mediaServerId); }, readLiveness,
        found));
    if (!found) return notFound(missing("media server", mediaServerId));
    const NodeContactPlan plan = planNodeContact(*found, contact);
    const NodeLiveness& l = plan.after;
    outcome.cameOnline = plan.cameOnline;
    outcome.restartDetected = plan.restartDetected;
    if (plan.restartDetected) {
      // Nothing survives a restart of the node: every publisher reconnects.
      Result<std::vector<std::string>> ending = startedIdsForEvents(c, mediaServerId);
      if (!ending.ok()) return ending.status();
      Result<std::int64_t> ended = endStartedOf(c, mediaServerId, contact.at);
      if (!ended.ok()) return ended.status();
      outcome.endedLivestreams = *ended;
      LS_RETURN_IF_ERROR(emitEndedEvents(c, *ending, contact.at));
    }
    LS_RETURN_IF_ERROR(sqlite::change(c, sqlite::sql::kWriteNodeLiveness, [&](Statement& st) {
             st.bindText(1, mediaServerId)
                 .bindOptionalInt64(2, l.lastSeenAt)
                 .bindOptionalInt64(3, l.heartbeatAt)
                 .bindInt64(4, l.keepaliveIntervalMs)
                 .bindOptionalInt64(5, l.offlineSince)
                 .bindInt64(6, l.lastHookIndex);
           })
        .status());
    if (!plan.cameOnline) return Status::ok();
    return emitMediaServerEvent(c, webhook_event::kMediaServerOnline, mediaServerId, contact.at);
  });
  return valueOr(s, outcome);
}

Result<std::optional<std::int64_t>> SqliteStore::markNodeOffline(std::string_view mediaServerId,
                                                                 UnixMillis silentSince, UnixMillis at) {
  std::optional<std::int64_t> ended;
  const Status s = withWriteTransaction("mark node offline", [&](Connection& c) -> Status {
    ended.reset();
    Result<std::int64_t> marked = sqlite::change(c, sqlite::sql::kMarkNodeOffline, [&](Statement& st) {
      st.bindText(1, mediaServerId).bindInt64(2, silentSince).bindInt64(3, at);
    });
    if (!marked.ok()) return marked.status();
    if (*marked == 0) return Status::ok();
    Result<std::vector<std::string>> ending = startedIdsForEvents(c, mediaServerId);
    if (!ending.ok()) return ending.status();
    Result<std::int64_t> count = endStartedOf(c, mediaServerId, at);
    if (!count.ok()) return count.status();
    ended = *count;
    LS_RETURN_IF_ERROR(emitEndedEvents(c, *ending, at));
    return emitMediaServerEvent(c, webhook_event::kMediaServerOffline, mediaServerId, at);
  });
  return valueOr(s, ended);
}

Result<std::vector<Livestream>> SqliteStore::listStartedLivestreams(std::string_view mediaServerId) {
  std::vector<Livestream> started;
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectAll(
        c, sqlite::sql::kListStartedLivestreams, [&](Statement& st) { st.bindText(1, mediaServerId); },
        sqlite::readLivestream, started);
  });
  return valueOr(s, std::move(started));
}

Result<std::vector<std::pair<std::string, std::int64_t>>> SqliteStore::countStartedLivestreams() {
  using Count = std::pair<std::string, std::int64_t>;
  std::vector<Count> counts;
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectAll(
        c, sqlite::sql::kCountStartedLivestreams, [](Statement&) {},
        [](const Statement& row) -> Result<Count> { return Count{row.text(0), row.int64(1)}; }, counts);
  });
  return valueOr(s, std::move(counts));
}

}  // namespace ls
