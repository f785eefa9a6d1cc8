// SqliteStore: shared rate-limit counters. One process per SQLite file
// serves the API, so these are used only when configured to (tests, and a
// store-backed limiter kept engine-neutral); the upserts of one batch run
// in one BEGIN IMMEDIATE transaction.
#include "store/rate_counts.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/queries.hpp"
#include "store/sqlite/rows.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace ls {

using sqlite::Connection;
using sqlite::Statement;
using sqlite::valueOr;

Result<std::vector<std::int64_t>> SqliteStore::addRateCounts(const std::vector<RateCountDelta>& deltas) {
  LS_RETURN_IF_ERROR(store::checkRateCountDeltas(deltas));
  std::vector<std::int64_t> totals(deltas.size(), 0);
  if (deltas.empty()) return totals;
  const std::vector<std::size_t> order = store::rateCountOrder(deltas);
  const Status s = withWriteTransaction("add rate counts", [&](Connection& c) -> Status {
    for (const std::size_t i : order) {
      const RateCountDelta& d = deltas[i];
      Result<sqlite::StatementHandle> st = c.prepare(sqlite::sql::kAddRateCount);
      if (!st.ok()) return st.status();
      (*st)->bindText(1, d.key).bindInt64(2, d.windowStart).bindInt64(3, d.windowMs).bindInt64(4, d.delta);
      Result<bool> row = c.nextRow(*st);
      if (!row.ok()) return row.status();
      if (!*row) return internalError("add rate counts: no row returned");
      totals[i] = (*st)->int64(0);
    }
    return Status::ok();
  });
  return valueOr(s, std::move(totals));
}

Result<std::int64_t> SqliteStore::purgeRateCounts(UnixMillis endedBy) {
  std::int64_t purged = 0;
  const Status s = withWriteTransaction("purge rate counts", [&](Connection& c) -> Status {
    Result<std::int64_t> n =
        sqlite::change(c, sqlite::sql::kPurgeRateCounts, [&](Statement& st) { st.bindInt64(1, endedBy); });
    if (!n.ok()) return n.status();
    purged = *n;
    return Status::ok();
  });
  return valueOr(s, purged);
}

}  // namespace ls
