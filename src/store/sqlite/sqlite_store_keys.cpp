// SqliteStore: push-token signing keys.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/sqlite/queries.hpp"
#include "store/sqlite/rows.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace ls {

using sqlite::Connection;
using sqlite::Statement;
using sqlite::missing;
using sqlite::valueOr;

namespace sqlite {

Result<SigningKeyRecord> readSigningKey(const Statement& row) {
  return SigningKeyRecord{.kid = row.text(0),
                          .privateKeyPem = row.text(1),
                          .createdAt = row.int64(2),
                          .activatesAt = row.int64(3),
                          .retiresAt = row.optionalInt64(4)};
}

Status insertSigningKeyRow(Connection& c, const SigningKeyRecord& key) {
  return sqlite::change(c, sqlite::sql::kInsertSigningKey,
                        [&](Statement& st) {
                          st.bindText(1, key.kid)
                              .bindText(2, key.privateKeyPem)
                              .bindInt64(3, key.createdAt)
                              .bindInt64(4, key.activatesAt)
                              .bindOptionalInt64(5, key.retiresAt);
                        })
      .status();
}

}  // namespace sqlite

namespace {

using sqlite::insertSigningKeyRow;
using sqlite::readSigningKey;

Status retireKey(Connection& c, const SigningKeyRetirement& retirement) {
  Result<std::int64_t> changed = sqlite::change(c, sqlite::sql::kRetireSigningKey, [&](Statement& st) {
    st.bindText(1, retirement.kid).bindInt64(2, retirement.at);
  });
  if (!changed.ok()) return changed.status();
  return *changed == 0 ? notFound(missing("signing key", retirement.kid)) : Status::ok();
}

}  // namespace

Result<std::vector<SigningKeyRecord>> SqliteStore::listSigningKeys() {
  std::vector<SigningKeyRecord> keys;
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectAll(
        c, sqlite::sql::kListSigningKeys, [](Statement&) {}, readSigningKey, keys);
  });
  return valueOr(s, std::move(keys));
}

Status SqliteStore::insertSigningKey(const SigningKeyRecord& key, const std::optional<SigningKeyRetirement>& retire) {
  return withWriteTransaction("insert signing key", [&](Connection& c) -> Status {
    LS_RETURN_IF_ERROR(insertSigningKeyRow(c, key));
    return retire ? retireKey(c, *retire) : Status::ok();
  });
}

Result<bool> SqliteStore::insertFirstSigningKey(const SigningKeyRecord& key) {
  bool inserted = false;
  // BEGIN IMMEDIATE holds the write lock from the check to the insert, so
  // a second process starting at the same time sees this key.
  const Status s = withWriteTransaction("insert first signing key", [&](Connection& c) -> Status {
    Result<bool> any = sqlite::exists(c, sqlite::sql::kAnySigningKey, [](Statement&) {});
    if (!any.ok()) return any.status();
    if (*any) return Status::ok();
    LS_RETURN_IF_ERROR(insertSigningKeyRow(c, key));
    inserted = true;
    return Status::ok();
  });
  return valueOr(s, inserted);
}

Status SqliteStore::retireSigningKey(const SigningKeyRetirement& retirement) {
  return withWriteTransaction("retire signing key", [&](Connection& c) { return retireKey(c, retirement); });
}

}  // namespace ls
