// PostgresStore: shared rate-limit counters, what several API processes on
// one database add their local counts to. A batch is one transaction whose
// upserts run in (key, window) order, so two processes' batches queue on a
// row instead of deadlocking.
#include "store/postgres/connection.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/postgres/queries.hpp"
#include "store/postgres/rows.hpp"
#include "store/rate_counts.hpp"

namespace ls {

using postgres::Connection;
using postgres::Params;
using postgres::PgResult;
using postgres::valueOr;

Result<std::vector<std::int64_t>> PostgresStore::addRateCounts(const std::vector<RateCountDelta>& deltas) {
  LS_RETURN_IF_ERROR(store::checkRateCountDeltas(deltas));
  std::vector<std::int64_t> totals(deltas.size(), 0);
  if (deltas.empty()) return totals;
  const std::vector<std::size_t> order = store::rateCountOrder(deltas);
  const Status s = withTransaction("add rate counts", Txn::kWrite, [&](Connection& c) -> Status {
    for (const std::size_t i : order) {
      const RateCountDelta& d = deltas[i];
      Params p;
      p.text(d.key).int64(d.windowStart).int64(d.windowMs).int64(d.delta);
      Result<PgResult> r = c.run(postgres::sql::kAddRateCount, p);
      if (!r.ok()) return r.status();
      if (r->rows() != 1) return internalError("add rate counts: no row returned");
      totals[i] = r->int64(0, 0);
    }
    return Status::ok();
  });
  return valueOr(s, std::move(totals));
}

Result<std::int64_t> PostgresStore::purgeRateCounts(UnixMillis endedBy) {
  std::int64_t purged = 0;
  const Status s = withTransaction("purge rate counts", Txn::kWrite, [&](Connection& c) -> Status {
    Params p;
    p.int64(endedBy);
    Result<std::int64_t> n = postgres::change(c, postgres::sql::kPurgeRateCounts, p);
    if (!n.ok()) return n.status();
    purged = *n;
    return Status::ok();
  });
  return valueOr(s, purged);
}

}  // namespace ls
