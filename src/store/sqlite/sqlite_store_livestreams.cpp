// SqliteStore: livestreams. Every lifecycle change runs in one BEGIN IMMEDIATE
// transaction, so a publish start racing a token refresh or a second
// publisher (here or in another process) sees one order of events.
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "core/lifecycle.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/queries.hpp"
#include "store/sqlite/rows.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace ls {

using sqlite::Connection;
using sqlite::Statement;
using sqlite::valueOr;

Status sqlite::insertLivestreamRow(Connection& c, const Livestream& l) {
  return sqlite::change(c, sqlite::sql::kInsertLivestream,
                        [&](Statement& st) {
                          st.bindText(1, l.id)
                              .bindText(2, l.projectId)
                              .bindText(3, l.mediaServerId)
                              .bindText(4, l.name)
                              .bindText(5, l.streamKey)
                              .bindText(6, toString(l.phase))
                              .bindText(7, l.currentTokenId)
                              .bindInt64(8, l.tokenExpiresAt)
                              .bindInt64(9, l.createdAt)
                              .bindOptionalInt64(10, l.startedAt)
                              .bindOptionalInt64(11, l.endedAt)
                              .bindText(12, l.publishProtocol)
                              .bindOptionalInt64(13, l.publishSequence);
                        })
      .status();
}

namespace {

std::string missingLivestream(std::string_view id) {
  return "livestream " + std::string(id) + " not found";
}

// Values for ?3..?6 of the list filter (queries.hpp), from the same rule the
// API uses to report a status (core/lifecycle.hpp).
void bindStatusFilter(Statement& st, const std::optional<LivestreamStatus>& requested, UnixMillis now) {
  if (!requested) {
    st.bindNull(3).bindNull(4).bindInt64(5, 0);
  } else {
    const StatusFilter f = statusFilterFor(*requested);
    st.bindText(3, toString(f.phase));
    if (f.phaseReadyOrEnded) {
      st.bindText(4, toString(LivestreamStatus::kEnded));
    } else {
      st.bindNull(4);
    }
    switch (f.expiry) {
      case StatusFilter::Expiry::kAny: st.bindInt64(5, 0); break;
      case StatusFilter::Expiry::kNotExpired: st.bindInt64(5, 1); break;
      case StatusFilter::Expiry::kExpired: st.bindInt64(5, 2); break;
    }
  }
  st.bindInt64(6, now);
}

struct StartState {
  std::string phase;
  std::string currentTokenId;
};

Result<StartState> readStartState(const Statement& row) {
  return StartState{row.text(0), row.text(1)};
}

}  // namespace

Result<Livestream> SqliteStore::insertLivestream(const Livestream& l) {
  if (l.phase == LivestreamStatus::kTokenExpired) {
    return invalidArgument("TOKEN_EXPIRED is derived from the token expiry and cannot be stored as a phase");
  }
  const Status s = withWriteTransaction("insert livestream", [&](Connection& c) -> Status {
    Result<bool> project =
        sqlite::exists(c, sqlite::sql::kProjectExists, [&](Statement& st) { st.bindText(1, l.projectId); });
    if (!project.ok()) return project.status();
    if (!*project) return notFound("project " + l.projectId + " not found");
    Result<bool> server =
        sqlite::exists(c, sqlite::sql::kMediaServerExists, [&](Statement& st) { st.bindText(1, l.mediaServerId); });
    if (!server.ok()) return server.status();
    if (!*server) return notFound("media server " + l.mediaServerId + " not found");
    LS_RETURN_IF_ERROR(sqlite::insertLivestreamRow(c, l));
    return emitLivestreamEvent(c, webhook_event::kLivestreamCreated, std::string_view(l.id), l.createdAt);
  });
  return valueOr(s, l);
}

Result<std::optional<Livestream>> SqliteStore::findLivestream(std::string_view id) {
  std::optional<Livestream> livestream;
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectOne(
        c, sqlite::sql::kFindLivestream, [&](Statement& st) { st.bindText(1, id); }, sqlite::readLivestream,
        livestream);
  });
  return valueOr(s, std::move(livestream));
}

Result<std::optional<Livestream>> SqliteStore::findLivestreamByStreamKey(std::string_view streamKey) {
  std::optional<Livestream> livestream;
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectOne(
        c, sqlite::sql::kFindLivestreamByStreamKey, [&](Statement& st) { st.bindText(1, streamKey); },
        sqlite::readLivestream, livestream);
  });
  return valueOr(s, std::move(livestream));
}

Result<Page<Livestream>> SqliteStore::listLivestreams(const LivestreamQuery& query) {
  if (query.projectId.empty() == query.projectIds.empty()) {
    return invalidArgument("give projectId or projectIds");
  }
  if (query.page < 1) return invalidArgument("page must be at least 1");
  if (query.limit < 1) return invalidArgument("limit must be at least 1");
  // A page far past the end is simply empty; the offset must not overflow on the way.
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  const std::int64_t offset = query.page - 1 > kMax / query.limit ? kMax : (query.page - 1) * query.limit;
  const std::string pattern = query.search.empty() ? std::string() : sqlite::likeContainsPattern(query.search);

  // Several projects: a JSON array of their ids (UUIDs: nothing to escape).
  std::string projects = query.projectId;
  if (!query.projectIds.empty()) {
    projects = "[";
    for (const std::string& id : query.projectIds) {
      if (projects.size() > 1) projects += ',';
      projects += '"' + id + '"';
    }
    projects += ']';
  }
  const bool several = !query.projectIds.empty();
  auto bindFilter = [&](Statement& st) {
    st.bindText(1, projects);
    if (query.search.empty()) {
      st.bindNull(2);
    } else {
      st.bindText(2, pattern);
    }
    bindStatusFilter(st, query.status, query.now);
  };

  Page<Livestream> page;
  // One snapshot for the total and the rows, so they agree under concurrent inserts.
  const Status s = withReadTransaction("list livestreams", [&](Connection& c) -> Status {
    std::optional<std::int64_t> total;
    LS_RETURN_IF_ERROR(sqlite::selectOne(
        c, several ? sqlite::sql::kCountLivestreamsOfProjects : sqlite::sql::kCountLivestreams, bindFilter,
        [](const Statement& row) -> Result<std::int64_t> { return row.int64(0); }, total));
    page.total = total.value_or(0);
    return sqlite::selectAll(
        c, several ? sqlite::sql::kListLivestreamsOfProjects : sqlite::sql::kListLivestreams,
        [&](Statement& st) {
          bindFilter(st);
          st.bindInt64(7, query.limit).bindInt64(8, offset);
        },
        sqlite::readLivestream, page.items);
  });
  return valueOr(s, std::move(page));
}

Status SqliteStore::renameLivestream(std::string_view id, std::string_view name) {
  return withWriteTransaction("rename livestream", [&](Connection& c) -> Status {
    Result<std::int64_t> changed =
        sqlite::change(c, sqlite::sql::kRenameLivestream, [&](Statement& st) { st.bindText(1, id).bindText(2, name); });
    if (!changed.ok()) return changed.status();
    return *changed == 0 ? notFound(missingLivestream(id)) : Status::ok();
  });
}

Status SqliteStore::replaceLivestreamToken(std::string_view id, std::string_view tokenId, UnixMillis expiresAt) {
  return withWriteTransaction("replace push token", [&](Connection& c) -> Status {
    Result<std::int64_t> changed = sqlite::change(c, sqlite::sql::kReplaceLivestreamToken, [&](Statement& st) {
      st.bindText(1, id).bindText(2, tokenId).bindInt64(3, expiresAt);
    });
    if (!changed.ok()) return changed.status();
    if (*changed == 0) return notFound(missingLivestream(id));
    return emitLivestreamEvent(c, webhook_event::kLivestreamPushTokenRegenerated, id, SystemClock().now());
  });
}

Status SqliteStore::moveLivestreamWithToken(std::string_view id, std::string_view mediaServerId,
                                            std::string_view tokenId, UnixMillis expiresAt) {
  return withWriteTransaction("move livestream", [&](Connection& c) -> Status {
    Result<std::int64_t> changed = sqlite::change(c, sqlite::sql::kMoveLivestreamWithToken, [&](Statement& st) {
      st.bindText(1, id).bindText(2, mediaServerId).bindText(3, tokenId).bindInt64(4, expiresAt);
    });
    if (!changed.ok()) return changed.status();
    if (*changed == 1) {
      return emitLivestreamEvent(c, webhook_event::kLivestreamPushTokenRegenerated, id, SystemClock().now());
    }
    std::optional<StartState> state;
    LS_RETURN_IF_ERROR(sqlite::selectOne(
        c, sqlite::sql::kLivestreamStartState, [&](Statement& st) { st.bindText(1, id); }, readStartState, state));
    if (!state) return notFound(missingLivestream(id));
    return {Code::kConflict, "livestream " + std::string(id) + " is live"};
  });
}

Status SqliteStore::startLivestream(std::string_view id, std::string_view tokenId, UnixMillis at,
                                    const PublishOrigin& origin) {
  return withWriteTransaction("start livestream", [&](Connection& c) -> Status {
    // The usual case is one conditional UPDATE; only a refusal reads the row
    // to say why, under the same write lock so the answer matches.
    Result<std::int64_t> changed = sqlite::change(c, sqlite::sql::kStartLivestream, [&](Statement& st) {
      st.bindText(1, id).bindText(2, tokenId).bindInt64(3, at).bindText(4, origin.protocol).bindOptionalInt64(
          5, origin.sequence);
    });
    if (!changed.ok()) return changed.status();
    if (*changed == 1) return emitLivestreamEvent(c, webhook_event::kLivestreamStarted, id, at);

    std::optional<StartState> state;
    LS_RETURN_IF_ERROR(sqlite::selectOne(
        c, sqlite::sql::kLivestreamStartState, [&](Statement& st) { st.bindText(1, id); }, readStartState, state));
    if (!state) return notFound(missingLivestream(id));
    if (state->currentTokenId != tokenId) {
      return {Code::kPermissionDenied, "push token is no longer current for livestream " + std::string(id)};
    }
    if (state->phase == toString(LivestreamStatus::kStarted)) {
      return {Code::kConflict, "livestream " + std::string(id) + " is already live"};
    }
    return internalError("start livestream " + std::string(id) + ": row changed by nothing");
  });
}

Status SqliteStore::endLivestream(std::string_view id, UnixMillis at) {
  return withWriteTransaction("end livestream", [&](Connection& c) -> Status {
    Result<std::int64_t> changed =
        sqlite::change(c, sqlite::sql::kEndLivestream, [&](Statement& st) { st.bindText(1, id).bindInt64(2, at); });
    if (!changed.ok()) return changed.status();
    if (*changed == 1) return emitLivestreamEvent(c, webhook_event::kLivestreamEnded, id, at);
    // Not live: fine (a late or repeated "publish ended"), unless the row is gone.
    Result<bool> found = sqlite::exists(c, sqlite::sql::kLivestreamExists, [&](Statement& st) { st.bindText(1, id); });
    if (!found.ok()) return found.status();
    return *found ? Status::ok() : notFound(missingLivestream(id));
  });
}

Status SqliteStore::resumeLivestream(std::string_view id, UnixMillis at) {
  return withWriteTransaction("resume livestream", [&](Connection& c) -> Status {
    Result<std::int64_t> changed =
        sqlite::change(c, sqlite::sql::kResumeLivestream, [&](Statement& st) { st.bindText(1, id).bindInt64(2, at); });
    if (!changed.ok()) return changed.status();
    if (*changed == 1) return emitLivestreamEvent(c, webhook_event::kLivestreamStarted, id, at);
    Result<bool> found = sqlite::exists(c, sqlite::sql::kLivestreamExists, [&](Statement& st) { st.bindText(1, id); });
    if (!found.ok()) return found.status();
    return *found ? Status::ok() : notFound(missingLivestream(id));
  });
}

Result<std::int64_t> SqliteStore::endAllStartedLivestreams(std::string_view mediaServerId, UnixMillis at) {
  std::int64_t ended = 0;
  const Status s = withWriteTransaction("end started livestreams", [&](Connection& c) -> Status {
    Result<std::vector<std::string>> ending = startedIdsForEvents(c, mediaServerId);
    if (!ending.ok()) return ending.status();
    Result<std::int64_t> changed = sqlite::change(c, sqlite::sql::kEndAllStartedLivestreams, [&](Statement& st) {
      st.bindText(1, mediaServerId).bindInt64(2, at);
    });
    if (!changed.ok()) return changed.status();
    ended = *changed;
    return emitEndedEvents(c, *ending, at);
  });
  return valueOr(s, ended);
}

Status SqliteStore::deleteLivestream(std::string_view id) {
  return withWriteTransaction("delete livestream", [&](Connection& c) -> Status {
    if (emittingWebhooks()) {
      // Rendered from the row as it is just before it goes.
      std::optional<Livestream> before;
      LS_RETURN_IF_ERROR(sqlite::selectOne(
          c, sqlite::sql::kFindLivestream, [&](Statement& st) { st.bindText(1, id); }, sqlite::readLivestream, before));
      if (before) {
        LS_RETURN_IF_ERROR(emitLivestreamEvent(c, webhook_event::kLivestreamDeleted, *before, SystemClock().now()));
      }
    }
    Result<std::int64_t> deleted =
        sqlite::change(c, sqlite::sql::kDeleteLivestream, [&](Statement& st) { st.bindText(1, id); });
    if (!deleted.ok()) return deleted.status();
    return *deleted == 0 ? notFound(missingLivestream(id)) : Status::ok();
  });
}

}  // namespace ls
