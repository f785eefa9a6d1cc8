// PostgresStore: livestreams. A start locks the livestream's row before it
// decides (SELECT ... FOR UPDATE), and token replacement, end, resume and
// delete take the same row lock through their UPDATE or DELETE, so a publish
// start racing a token refresh, a delete or a second publisher (in this
// process or another) sees one order of events and exactly one start wins.
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "core/lifecycle.hpp"
#include "store/postgres/connection.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/postgres/queries.hpp"
#include "store/postgres/rows.hpp"

namespace ls {

using postgres::Connection;
using postgres::idParam;
using postgres::Params;
using postgres::PgResult;
using postgres::valueOr;

Status postgres::insertLivestreamRow(Connection& c, const Livestream& l) {
  Params p;
  p.text(l.id)
      .text(l.projectId)
      .text(l.mediaServerId)
      .text(l.name)
      .text(l.streamKey)
      .text(toString(l.phase))
      .text(l.currentTokenId)
      .int64(l.tokenExpiresAt)
      .int64(l.createdAt)
      .optionalInt64(l.startedAt)
      .optionalInt64(l.endedAt)
      .text(l.publishProtocol)
      .optionalInt64(l.publishSequence);
  return postgres::change(c, postgres::sql::kInsertLivestream, p).status();
}

namespace {

std::string missingLivestream(std::string_view id) {
  return "livestream " + std::string(id) + " not found";
}

// $1..$6 of the list filter (queries.hpp), from the same rule the API uses to
// report a status (core/lifecycle.hpp).
Params listFilter(const LivestreamQuery& query, const std::string& pattern) {
  Params p;
  if (query.projectIds.empty()) {
    p.text(query.projectId);
  } else {
    std::string ids;  // UUIDs joined by commas (string_to_array in the query)
    for (const std::string& id : query.projectIds) {
      if (!ids.empty()) ids += ',';
      ids += id;
    }
    p.text(ids);
  }
  if (query.search.empty()) {
    p.null();
  } else {
    p.text(pattern);
  }
  if (!query.status) {
    p.null().null().int64(0);
  } else {
    const StatusFilter f = statusFilterFor(*query.status);
    p.text(toString(f.phase));
    if (f.phaseReadyOrEnded) {
      p.text(toString(LivestreamStatus::kEnded));
    } else {
      p.null();
    }
    switch (f.expiry) {
      case StatusFilter::Expiry::kAny: p.int64(0); break;
      case StatusFilter::Expiry::kNotExpired: p.int64(1); break;
      case StatusFilter::Expiry::kExpired: p.int64(2); break;
    }
  }
  p.int64(query.now);
  return p;
}

// A conditional UPDATE that changed nothing is fine (already in the asked
// phase) unless the row is gone.
Status okUnlessGone(Connection& c, std::string_view id) {
  Result<bool> found = postgres::exists(c, postgres::sql::kLivestreamExists, idParam(id));
  if (!found.ok()) return found.status();
  return *found ? Status::ok() : notFound(missingLivestream(id));
}

}  // namespace

Result<Livestream> PostgresStore::insertLivestream(const Livestream& l) {
  if (l.phase == LivestreamStatus::kTokenExpired) {
    return invalidArgument("TOKEN_EXPIRED is derived from the token expiry and cannot be stored as a phase");
  }
  const Status s = withTransaction("insert livestream", Txn::kWrite, [&](Connection& c) -> Status {
    Result<bool> project = postgres::exists(c, postgres::sql::kProjectExists, idParam(l.projectId));
    if (!project.ok()) return project.status();
    if (!*project) return notFound("project " + l.projectId + " not found");
    Result<bool> server = postgres::exists(c, postgres::sql::kMediaServerExists, idParam(l.mediaServerId));
    if (!server.ok()) return server.status();
    if (!*server) return notFound("media server " + l.mediaServerId + " not found");
    LS_RETURN_IF_ERROR(postgres::insertLivestreamRow(c, l));
    return emitLivestreamEvent(c, webhook_event::kLivestreamCreated, std::string_view(l.id), l.createdAt);
  });
  return valueOr(s, l);
}

Result<std::optional<Livestream>> PostgresStore::findLivestream(std::string_view id) {
  std::optional<Livestream> livestream;
  const Status s = withConnection([&](Connection& c) {
    return postgres::selectOne(c, postgres::sql::kFindLivestream, idParam(id), postgres::readLivestream, livestream);
  });
  return valueOr(s, std::move(livestream));
}

Result<std::optional<Livestream>> PostgresStore::findLivestreamByStreamKey(std::string_view streamKey) {
  std::optional<Livestream> livestream;
  const Status s = withConnection([&](Connection& c) {
    return postgres::selectOne(c, postgres::sql::kFindLivestreamByStreamKey, idParam(streamKey),
                               postgres::readLivestream, livestream);
  });
  return valueOr(s, std::move(livestream));
}

Result<Page<Livestream>> PostgresStore::listLivestreams(const LivestreamQuery& query) {
  if (query.projectId.empty() == query.projectIds.empty()) {
    return invalidArgument("give projectId or projectIds");
  }
  if (query.page < 1) return invalidArgument("page must be at least 1");
  if (query.limit < 1) return invalidArgument("limit must be at least 1");
  // A page far past the end is simply empty; the offset must not overflow on the way.
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  const std::int64_t offset = query.page - 1 > kMax / query.limit ? kMax : (query.page - 1) * query.limit;
  const std::string pattern = query.search.empty() ? std::string() : store::likeContainsPattern(query.search);

  Page<Livestream> page;
  // One snapshot for the total and the rows, so they agree under concurrent inserts.
  const Status s = withTransaction("list livestreams", Txn::kSnapshot, [&](Connection& c) -> Status {
    page = {};
    const bool several = !query.projectIds.empty();
    Result<PgResult> total = c.run(several ? postgres::sql::kCountLivestreamsOfProjects : postgres::sql::kCountLivestreams,
                                   listFilter(query, pattern));
    if (!total.ok()) return total.status();
    page.total = total->int64(0, 0);
    Params p = listFilter(query, pattern);
    p.int64(query.limit).int64(offset);
    return postgres::selectAll(c, several ? postgres::sql::kListLivestreamsOfProjects : postgres::sql::kListLivestreams,
                               p, postgres::readLivestream, page.items);
  });
  return valueOr(s, std::move(page));
}

Status PostgresStore::renameLivestream(std::string_view id, std::string_view name) {
  return withTransaction("rename livestream", Txn::kWrite, [&](Connection& c) -> Status {
    Params p;
    p.text(id).text(name);
    Result<std::int64_t> changed = postgres::change(c, postgres::sql::kRenameLivestream, p);
    if (!changed.ok()) return changed.status();
    return *changed == 0 ? notFound(missingLivestream(id)) : Status::ok();
  });
}

Status PostgresStore::replaceLivestreamToken(std::string_view id, std::string_view tokenId, UnixMillis expiresAt) {
  return withTransaction("replace push token", Txn::kWrite, [&](Connection& c) -> Status {
    Params p;
    p.text(id).text(tokenId).int64(expiresAt);
    Result<std::int64_t> changed = postgres::change(c, postgres::sql::kReplaceLivestreamToken, p);
    if (!changed.ok()) return changed.status();
    if (*changed == 0) return notFound(missingLivestream(id));
    return emitLivestreamEvent(c, webhook_event::kLivestreamPushTokenRegenerated, id, SystemClock().now());
  });
}

Status PostgresStore::moveLivestreamWithToken(std::string_view id, std::string_view mediaServerId,
                                              std::string_view tokenId, UnixMillis expiresAt) {
  return withTransaction("move livestream", Txn::kWrite, [&](Connection& c) -> Status {
    Params p;
    p.text(id).text(mediaServerId).text(tokenId).int64(expiresAt);
    Result<std::int64_t> changed = postgres::change(c, postgres::sql::kMoveLivestreamWithToken, p);
    if (!changed.ok()) return changed.status();
    if (*changed == 1) {
      return emitLivestreamEvent(c, webhook_event::kLivestreamPushTokenRegenerated, id, SystemClock().now());
    }
    Result<PgResult> state = c.run(postgres::sql::kLockLivestreamStartState, idParam(id));
    if (!state.ok()) return state.status();
    if (state->rows() == 0) return notFound(missingLivestream(id));
    return {Code::kConflict, "livestream " + std::string(id) + " is live"};
  });
}

Status PostgresStore::startLivestream(std::string_view id, std::string_view tokenId, UnixMillis at,
                                      const PublishOrigin& origin) {
  return withTransaction("start livestream", Txn::kWrite, [&](Connection& c) -> Status {
    // Locked until commit: a concurrent start, token replacement or delete
    // of this livestream waits here and then sees this outcome.
    Result<PgResult> state = c.run(postgres::sql::kLockLivestreamStartState, idParam(id));
    if (!state.ok()) return state.status();
    if (state->rows() == 0) return notFound(missingLivestream(id));
    if (state->text(0, 1) != tokenId) {
      return {Code::kPermissionDenied, "push token is no longer current for livestream " + std::string(id)};
    }
    if (state->text(0, 0) == toString(LivestreamStatus::kStarted)) {
      return {Code::kConflict, "livestream " + std::string(id) + " is already live"};
    }
    Params p;
    p.text(id).int64(at).text(origin.protocol).optionalInt64(origin.sequence);
    LS_RETURN_IF_ERROR(postgres::change(c, postgres::sql::kStartLivestream, p).status());
    return emitLivestreamEvent(c, webhook_event::kLivestreamStarted, id, at);
  });
}

Status PostgresStore::endLivestream(std::string_view id, UnixMillis at) {
  return withTransaction("end livestream", Txn::kWrite, [&](Connection& c) -> Status {
    Params p;
    p.text(id).int64(at);
    Result<std::int64_t> changed = postgres::change(c, postgres::sql::kEndLivestream, p);
    if (!changed.ok()) return changed.status();
    if (*changed == 1) return emitLivestreamEvent(c, webhook_event::kLivestreamEnded, id, at);
    // Not live: fine (a late or repeated "publish ended"), unless the row is gone.
    return okUnlessGone(c, id);
  });
}

Status PostgresStore::resumeLivestream(std::string_view id, UnixMillis at) {
  return withTransaction("resume livestream", Txn::kWrite, [&](Connection& c) -> Status {
    Params p;
    p.text(id).int64(at);
    Result<std::int64_t> changed = postgres::change(c, postgres::sql::kResumeLivestream, p);
    if (!changed.ok()) return changed.status();
    if (*changed == 1) return emitLivestreamEvent(c, webhook_event::kLivestreamStarted, id, at);
    return okUnlessGone(c, id);
  });
}

Result<std::int64_t> PostgresStore::endAllStartedLivestreams(std::string_view mediaServerId, UnixMillis at) {
  std::int64_t ended = 0;
  const Status s = withTransaction("end started livestreams", Txn::kWrite, [&](Connection& c) -> Status {
    Params p;
    p.text(mediaServerId).int64(at);
    // RETURNING: exactly the rows this UPDATE ended, for their events.
    Result<PgResult> changed = c.run(postgres::sql::kEndAllStartedLivestreams, p);
    if (!changed.ok()) return changed.status();
    ended = changed->rows();
    std::vector<std::string> ids;
    for (int i = 0; i < changed->rows(); ++i) ids.push_back(changed->text(i, 0));
    return emitEndedEvents(c, ids, at);
  });
  return valueOr(s, ended);
}

Status PostgresStore::deleteLivestream(std::string_view id) {
  return withTransaction("delete livestream", Txn::kWrite, [&](Connection& c) -> Status {
    if (emittingWebhooks()) {
      // Locked and rendered as it is just before it goes.
      std::optional<Livestream> before;
      LS_RETURN_IF_ERROR(
          postgres::selectOne(c, postgres::sql::kLockLivestream, idParam(id), postgres::readLivestream, before));
      if (before) {
        LS_RETURN_IF_ERROR(emitLivestreamEvent(c, webhook_event::kLivestreamDeleted, *before, SystemClock().now()));
      }
    }
    Result<std::int64_t> deleted = postgres::change(c, postgres::sql::kDeleteLivestream, idParam(id));
    if (!deleted.ok()) return deleted.status();
    return *deleted == 0 ? notFound(missingLivestream(id)) : Status::ok();
  });
}

}  // namespace ls
