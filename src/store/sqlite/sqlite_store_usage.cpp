// SqliteStore: usage metering. A batch is one BEGIN IMMEDIATE transaction:
// its id first (a second apply of the same id stops there), then its rows.
#include "store/sqlite/connection.hpp"
#include "store/sqlite/queries.hpp"
#include "store/sqlite/rows.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/usage_rows.hpp"

namespace ls {

using sqlite::Connection;
using sqlite::Statement;
using sqlite::valueOr;

namespace sqlite {

Result<usage::UsageRow> readUsageRow(const Statement& row) {
  usage::UsageRow r;
  r.projectId = row.text(0);
  r.bucketStart = row.int64(1);
  r.livestreamId = row.text(2);
  r.metric = row.text(3);
  r.dimension = row.text(4);
  r.value = row.int64(5);
  return r;
}

Status writeUsageRow(Connection& c, const NamedSql& q, const usage::UsageRow& r) {
  return sqlite::change(c, q,
                        [&](Statement& st) {
                          st.bindText(1, r.projectId)
                              .bindInt64(2, r.bucketStart)
                              .bindText(3, r.livestreamId)
                              .bindText(4, r.metric)
                              .bindText(5, r.dimension)
                              .bindInt64(6, r.value);
                        })
      .status();
}

}  // namespace sqlite

Result<bool> SqliteStore::applyUsageBatch(const usage::UsageBatch& batch, UnixMillis appliedAt) {
  LS_RETURN_IF_ERROR(store::checkUsageBatch(batch));
  bool applied = false;
  const Status s = withWriteTransaction("apply usage batch", [&](Connection& c) -> Status {
    Result<std::int64_t> recorded = sqlite::change(
        c, sqlite::sql::kRecordUsageBatch, [&](Statement& st) { st.bindText(1, batch.id).bindInt64(2, appliedAt); });
    if (!recorded.ok()) return recorded.status();
    applied = *recorded == 1;
    if (!applied) return Status::ok();
    for (const usage::UsageRow& r : batch.rows) {
      LS_RETURN_IF_ERROR(sqlite::writeUsageRow(c, sqlite::sql::kAddUsage, r));
    }
    return Status::ok();
  });
  return valueOr(s, applied);
}

Result<std::vector<usage::UsageRow>> SqliteStore::listUsage(std::string_view projectId, UnixMillis from,
                                                            UnixMillis to) {
  LS_RETURN_IF_ERROR(store::checkUsageRange(from, to));
  std::vector<usage::UsageRow> rows;
  const Status s = withReadTransaction("list usage", [&](Connection& c) -> Status {
    rows.clear();
    return sqlite::selectAll(
        c, sqlite::sql::kListUsage,
        [&](Statement& st) { st.bindText(1, projectId).bindInt64(2, from).bindInt64(3, to); }, sqlite::readUsageRow,
        rows);
  });
  return valueOr(s, std::move(rows));
}

Result<std::int64_t> SqliteStore::purgeUsageBatches(UnixMillis appliedBefore) {
  std::int64_t purged = 0;
  const Status s = withWriteTransaction("purge usage batches", [&](Connection& c) -> Status {
    Result<std::int64_t> n =
        sqlite::change(c, sqlite::sql::kPurgeUsageBatches, [&](Statement& st) { st.bindInt64(1, appliedBefore); });
    if (!n.ok()) return n.status();
    purged = *n;
    return Status::ok();
  });
  return valueOr(s, purged);
}

}  // namespace ls
