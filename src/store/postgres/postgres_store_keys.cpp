// PostgresStore: push-token signing keys.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/postgres/connection.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/postgres/queries.hpp"
#include "store/postgres/rows.hpp"

namespace ls {

using postgres::Connection;
using postgres::missing;
using postgres::Params;
using postgres::PgResult;
using postgres::valueOr;

namespace postgres {

Result<SigningKeyRecord> readSigningKey(const PgResult& r, int row) {
  return SigningKeyRecord{.kid = r.text(row, 0),
                          .privateKeyPem = r.text(row, 1),
                          .createdAt = r.int64(row, 2),
                          .activatesAt = r.int64(row, 3),
                          .retiresAt = r.optionalInt64(row, 4)};
}

Status insertSigningKeyRow(Connection& c, const SigningKeyRecord& key) {
  Params p;
  p.text(key.kid).text(key.privateKeyPem).int64(key.createdAt).int64(key.activatesAt).optionalInt64(key.retiresAt);
  return postgres::change(c, postgres::sql::kInsertSigningKey, p).status();
}

}  // namespace postgres

namespace {

using postgres::insertSigningKeyRow;
using postgres::readSigningKey;

Status retireKey(Connection& c, const SigningKeyRetirement& retirement) {
  Params p;
  p.text(retirement.kid).int64(retirement.at);
  Result<std::int64_t> changed = postgres::change(c, postgres::sql::kRetireSigningKey, p);
  if (!changed.ok()) return changed.status();
  return *changed == 0 ? notFound(missing("signing key", retirement.kid)) : Status::ok();
}

}  // namespace

Result<std::vector<SigningKeyRecord>> PostgresStore::listSigningKeys() {
  std::vector<SigningKeyRecord> keys;
  const Status s = withConnection([&](Connection& c) {
    return postgres::selectAll(c, postgres::sql::kListSigningKeys, {}, readSigningKey, keys);
  });
  return valueOr(s, std::move(keys));
}

Status PostgresStore::insertSigningKey(const SigningKeyRecord& key, const std::optional<SigningKeyRetirement>& retire) {
  return withTransaction("insert signing key", Txn::kWrite, [&](Connection& c) -> Status {
    LS_RETURN_IF_ERROR(insertSigningKeyRow(c, key));
    return retire ? retireKey(c, *retire) : Status::ok();
  });
}

Result<bool> PostgresStore::insertFirstSigningKey(const SigningKeyRecord& key) {
  bool inserted = false;
  const Status s = withTransaction("insert first signing key", Txn::kWrite, [&](Connection& c) -> Status {
    inserted = false;  // a retried attempt starts over
    // Under READ COMMITTED two first starts would each see no key and each
    // insert their own; this lock (which readers do not wait for) makes the
    // second wait for the first's commit and then see its key.
    Result<PgResult> locked = c.exec("LOCK TABLE signing_keys IN SHARE ROW EXCLUSIVE MODE", "lock signing keys");
    if (!locked.ok()) return locked.status();
    Result<bool> any = postgres::exists(c, postgres::sql::kAnySigningKey, {});
    if (!any.ok()) return any.status();
    if (*any) return Status::ok();
    LS_RETURN_IF_ERROR(insertSigningKeyRow(c, key));
    inserted = true;
    return Status::ok();
  });
  return valueOr(s, inserted);
}

Status PostgresStore::retireSigningKey(const SigningKeyRetirement& retirement) {
  return withTransaction("retire signing key", Txn::kWrite,
                         [&](Connection& c) { return retireKey(c, retirement); });
}

}  // namespace ls
