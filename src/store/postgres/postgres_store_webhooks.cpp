// PostgresStore: the webhook outbox (store/webhook_outbox.hpp). Events are
// written by the mutations themselves through PostgresOutboxTx, in their
// transaction. Claims lock candidate deliveries with FOR UPDATE SKIP LOCKED
// and lease them in the same transaction, so concurrent workers (any
// process) skip each other's rows and never lease one delivery twice.
#include <memory>
#include <string>
#include <utility>
#include <vector>

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

Result<WebhookEndpoint> readEndpoint(const PgResult& r, int row, int f) {
  WebhookEndpoint e;
  e.id = r.text(row, f + 0);
  e.projectId = r.text(row, f + 1);
  e.url = r.text(row, f + 2);
  e.description = r.text(row, f + 3);
  Result<std::vector<std::string>> types = store::decodeEventTypes(r.text(row, f + 4));
  if (!types.ok()) return types.status();
  e.eventTypes = std::move(*types);
  e.enabled = r.boolean(row, f + 5);
  e.secret = r.text(row, f + 6);
  e.previousSecret = r.text(row, f + 7);
  e.previousSecretExpiresAt = r.optionalInt64(row, f + 8);
  e.createdAt = r.int64(row, f + 9);
  e.updatedAt = r.int64(row, f + 10);
  e.failingSince = r.optionalInt64(row, f + 11);
  e.disabledAt = r.optionalInt64(row, f + 12);
  e.disabledReason = r.text(row, f + 13);
  return e;
}

Result<WebhookEndpoint> readEndpointRow(const PgResult& r, int row) { return readEndpoint(r, row, 0); }

Result<WebhookEvent> readEvent(const PgResult& r, int row, int f) {
  WebhookEvent e;
  e.id = r.text(row, f + 0);
  e.projectId = r.text(row, f + 1);
  e.type = r.text(row, f + 2);
  e.subjectId = r.text(row, f + 3);
  e.sequence = r.int64(row, f + 4);
  e.occurredAt = r.int64(row, f + 5);
  e.body = r.text(row, f + 6);
  return e;
}

Result<WebhookEvent> readEventRow(const PgResult& r, int row) { return readEvent(r, row, 0); }

Result<WebhookJob> readJob(const PgResult& r, int row) {
  WebhookJob job;
  WebhookDelivery& d = job.delivery;
  d.id = r.text(row, 0);
  d.eventId = r.text(row, 1);
  d.endpointId = r.text(row, 2);
  Result<WebhookDeliveryState> state = store::parseDeliveryState(r.text(row, 3));
  if (!state.ok()) return state.status();
  d.state = *state;
  d.attempts = r.int64(row, 4);
  d.nextAttemptAt = r.int64(row, 5);
  d.createdAt = r.int64(row, 6);
  Result<WebhookEvent> e = readEvent(r, row, 7);
  if (!e.ok()) return e.status();
  job.event = std::move(*e);
  Result<WebhookEndpoint> ep = readEndpoint(r, row, 14);
  if (!ep.ok()) return ep.status();
  job.endpoint = std::move(*ep);
  return job;
}

Result<WebhookAttempt> readAttempt(const PgResult& r, int row) {
  WebhookAttempt a;
  a.deliveryId = r.text(row, 0);
  a.endpointId = r.text(row, 1);
  a.eventId = r.text(row, 2);
  a.eventType = r.text(row, 3);
  a.at = r.int64(row, 4);
  a.status = static_cast<int>(r.int64(row, 5));
  a.latencyMs = r.int64(row, 6);
  a.error = r.text(row, 7);
  a.responsePrefix = r.text(row, 8);
  return a;
}

Result<std::string> readText0(const PgResult& r, int row) { return r.text(row, 0); }

Status insertAttemptRow(Connection& c, const WebhookAttempt& a) {
  Params p;
  p.text(a.deliveryId)
      .text(a.endpointId)
      .text(a.eventId)
      .text(a.eventType)
      .int64(a.at)
      .int64(a.status)
      .int64(a.latencyMs)
      .text(store::cleanResponsePrefix(a.error, 4096))
      .text(store::cleanResponsePrefix(a.responsePrefix));
  return postgres::change(c, postgres::sql::kInsertWebhookAttempt, p).status();
}

Status insertEventRow(Connection& c, const WebhookEvent& e) {
  Params p;
  p.text(e.id).text(e.projectId).text(e.type).text(e.subjectId).int64(e.sequence).int64(e.occurredAt).text(e.body);
  return postgres::change(c, postgres::sql::kInsertWebhookEvent, p).status();
}

Status insertDeliveryRow(Connection& c, const WebhookDelivery& d, std::string_view subjectId, std::int64_t order) {
  Params p;
  p.text(d.id)
      .text(d.eventId)
      .text(d.endpointId)
      .text(subjectId)
      .int64(order)
      .text(toString(d.state))
      .int64(d.attempts)
      .int64(d.nextAttemptAt)
      .int64(d.createdAt);
  return postgres::change(c, postgres::sql::kInsertWebhookDelivery, p).status();
}

class PostgresOutboxTx final : public store::OutboxTx {
 public:
  explicit PostgresOutboxTx(Connection& c) : c_(c) {}

  Result<std::optional<Livestream>> livestream(std::string_view id) override {
    std::optional<Livestream> l;
    LS_RETURN_IF_ERROR(postgres::selectOne(c_, postgres::sql::kFindLivestream, idParam(id), postgres::readLivestream, l));
    return l;
  }

  Result<std::optional<MediaServer>> mediaServer(std::string_view id) override {
    std::optional<MediaServer> server;
    LS_RETURN_IF_ERROR(
        postgres::selectOne(c_, postgres::sql::kFindMediaServer, idParam(id), postgres::readMediaServer, server));
    if (!server) return server;
    std::vector<std::string> projects;
    LS_RETURN_IF_ERROR(postgres::selectAll(
        c_, postgres::sql::kFindMediaServerProjects, idParam(id),
        [](const PgResult& r, int row) -> Result<std::string> { return r.text(row, 1); }, projects));
    server->projectIds = std::move(projects);
    return server;
  }

  Result<std::int64_t> startedCount(std::string_view mediaServerId) override {
    Result<PgResult> r = c_.run(postgres::sql::kCountStartedOnServer, idParam(mediaServerId));
    if (!r.ok()) return r.status();
    return r->int64(0, 0);
  }

  Result<std::vector<store::EndpointSubscription>> enabledEndpoints(std::string_view projectId) override {
    std::vector<store::EndpointSubscription> out;
    LS_RETURN_IF_ERROR(postgres::selectAll(
        c_, postgres::sql::kEnabledWebhookEndpoints, idParam(projectId),
        [](const PgResult& r, int row) -> Result<store::EndpointSubscription> {
          Result<std::vector<std::string>> types = store::decodeEventTypes(r.text(row, 1));
          if (!types.ok()) return types.status();
          return store::EndpointSubscription{r.text(row, 0), std::move(*types)};
        },
        out));
    return out;
  }

  Result<std::vector<std::string>> projectsWithEnabledEndpoints() override {
    std::vector<std::string> out;
    LS_RETURN_IF_ERROR(postgres::selectAll(c_, postgres::sql::kProjectsWithWebhookEndpoints, {}, readText0, out));
    return out;
  }

  Result<std::int64_t> nextSequence(std::string_view subjectId) override {
    Result<PgResult> r = c_.run(postgres::sql::kNextWebhookSequence, idParam(subjectId));
    if (!r.ok()) return r.status();
    if (r->rows() == 0) return internalError("webhook sequence: no row");
    return r->int64(0, 0);
  }

  Status insertEvent(const WebhookEvent& event) override { return insertEventRow(c_, event); }

  Status insertDelivery(const WebhookDelivery& d, std::string_view subjectId, std::int64_t order) override {
    return insertDeliveryRow(c_, d, subjectId, order);
  }

 private:
  Connection& c_;
};

std::string missingEndpoint(std::string_view id) { return missing("webhook endpoint", id); }

Params endpointParams(const WebhookEndpoint& e) {
  Params p;
  p.text(e.id)
      .text(e.projectId)
      .text(e.url)
      .text(e.description)
      .text(store::encodeEventTypes(e.eventTypes))
      .boolean(e.enabled)
      .text(e.secret)
      .text(e.previousSecret)
      .optionalInt64(e.previousSecretExpiresAt)
      .int64(e.createdAt)
      .int64(e.updatedAt)
      .optionalInt64(e.failingSince)
      .optionalInt64(e.disabledAt)
      .text(e.disabledReason);
  return p;
}

}  // namespace

// Emission helpers ---------------------------------------------------------------

Status PostgresStore::emitLivestreamEvent(Connection& c, std::string_view type, std::string_view id, UnixMillis now) {
  if (!webhooks_.active()) return Status::ok();
  PostgresOutboxTx tx(c);
  return webhooks_.livestreamEventById(tx, type, id, now);
}

Status PostgresStore::emitLivestreamEvent(Connection& c, std::string_view type, const Livestream& row,
                                          UnixMillis now) {
  if (!webhooks_.active()) return Status::ok();
  PostgresOutboxTx tx(c);
  return webhooks_.livestreamEvent(tx, type, row, now);
}

Status PostgresStore::emitMediaServerEvent(Connection& c, std::string_view type, std::string_view id,
                                           UnixMillis now) {
  if (!webhooks_.active()) return Status::ok();
  PostgresOutboxTx tx(c);
  return webhooks_.mediaServerEvent(tx, type, id, now);
}

Status PostgresStore::emitEndedEvents(Connection& c, const std::vector<std::string>& ids, UnixMillis now) {
  for (const std::string& id : ids) {
    LS_RETURN_IF_ERROR(emitLivestreamEvent(c, webhook_event::kLivestreamEnded, std::string_view(id), now));
  }
  return Status::ok();
}

void PostgresStore::setWebhookRenderer(WebhookRenderer renderer) {
  webhooks_.setRenderer(std::move(renderer));
}

// Endpoints ------------------------------------------------------------------------

Status postgres::insertWebhookEndpointRow(Connection& c, const WebhookEndpoint& e) {
  return postgres::change(c, postgres::sql::kInsertWebhookEndpoint, endpointParams(e)).status();
}

Status postgres::exportWebhookEndpoints(Connection& c, StoreSnapshot& out) {
  return postgres::selectAll(c, postgres::sql::kListAllWebhookEndpoints, {}, readEndpointRow, out.webhookEndpoints);
}

Result<WebhookEndpoint> PostgresStore::insertWebhookEndpoint(const WebhookEndpoint& endpoint) {
  const Status s = withTransaction("insert webhook endpoint", Txn::kWrite, [&](Connection& c) -> Status {
    Result<bool> project = postgres::exists(c, postgres::sql::kProjectExists, idParam(endpoint.projectId));
    if (!project.ok()) return project.status();
    if (!*project) return notFound(missing("project", endpoint.projectId));
    return postgres::insertWebhookEndpointRow(c, endpoint);
  });
  return valueOr(s, endpoint);
}

Result<std::optional<WebhookEndpoint>> PostgresStore::findWebhookEndpoint(std::string_view id) {
  std::optional<WebhookEndpoint> e;
  const Status s = withConnection([&](Connection& c) {
    return postgres::selectOne(c, postgres::sql::kFindWebhookEndpoint, idParam(id), readEndpointRow, e);
  });
  return valueOr(s, std::move(e));
}

Result<std::vector<WebhookEndpoint>> PostgresStore::listWebhookEndpoints(std::string_view projectId) {
  std::vector<WebhookEndpoint> out;
  const Status s = withConnection([&](Connection& c) {
    return postgres::selectAll(c, postgres::sql::kListWebhookEndpoints, idParam(projectId), readEndpointRow, out);
  });
  return valueOr(s, std::move(out));
}

Status PostgresStore::updateWebhookEndpoint(std::string_view id, const WebhookEndpointPatch& patch, UnixMillis at) {
  return withTransaction("update webhook endpoint", Txn::kWrite, [&](Connection& c) -> Status {
    Params p;
    p.text(id);
    if (patch.url) p.text(*patch.url); else p.null();
    if (patch.description) p.text(*patch.description); else p.null();
    if (patch.eventTypes) p.text(store::encodeEventTypes(*patch.eventTypes)); else p.null();
    if (patch.enabled) p.boolean(*patch.enabled); else p.null();
    p.int64(at);
    Result<std::int64_t> changed = postgres::change(c, postgres::sql::kUpdateWebhookEndpoint, p);
    if (!changed.ok()) return changed.status();
    return *changed == 0 ? notFound(missingEndpoint(id)) : Status::ok();
  });
}

Status PostgresStore::deleteWebhookEndpoint(std::string_view id) {
  return withTransaction("delete webhook endpoint", Txn::kWrite, [&](Connection& c) -> Status {
    // Deliveries and attempts go with it (ON DELETE CASCADE).
    Result<std::int64_t> deleted = postgres::change(c, postgres::sql::kDeleteWebhookEndpoint, idParam(id));
    if (!deleted.ok()) return deleted.status();
    return *deleted == 0 ? notFound(missingEndpoint(id)) : Status::ok();
  });
}

Status PostgresStore::rotateWebhookSecret(std::string_view id, std::string_view newSecret,
                                          UnixMillis previousExpiresAt, UnixMillis at) {
  return withTransaction("rotate webhook secret", Txn::kWrite, [&](Connection& c) -> Status {
    Params p;
    p.text(id).text(newSecret).int64(previousExpiresAt).int64(at);
    Result<std::int64_t> changed = postgres::change(c, postgres::sql::kRotateWebhookSecret, p);
    if (!changed.ok()) return changed.status();
    return *changed == 0 ? notFound(missingEndpoint(id)) : Status::ok();
  });
}

Status PostgresStore::disableWebhookEndpoint(std::string_view id, std::string_view reason, UnixMillis at) {
  return withTransaction("disable webhook endpoint", Txn::kWrite, [&](Connection& c) -> Status {
    Params p;
    p.text(id).int64(at).text(reason);
    Result<std::int64_t> changed = postgres::change(c, postgres::sql::kDisableWebhookEndpoint, p);
    if (!changed.ok()) return changed.status();
    if (*changed == 0) return notFound(missingEndpoint(id));
    WebhookAttempt row;
    row.endpointId = std::string(id);
    row.at = at;
    row.error = std::string(reason);
    return insertAttemptRow(c, row);
  });
}

// Events ---------------------------------------------------------------------------

Result<std::int64_t> PostgresStore::emitTokenExpiredEvents(UnixMillis now) {
  std::int64_t emitted = 0;
  if (!webhooks_.active()) return emitted;
  const Status s = withTransaction("emit token expired events", Txn::kWrite, [&](Connection& c) -> Status {
    emitted = 0;
    using Candidate = std::pair<std::string, std::string>;
    std::vector<Candidate> candidates;
    Params p;
    p.int64(now);
    LS_RETURN_IF_ERROR(postgres::selectAll(
        c, postgres::sql::kTokenExpiredCandidates, p,
        [](const PgResult& r, int row) -> Result<Candidate> { return Candidate{r.text(row, 0), r.text(row, 1)}; },
        candidates));
    for (const Candidate& cand : candidates) {
      Params m;
      m.text(cand.first).text(cand.second).int64(now);
      // A concurrent sweep holding the row makes this wait, then change nothing.
      Result<std::int64_t> marked = postgres::change(c, postgres::sql::kMarkTokenExpiredEvent, m);
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

Result<std::vector<WebhookJob>> PostgresStore::claimWebhookDeliveries(std::string_view workerId, UnixMillis now,
                                                                      UnixMillis leaseUntil,
                                                                      const WebhookClaimLimits& limits) {
  std::vector<WebhookJob> jobs;
  const std::int64_t limit = limits.total;
  if (limit < 1) return jobs;
  const std::int64_t perEndpoint = limits.perEndpoint > 0 ? limits.perEndpoint : limit;
  const std::string caps = claimCapsJson(limits);
  const Status s = withTransaction("claim webhook deliveries", Txn::kWrite, [&](Connection& c) -> Status {
    jobs.clear();
    std::vector<std::string> ids;
    Params p;
    p.int64(now).int64(limit).text(caps).int64(perEndpoint);
    LS_RETURN_IF_ERROR(postgres::selectAll(c, postgres::sql::kClaimableWebhookDeliveries, p, readText0, ids));
    for (const std::string& id : ids) {
      Params lease;
      lease.text(id).text(workerId).int64(leaseUntil);
      LS_RETURN_IF_ERROR(postgres::change(c, postgres::sql::kLeaseWebhookDelivery, lease).status());
      std::optional<WebhookJob> job;
      LS_RETURN_IF_ERROR(postgres::selectOne(c, postgres::sql::kReadWebhookJob, idParam(id), readJob, job));
      if (job) jobs.push_back(std::move(*job));
    }
    return Status::ok();
  });
  return valueOr(s, std::move(jobs));
}

Status PostgresStore::finishWebhookAttempt(const WebhookAttemptResult& result) {
  const std::string& deliveryId = result.attempt.deliveryId;
  return withTransaction("finish webhook attempt", Txn::kWrite, [&](Connection& c) -> Status {
    const char* state = "pending";
    if (result.outcome == WebhookAttemptOutcome::kSucceeded) state = "succeeded";
    if (result.outcome == WebhookAttemptOutcome::kFailed) state = "failed";
    const bool done = result.outcome != WebhookAttemptOutcome::kRetry;
    Params p;
    p.text(deliveryId)
        .text(result.workerId)
        .text(state)
        .int64(done ? result.attempt.at : result.nextAttemptAt)
        .optionalInt64(done ? std::optional<std::int64_t>(result.attempt.at) : std::nullopt);
    Result<std::int64_t> changed = postgres::change(c, postgres::sql::kFinishWebhookDelivery, p);
    if (!changed.ok()) return changed.status();
    if (*changed == 0) {
      return {Code::kConflict, "webhook delivery " + deliveryId + " is not leased to " + result.workerId};
    }
    Result<PgResult> refs = c.run(postgres::sql::kReadDeliveryRefs, idParam(deliveryId));
    if (!refs.ok()) return refs.status();
    if (refs->rows() == 0) return internalError("webhook delivery " + deliveryId + " lost its event");
    WebhookAttempt a = result.attempt;
    a.endpointId = refs->text(0, 0);
    a.eventId = refs->text(0, 1);
    a.eventType = refs->text(0, 2);
    LS_RETURN_IF_ERROR(insertAttemptRow(c, a));
    if (result.outcome == WebhookAttemptOutcome::kSucceeded) {
      return postgres::change(c, postgres::sql::kEndpointSucceeding, idParam(a.endpointId)).status();
    }
    Params f;
    f.text(a.endpointId).int64(a.at);
    return postgres::change(c, postgres::sql::kEndpointFailing, f).status();
  });
}

Result<WebhookDelivery> PostgresStore::resendWebhookEvent(std::string_view eventId, std::string_view endpointId,
                                                          UnixMillis at) {
  WebhookDelivery d;
  const Status s = withTransaction("resend webhook event", Txn::kWrite, [&](Connection& c) -> Status {
    std::optional<WebhookEvent> event;
    LS_RETURN_IF_ERROR(postgres::selectOne(c, postgres::sql::kFindWebhookEvent, idParam(eventId), readEventRow, event));
    std::optional<WebhookEndpoint> endpoint;
    LS_RETURN_IF_ERROR(
        postgres::selectOne(c, postgres::sql::kFindWebhookEndpoint, idParam(endpointId), readEndpointRow, endpoint));
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

Result<WebhookDelivery> PostgresStore::insertWebhookTestEvent(std::string_view endpointId, const WebhookEvent& event) {
  WebhookDelivery d;
  const Status s = withTransaction("insert webhook test event", Txn::kWrite, [&](Connection& c) -> Status {
    std::optional<WebhookEndpoint> endpoint;
    LS_RETURN_IF_ERROR(
        postgres::selectOne(c, postgres::sql::kFindWebhookEndpoint, idParam(endpointId), readEndpointRow, endpoint));
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

// Reads ----------------------------------------------------------------------------

Result<std::optional<WebhookEvent>> PostgresStore::findWebhookEvent(std::string_view id) {
  std::optional<WebhookEvent> e;
  const Status s = withConnection([&](Connection& c) {
    return postgres::selectOne(c, postgres::sql::kFindWebhookEvent, idParam(id), readEventRow, e);
  });
  return valueOr(s, std::move(e));
}

Result<std::vector<WebhookEvent>> PostgresStore::listWebhookEvents(std::string_view projectId, std::int64_t page,
                                                                   std::int64_t limit) {
  Result<std::int64_t> offset = store::pageOffset(page, limit);
  if (!offset.ok()) return offset.status();
  std::vector<WebhookEvent> out;
  const Status s = withConnection([&](Connection& c) {
    Params p;
    p.text(projectId).int64(limit).int64(*offset);
    return postgres::selectAll(c, postgres::sql::kListWebhookEvents, p, readEventRow, out);
  });
  return valueOr(s, std::move(out));
}

Result<std::vector<WebhookAttempt>> PostgresStore::listWebhookAttempts(std::string_view endpointId, std::int64_t page,
                                                                       std::int64_t limit) {
  Result<std::int64_t> offset = store::pageOffset(page, limit);
  if (!offset.ok()) return offset.status();
  std::vector<WebhookAttempt> out;
  const Status s = withConnection([&](Connection& c) {
    Params p;
    p.text(endpointId).int64(limit).int64(*offset);
    return postgres::selectAll(c, postgres::sql::kListWebhookAttempts, p, readAttempt, out);
  });
  return valueOr(s, std::move(out));
}

Result<WebhookBacklog> PostgresStore::webhookBacklog() {
  WebhookBacklog b;
  const Status s = withConnection([&](Connection& c) -> Status {
    Result<PgResult> r = c.run(postgres::sql::kWebhookBacklog, {});
    if (!r.ok()) return r.status();
    b.pending = r->int64(0, 0);
    b.oldestEvent = r->optionalInt64(0, 1);
    return Status::ok();
  });
  return valueOr(s, b);
}

Result<std::int64_t> PostgresStore::purgeWebhookHistory(UnixMillis before) {
  std::int64_t purged = 0;
  const Status s = withTransaction("purge webhook history", Txn::kWrite, [&](Connection& c) -> Status {
    Params p;
    p.int64(before);
    LS_RETURN_IF_ERROR(postgres::change(c, postgres::sql::kPurgeWebhookAttempts, p).status());
    LS_RETURN_IF_ERROR(postgres::change(c, postgres::sql::kPurgeWebhookDeliveries, p).status());
    Result<std::int64_t> events = postgres::change(c, postgres::sql::kPurgeWebhookEvents, p);
    if (!events.ok()) return events.status();
    purged = *events;
    return Status::ok();
  });
  return valueOr(s, purged);
}

}  // namespace ls
