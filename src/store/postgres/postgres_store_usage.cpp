// PostgresStore: usage metering. A batch is one transaction: its id first
// (ON CONFLICT DO NOTHING; a concurrent apply of the same id waits on the
// unique index and then adds nothing), then its rows in key order, so two
// processes' batches over the same rows queue instead of deadlocking.
#include <algorithm>
#include <tuple>

#include "store/postgres/connection.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/postgres/queries.hpp"
#include "store/postgres/rows.hpp"
#include "store/usage_rows.hpp"

namespace ls {

using postgres::Connection;
using postgres::Params;
using postgres::PgResult;
using postgres::valueOr;

namespace postgres {

Result<usage::UsageRow> readUsageRow(const PgResult& r, int row) {
  usage::UsageRow u;
  u.projectId = r.text(row, 0);
  u.bucketStart = r.int64(row, 1);
  u.livestreamId = r.text(row, 2);
  u.metric = r.text(row, 3);
  u.dimension = r.text(row, 4);
  u.value = r.int64(row, 5);
  return u;
}

Status writeUsageRow(Connection& c, const NamedSql& q, const usage::UsageRow& r) {
  Params p;
  p.text(r.projectId).int64(r.bucketStart).text(r.livestreamId).text(r.metric).text(r.dimension).int64(r.value);
  return postgres::change(c, q, p).status();
}

}  // namespace postgres

Result<bool> PostgresStore::applyUsageBatch(const usage::UsageBatch& batch, UnixMillis appliedAt) {
  LS_RETURN_IF_ERROR(store::checkUsageBatch(batch));
  std::vector<const usage::UsageRow*> ordered;
  ordered.reserve(batch.rows.size());
  for (const usage::UsageRow& r : batch.rows) ordered.push_back(&r);
  std::sort(ordered.begin(), ordered.end(), [](const usage::UsageRow* a, const usage::UsageRow* b) {
    return std::tie(a->projectId, a->bucketStart, a->livestreamId, a->metric, a->dimension) <
           std::tie(b->projectId, b->bucketStart, b->livestreamId, b->metric, b->dimension);
  });
  bool applied = false;
  const Status s = withTransaction("apply usage batch", Txn::kWrite, [&](Connection& c) -> Status {
    Params id;
    id.text(batch.id).int64(appliedAt);
    Result<std::int64_t> recorded = postgres::change(c, postgres::sql::kRecordUsageBatch, id);
    if (!recorded.ok()) return recorded.status();
    applied = *recorded == 1;
    if (!applied) return Status::ok();
    for (const usage::UsageRow* r : ordered) {
      LS_RETURN_IF_ERROR(postgres::writeUsageRow(c, postgres::sql::kAddUsage, *r));
    }
    return Status::ok();
  });
  return valueOr(s, applied);
}

Result<std::vector<usage::UsageRow>> PostgresStore::listUsage(std::string_view projectId, UnixMillis from,
                                                              UnixMillis to) {
  LS_RETURN_IF_ERROR(store::checkUsageRange(from, to));
  std::vector<usage::UsageRow> rows;
  const Status s = withTransaction("list usage", Txn::kSnapshot, [&](Connection& c) -> Status {
    rows.clear();
    Params p;
    p.text(projectId).int64(from).int64(to);
    return postgres::selectAll(c, postgres::sql::kListUsage, p, postgres::readUsageRow, rows);
  });
  return valueOr(s, std::move(rows));
}

Result<std::int64_t> PostgresStore::purgeUsageBatches(UnixMillis appliedBefore) {
  std::int64_t purged = 0;
  const Status s = withTransaction("purge usage batches", Txn::kWrite, [&](Connection& c) -> Status {
    Params p;
    p.int64(appliedBefore);
    Result<std::int64_t> n = postgres::change(c, postgres::sql::kPurgeUsageBatches, p);
    if (!n.ok()) return n.status();
    purged = *n;
    return Status::ok();
  });
  return valueOr(s, purged);
}

}  // namespace ls
