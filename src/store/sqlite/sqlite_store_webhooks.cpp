// SqliteStore: the webhook outbox (store/webhook_outbox.hpp). Events are
// written by the mutations themselves through SqliteOutboxTx, inside their
// BEGIN IMMEDIATE transaction; claims run under the same write lock, so two
// workers (threads or processes) never lease one delivery at once.
#include <memory>
#include <string>
#include <utility>
#include <vector>

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

Result<WebhookEndpoint> readEndpoint(const Statement& row, int f) {
  WebhookEndpoint e;
  e.id = row.text(f + 0);
  e.projectId = row.text(f + 1);
  e.url = row.text(f + 2);
  e.description = row.text(f + 3);
  Result<std::vector<std::string>> types = store::decodeEventTypes(row.text(f + 4));
  if (!types.ok()) return types.status();
  e.eventTypes = std::move(*types);
  e.enabled = row.int64(f + 5) != 0;
  e.secret = row.text(f + 6);
  e.previousSecret = row.text(f + 7);
  e.previousSecretExpiresAt = row.optionalInt64(f + 8);
  e.createdAt = row.int64(f + 9);
  e.updatedAt = row.int64(f + 10);
  e.failingSince = row.optionalInt64(f + 11);
  e.disabledAt = row.optionalInt64(f + 12);
  e.disabledReason = row.text(f + 13);
  return e;
}

Result<WebhookEndpoint> readEndpointRow(const Statement& row) { return readEndpoint(row, 0); }

Result<WebhookEvent> readEvent(const Statement& row, int f) {
  WebhookEvent e;
  e.id = row.text(f + 0);
  e.projectId = row.text(f + 1);
  e.type = row.text(f + 2);
  e.subjectId = row.text(f + 3);
  e.sequence = row.int64(f + 4);
  e.occurredAt = row.int64(f + 5);
  e.body = row.text(f + 6);
  return e;
}

Result<WebhookEvent> readEventRow(const Statement& row) { return readEvent(row, 0); }

Result<WebhookDelivery> readDelivery(const Statement& row, int f) {
  WebhookDelivery d;
  d.id = row.text(f + 0);
  d.eventId = row.text(f + 1);
  d.endpointId = row.text(f + 2);
  Result<WebhookDeliveryState> state = store::parseDeliveryState(row.text(f + 3));
  if (!state.ok()) return state.status();
  d.state = *state;
  d.attempts = row.int64(f + 4);
  d.nextAttemptAt = row.int64(f + 5);
  d.createdAt = row.int64(f + 6);
  return d;
}

Result<WebhookJob> readJob(const Statement& row) {
  WebhookJob job;
  Result<WebhookDelivery> d = readDelivery(row, 0);
  if (!d.ok()) return d.status();
  job.delivery = std::move(*d);
  Result<WebhookEvent> e = readEvent(row, 7);
  if (!e.ok()) return e.status();
  job.event = std::move(*e);
  Result<WebhookEndpoint> ep = readEndpoint(row, 14);
  if (!ep.ok()) return ep.status();
  job.endpoint = std::move(*ep);
  return job;
}

Result<WebhookAttempt> readAttempt(const Statement& row) {
  WebhookAttempt a;
  a.deliveryId = row.text(0);
  a.endpointId = row.text(1);
  a.eventId = row.text(2);
  a.eventType = row.text(3);
  a.at = row.int64(4);
  a.status = static_cast<int>(row.int64(5));
  a.latencyMs = row.int64(6);
  a.error = row.text(7);
  a.responsePrefix = row.text(8);
  return a;
}

Result<std::string> readText0(const Statement& row) { return row.text(0); }

Status insertAttemptRow(Connection& c, const WebhookAttempt& a) {
  return sqlite::change(c, sqlite::sql::kInsertWebhookAttempt, [&](Statement& st) {
           st.bindText(1, a.deliveryId)
               .bindText(2, a.endpointId)
               .bindText(3, a.eventId)
               .bindText(4, a.eventType)
               .bindInt64(5, a.at)
               .bindInt64(6, a.status)
               .bindInt64(7, a.latencyMs)
               .bindText(8, a.error)
               .bindText(9, store::cleanResponsePrefix(a.responsePrefix));
         })
      .status();
}

Status insertEventRow(Connection& c, const WebhookEvent& e) {
  return sqlite::change(c, sqlite::sql::kInsertWebhookEvent, [&](Statement& st) {
           st.bindText(1, e.id)
               .bindText(2, e.projectId)
               .bindText(3, e.type)
               .bindText(4, e.subjectId)
               .bindInt64(5, e.sequence)
               .bindInt64(6, e.occurredAt)
               .bindText(7, e.body);
         })
      .status();
}

Status insertDeliveryRow(Connection& c, const WebhookDelivery& d, std::string_view subjectId, std::int64_t order) {
  return sqlite::change(c, sqlite::sql::kInsertWebhookDelivery, [&](Statement& st) {
           st.bindText(1, d.id)
               .bindText(2, d.eventId)
               .bindText(3, d.endpointId)
               .bindText(4, subjectId)
               .bindInt64(5, order)
               .bindText(6, toString(d.state))
               .bindInt64(7, d.attempts)
               .bindInt64(8, d.nextAttemptAt)
               .bindInt64(9, d.createdAt);
         })
      .status();
}

class SqliteOutboxTx final : public store::OutboxTx {
 public:
  explicit SqliteOutboxTx(Connection& c) : c_(c) {}

  Result<std::optional<Livestream>> livestream(std::string_view id) override {
    std::optional<Livestream> l;
    LS_RETURN_IF_ERROR(sqlite::selectOne(
        c_, sqlite::sql::kFindLivestream, [&](Statement& st) { st.bindText(1, id); }, sqlite::readLivestream, l));
    return l;
  }

  Result<std::optional<MediaServer>> mediaServer(std::string_view id) override {
    std::optional<MediaServer> server;
    LS_RETURN_IF_ERROR(sqlite::selectOne(
        c_, sqlite::sql::kFindMediaServer, [&](Statement& st) { st.bindText(1, id); }, sqlite::readMediaServer,
        server));
    if (!server) return server;
    std::vector<std::string> projects;
    LS_RETURN_IF_ERROR(sqlite::selectAll(
        c_, sqlite::sql::kFindMediaServerProjects, [&](Statement& st) { st.bindText(1, id); },
        [](const Statement& row) -> Result<std::string> { return row.text(1); }, projects));
    server->projectIds = std::move(projects);
    return server;
  }

  Result<std::int64_t> startedCount(std::string_view mediaServerId) override {
    std::optional<std::int64_t> n;
    LS_RETURN_IF_ERROR(sqlite::selectOne(
        c_, sqlite::sql::kCountStartedOnServer, [&](Statement& st) { st.bindText(1, mediaServerId); },
        [](const Statement& row) -> Result<std::int64_t> { return row.int64(0); }, n));
    return n.value_or(0);
  }

  Result<std::vector<store::EndpointSubscription>> enabledEndpoints(std::string_view projectId) override {
    std::vector<store::EndpointSubscription> out;
    LS_RETURN_IF_ERROR(sqlite::selectAll(
        c_, sqlite::sql::kEnabledWebhookEndpoints, [&](Statement& st) { st.bindText(1, projectId); },
        [](const Statement& row) -> Result<store::EndpointSubscription> {
          Result<std::vector<std::string>> types = store::decodeEventTypes(row.text(1));
          if (!types.ok()) return types.status();
          return store::EndpointSubscription{row.text(0), std::move(*types)};
        },
        out));
    return out;
  }

  Result<std::vector<std::string>> projectsWithEnabledEndpoints() override {
    std::vector<std::string> out;
    LS_RETURN_IF_ERROR(sqlite::selectAll(
        c_, sqlite::sql::kProjectsWithWebhookEndpoints, [](Statement&) {}, readText0, out));
    return out;
  }

  Result<std::int64_t> nextSequence(std::string_view subjectId) override {
    std::optional<std::int64_t> n;
    LS_RETURN_IF_ERROR(sqlite::selectOne(
        c_, sqlite::sql::kNextWebhookSequence, [&](Statement& st) { st.bindText(1, subjectId); },
        [](const Statement& row) -> Result<std::int64_t> { return row.int64(0); }, n));
    if (!n) return internalError("webhook sequence: no row");
    return *n;
  }

  Status insertEvent(const WebhookEvent& event) override { return insertEventRow(c_, event); }

  Status insertDelivery(const WebhookDelivery& d, std::string_view subjectId, std::int64_t order) override {
    return insertDeliveryRow(c_, d, subjectId, order);
  }

 private:
  Connection& c_;
};

std::string missingEndpoint(std::string_view id) { return missing("webhook endpoint", id); }

using sqlite::sql::kClaimableWebhookDeliveries;
using sqlite::sql::kTokenExpiredCandidates;

}  // namespace

// Whether `q` (its binds done by `bind`) finds a row: an autocommit read, which
// in WAL mode waits for no writer.
template <typename Bind>
Result<bool> SqliteStore::anyRow(const sqlite::NamedSql& q, Bind&& bind) {
  bool found = false;
  const Status s = withConnection([&](Connection& c) -> Status {
    Result<bool> r = sqlite::exists(c, q, bind);
    if (!r.ok()) return r.status();
    found = *r;
    return Status::ok();
  });
  return valueOr(s, found);
}

// Emission helpers (used by the livestream and media-server mutations) ------

Status SqliteStore::emitLivestreamEvent(Connection& c, std::string_view type, std::string_view id, UnixMillis now) {
  if (!webhooks_.active()) return Status::ok();
  SqliteOutboxTx tx(c);
  return webhooks_.livestreamEventById(tx, type, id, now);
}

Status SqliteStore::emitLivestreamEvent(Connection& c, std::string_view type, const Livestream& row, UnixMillis now) {
  if (!webhooks_.active()) return Status::ok();
  SqliteOutboxTx tx(c);
  return webhooks_.livestreamEvent(tx, type, row, now);
}

Status SqliteStore::emitMediaServerEvent(Connection& c, std::string_view type, std::string_view id, UnixMillis now) {
  if (!webhooks_.active()) return Status::ok();
  SqliteOutboxTx tx(c);
  return webhooks_.mediaServerEvent(tx, type, id, now);
}

Result<std::vector<std::string>> SqliteStore::startedIdsForEvents(Connection& c, std::string_view mediaServerId) {
  std::vector<std::string> ids;
  if (!webhooks_.active()) return ids;
  LS_RETURN_IF_ERROR(sqlite::selectAll(
      c, sqlite::sql::kStartedLivestreamIds, [&](Statement& st) { st.bindText(1, mediaServerId); }, readText0, ids));
  return ids;
}

Status SqliteStore::emitEndedEvents(Connection& c, const std::vector<std::string>& ids, UnixMillis now) {
  for (const std::string& id : ids) {
    LS_RETURN_IF_ERROR(emitLivestreamEvent(c, webhook_event::kLivestreamEnded, std::string_view(id), now));
  }
  return Status::ok();
}

void SqliteStore::setWebhookRenderer(WebhookRenderer renderer) {
  webhooks_.setRenderer(std::move(renderer));
}

// Endpoints -------------------------------------------------------------------

Status sqlite::insertWebhookEndpointRow(Connection& c, const WebhookEndpoint& e) {
  return sqlite::change(c, sqlite::sql::kInsertWebhookEndpoint, [&](Statement& st) {
           st.bindText(1, e.id)
               .bindText(2, e.projectId)
               .bindText(3, e.url)
               .bindText(4, e.description)
               .bindText(5, store::encodeEventTypes(e.eventTypes))
               .bindBool(6, e.enabled)
               .bindText(7, e.secret)
               .bindText(8, e.previousSecret)
               .bindOptionalInt64(9, e.previousSecretExpiresAt)
               .bindInt64(10, e.createdAt)
               .bindInt64(11, e.updatedAt)
               .bindOptionalInt64(12, e.failingSince)
               .bindOptionalInt64(13, e.disabledAt)
               .bindText(14, e.disabledReason);
         })
      .status();
}

Status sqlite::exportWebhookEndpoints(Connection& c, StoreSnapshot& out) {
  return sqlite::selectAll(c, sqlite::sql::kListAllWebhookEndpoints, [](Statement&) {}, readEndpointRow,
                           out.webhookEndpoints);
}

Result<WebhookEndpoint> SqliteStore::insertWebhookEndpoint(const WebhookEndpoint& endpoint) {
  const Status s = withWriteTransaction("insert webhook endpoint", [&](Connection& c) -> Status {
    Result<bool> project =
        sqlite::exists(c, sqlite::sql::kProjectExists, [&](Statement& st) { st.bindText(1, endpoint.projectId); });
    if (!project.ok()) return project.status();
    if (!*project) return notFound(missing("project", endpoint.projectId));
    return sqlite::insertWebhookEndpointRow(c, endpoint);
  });
  return valueOr(s, endpoint);
}

Result<std::optional<WebhookEndpoint>> SqliteStore::findWebhookEndpoint(std::string_view id) {
  std::optional<WebhookEndpoint> e;
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectOne(
        c, sqlite::sql::kFindWebhookEndpoint, [&](Statement& st) { st.bindText(1, id); }, readEndpointRow, e);
  });
  return valueOr(s, std::move(e));
}

Result<std::vector<WebhookEndpoint>> SqliteStore::listWebhookEndpoints(std::string_view projectId) {
  std::vector<WebhookEndpoint> out;
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectAll(
        c, sqlite::sql::kListWebhookEndpoints, [&](Statement& st) { st.bindText(1, projectId); }, readEndpointRow,
        out);
  });
  return valueOr(s, std::move(out));
}

Status SqliteStore::updateWebhookEndpoint(std::string_view id, const WebhookEndpointPatch& patch, UnixMillis at) {
  return withWriteTransaction("update webhook endpoint", [&](Connection& c) -> Status {
    Result<std::int64_t> changed = sqlite::change(c, sqlite::sql::kUpdateWebhookEndpoint, [&](Statement& st) {
      st.bindText(1, id);
      if (patch.url) st.bindText(2, *patch.url); else st.bindNull(2);
      if (patch.description) st.bindText(3, *patch.description); else st.bindNull(3);
      if (patch.eventTypes) st.bindText(4, store::encodeEventTypes(*patch.eventTypes)); else st.bindNull(4);
      if (patch.enabled) st.bindBool(5, *patch.enabled); else st.bindNull(5);
      st.bindInt64(6, at);
    });
    if (!changed.ok()) return changed.status();
    return *changed == 0 ? notFound(missingEndpoint(id)) : Status::ok();
  });
}

Status SqliteStore::deleteWebhookEndpoint(std::string_view id) {
  return withWriteTransaction("delete webhook endpoint", [&](Connection& c) -> Status {
    // Deliveries and attempts go with it (ON DELETE CASCADE).
    Result<std::int64_t> deleted =
        sqlite::change(c, sqlite::sql::kDeleteWebhookEndpoint, [&](Statement& st) { st.bindText(1, id); });
    if (!deleted.ok()) return deleted.status();
    return *deleted == 0 ? notFound(missingEndpoint(id)) : Status::ok();
  });
}

Status SqliteStore::rotateWebhookSecret(std::string_view id, std::string_view newSecret, UnixMillis previousExpiresAt,
                                        UnixMillis at) {
  return withWriteTransaction("rotate webhook secret", [&](Connection& c) -> Status {
    Result<std::int64_t> changed = sqlite::change(c, sqlite::sql::kRotateWebhookSecret, [&](Statement& st) {
      st.bindText(1, id).bindText(2, newSecret).bindInt64(3, previousExpiresAt).bindInt64(4, at);
    });
    if (!changed.ok()) return changed.status();
    return *changed == 0 ? notFound(missingEndpoint(id)) : Status::ok();
  });
}

Status SqliteStore::disableWebhookEndpoint(std::string_view id, std::string_view reason, UnixMillis at) {
  return withWriteTransaction("disable webhook endpoint", [&](Connection& c) -> Status {
    Result<std::int64_t> changed = sqlite::change(c, sqlite::sql::kDisableWebhookEndpoint, [&](Statement& st) {
      st.bindText(1, id).bindInt64(2, at).bindText(3, reason);
    });
    if (!changed.ok()) return changed.status();
    if (*changed == 0) return notFound(missingEndpoint(id));
    WebhookAttempt row;
    row.endpointId = std::string(id);
    row.at = at;
    row.error = std::string(reason);
    return insertAttemptRow(c, row);
  });
}

// Events ----------------------------------------------------------------------

Result<std::int64_t> SqliteStore::emitTokenExpiredEvents(UnixMillis now) {
  std::int64_t emitted = 0;
  if (!webhooks_.active()) return emitted;
  // Polled every second: look without the write lock first, and take it only with work to do.
  Result<bool> any = anyRow(kTokenExpiredCandidates, [&](Statement& st) { st.bindInt64(1, now); });
  if (!any.ok()) return any.status();
  if (!*any) return emitted;
  const Status s = withWriteTransaction("emit token expired events", [&](Connection& c) -> Status {
    emitted = 0;
    using Candidate = std::pair<std::string, std::string>;
    std::vector<Candidate> candidates;
    LS_RETURN_IF_ERROR(sqlite::selectAll(
        c, sqlite::sql::kTokenExpiredCandidates, [&](Statement& st) { st.bindInt64(1, now); },
        [](const Statement& row) -> Result<Candidate> { return Candidate{row.text(0), row.text(1)}; }, candidates));
    for (const Candidate& cand : candidates) {
      Result<std::int64_t> marked = sqlite::change(c, sqlite::sql::kMarkTokenExpiredEvent, [&](Statement& st) {
        st.bindText(1, cand.first).bindText(2, cand.second).bindInt64(3, now);
      });
      if (!marked.ok()) return marked.status();
      if (*marked == 0) continue;
      LS_RETURN_IF_ERROR(
          emitLivestreamEvent(c, webhook_event::kLivestreamTokenExpired, std::string_view(cand.first), now));
      ++emitted;
    }
    return Status::ok();
  });
  return valueOr(s, emitted);
}

Result<std::vector<WebhookJob>> SqliteStore::claimWebhookDeliveries(std::string_view workerId, UnixMillis now,
                                                                    UnixMillis leaseUntil,
                                                                    const WebhookClaimLimits& limits) {
  std::vector<WebhookJob> jobs;
  const std::int64_t limit = limits.total;
  if (limit < 1) return jobs;
  const std::int64_t perEndpoint = limits.perEndpoint > 0 ? limits.perEndpoint : limit;
  const std::string caps = claimCapsJson(limits);
  const std::int64_t most = claimMostOfOneEndpoint(limits);
  const auto bind = [&](Statement& st, std::int64_t n) {
    st.bindInt64(1, now).bindInt64(2, n).bindText(3, caps).bindInt64(4, perEndpoint).bindInt64(5, std::min(n, most));
  };
  // Polled often: look without the write lock first, and take it only with work to do.
  Result<bool> any = anyRow(kClaimableWebhookDeliveries, [&](Statement& st) { bind(st, 1); });
  if (!any.ok()) return any.status();
  if (!*any) return jobs;
  const Status s = withWriteTransaction("claim webhook deliveries", [&](Connection& c) -> Status {
    jobs.clear();
    std::vector<std::string> ids;
    LS_RETURN_IF_ERROR(sqlite::selectAll(
        c, sqlite::sql::kClaimableWebhookDeliveries, [&](Statement& st) { bind(st, limit); }, readText0, ids));
    for (const std::string& id : ids) {
      LS_RETURN_IF_ERROR(sqlite::change(c, sqlite::sql::kLeaseWebhookDelivery, [&](Statement& st) {
                           st.bindText(1, id).bindText(2, workerId).bindInt64(3, leaseUntil);
                         }).status());
      std::optional<WebhookJob> job;
      LS_RETURN_IF_ERROR(sqlite::selectOne(
          c, sqlite::sql::kReadWebhookJob, [&](Statement& st) { st.bindText(1, id); }, readJob, job));
      if (job) jobs.push_back(std::move(*job));
    }
    return Status::ok();
  });
  return valueOr(s, std::move(jobs));
}

Status SqliteStore::finishWebhookAttempt(const WebhookAttemptResult& result) {
  const std::string& deliveryId = result.attempt.deliveryId;
  return withWriteTransaction("finish webhook attempt", [&](Connection& c) -> Status {
    const char* state = "pending";
    if (result.outcome == WebhookAttemptOutcome::kSucceeded) state = "succeeded";
    if (result.outcome == WebhookAttemptOutcome::kFailed) state = "failed";
    const bool done = result.outcome != WebhookAttemptOutcome::kRetry;
    Result<std::int64_t> changed = sqlite::change(c, sqlite::sql::kFinishWebhookDelivery, [&](Statement& st) {
      st.bindText(1, deliveryId)
          .bindText(2, result.workerId)
          .bindText(3, state)
          .bindInt64(4, done ? result.attempt.at : result.nextAttemptAt)
          .bindOptionalInt64(5, done ? std::optional<std::int64_t>(result.attempt.at) : std::nullopt);
    });
    if (!changed.ok()) return changed.status();
    if (*changed == 0) {
      return {Code::kConflict, "webhook delivery " + deliveryId + " is not leased to " + result.workerId};
    }
    struct Refs {
      std::string endpointId, eventId, eventType;
    };
    std::optional<Refs> refs;
    LS_RETURN_IF_ERROR(sqlite::selectOne(
        c, sqlite::sql::kReadDeliveryRefs, [&](Statement& st) { st.bindText(1, deliveryId); },
        [](const Statement& row) -> Result<Refs> { return Refs{row.text(0), row.text(1), row.text(2)}; }, refs));
    if (!refs) return internalError("webhook delivery " + deliveryId + " lost its event");
    WebhookAttempt a = result.attempt;
    a.endpointId = refs->endpointId;
    a.eventId = refs->eventId;
    a.eventType = refs->eventType;
    LS_RETURN_IF_ERROR(insertAttemptRow(c, a));
    const bool ok = result.outcome == WebhookAttemptOutcome::kSucceeded;
    return sqlite::change(c, ok ? sqlite::sql::kEndpointSucceeding : sqlite::sql::kEndpointFailing,
                          [&](Statement& st) {
                            st.bindText(1, a.endpointId);
                            if (!ok) st.bindInt64(2, a.at);
                          })
        .status();
  });
}

Result<WebhookDelivery> SqliteStore::resendWebhookEvent(std::string_view eventId, std::string_view endpointId,
                                                        UnixMillis at) {
  WebhookDelivery d;
  const Status s = withWriteTransaction("resend webhook event", [&](Connection& c) -> Status {
    std::optional<WebhookEvent> event;
    LS_RETURN_IF_ERROR(sqlite::selectOne(
        c, sqlite::sql::kFindWebhookEvent, [&](Statement& st) { st.bindText(1, eventId); }, readEventRow, event));
    std::optional<WebhookEndpoint> endpoint;
    LS_RETURN_IF_ERROR(sqlite::selectOne(
        c, sqlite::sql::kFindWebhookEndpoint, [&](Statement& st) { st.bindText(1, endpointId); }, readEndpointRow,
        endpoint));
    if (!event) return notFound(missing("webhook event", eventId));
    if (!endpoint || endpoint->projectId != event->projectId) return notFound(missingEndpoint(endpointId));
    d = {};
    d.id = store::newWebhookDeliveryId();
    d.eventId = event->id;
    d.endpointId = endpoint->id;
    d.nextAttemptAt = at;
    d.createdAt = at;
    return insertDeliveryRow(c, d, event->subjectId, event->sequence);
  });
  return valueOr(s, std::move(d));
}

Result<WebhookDelivery> SqliteStore::insertWebhookTestEvent(std::string_view endpointId, const WebhookEvent& event) {
  WebhookDelivery d;
  const Status s = withWriteTransaction("insert webhook test event", [&](Connection& c) -> Status {
    std::optional<WebhookEndpoint> endpoint;
    LS_RETURN_IF_ERROR(sqlite::selectOne(
        c, sqlite::sql::kFindWebhookEndpoint, [&](Statement& st) { st.bindText(1, endpointId); }, readEndpointRow,
        endpoint));
    if (!endpoint) return notFound(missingEndpoint(endpointId));
    WebhookEvent e = event;
    e.projectId = endpoint->projectId;
    if (e.id.empty()) e.id = store::newWebhookEventId();
    LS_RETURN_IF_ERROR(insertEventRow(c, e));
    d = {};
    d.id = store::newWebhookDeliveryId();
    d.eventId = e.id;
    d.endpointId = endpoint->id;
    d.nextAttemptAt = e.occurredAt;
    d.createdAt = e.occurredAt;
    return insertDeliveryRow(c, d, e.subjectId, e.sequence);
  });
  return valueOr(s, std::move(d));
}

// Reads -------------------------------------------------------------------------

Result<std::optional<WebhookEvent>> SqliteStore::findWebhookEvent(std::string_view id) {
  std::optional<WebhookEvent> e;
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectOne(
        c, sqlite::sql::kFindWebhookEvent, [&](Statement& st) { st.bindText(1, id); }, readEventRow, e);
  });
  return valueOr(s, std::move(e));
}

Result<std::vector<WebhookEvent>> SqliteStore::listWebhookEvents(std::string_view projectId, std::int64_t page,
                                                                 std::int64_t limit) {
  Result<std::int64_t> offset = store::pageOffset(page, limit);
  if (!offset.ok()) return offset.status();
  std::vector<WebhookEvent> out;
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectAll(
        c, sqlite::sql::kListWebhookEvents,
        [&](Statement& st) { st.bindText(1, projectId).bindInt64(2, limit).bindInt64(3, *offset); }, readEventRow,
        out);
  });
  return valueOr(s, std::move(out));
}

Result<std::vector<WebhookAttempt>> SqliteStore::listWebhookAttempts(std::string_view endpointId, std::int64_t page,
                                                                     std::int64_t limit) {
  Result<std::int64_t> offset = store::pageOffset(page, limit);
  if (!offset.ok()) return offset.status();
  std::vector<WebhookAttempt> out;
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectAll(
        c, sqlite::sql::kListWebhookAttempts,
        [&](Statement& st) { st.bindText(1, endpointId).bindInt64(2, limit).bindInt64(3, *offset); }, readAttempt,
        out);
  });
  return valueOr(s, std::move(out));
}

Result<WebhookBacklog> SqliteStore::webhookBacklog() {
  WebhookBacklog b;
  const Status s = withConnection([&](Connection& c) -> Status {
    std::optional<WebhookBacklog> row;
    LS_RETURN_IF_ERROR(sqlite::selectOne(
        c, sqlite::sql::kWebhookBacklog, [](Statement&) {},
        [](const Statement& r) -> Result<WebhookBacklog> { return WebhookBacklog{r.int64(0), r.optionalInt64(1)}; },
        row));
    if (row) b = *row;
    return Status::ok();
  });
  return valueOr(s, b);
}

Result<std::int64_t> SqliteStore::purgeWebhookHistory(UnixMillis before) {
  std::int64_t purged = 0;
  const Status s = withWriteTransaction("purge webhook history", [&](Connection& c) -> Status {
    const auto bind = [&](Statement& st) { st.bindInt64(1, before); };
    LS_RETURN_IF_ERROR(sqlite::change(c, sqlite::sql::kPurgeWebhookAttempts, bind).status());
    LS_RETURN_IF_ERROR(sqlite::change(c, sqlite::sql::kPurgeWebhookDeliveries, bind).status());
    Result<std::int64_t> events = sqlite::change(c, sqlite::sql::kPurgeWebhookEvents, bind);
    if (!events.ok()) return events.status();
    purged = *events;
    return Status::ok();
  });
  return valueOr(s, purged);
}

}  // namespace ls
