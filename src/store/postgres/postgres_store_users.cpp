// PostgresStore: dashboard users, their sessions and the access-token key.
// A rotation locks its family row (FOR NO KEY UPDATE) before spending the
// token, so two rotations of one token, a rotation and a revocation, take
// turns in whichever API processes they run (src/store/README.md).
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

Result<UserRecord> readUser(const PgResult& r, int row, int first) {
  return UserRecord{.id = r.text(row, first),
                    .email = r.text(row, first + 1),
                    .passwordHash = r.text(row, first + 2),
                    .isAdmin = r.boolean(row, first + 3),
                    .createdAt = r.int64(row, first + 4),
                    .updatedAt = r.int64(row, first + 5)};
}

Status insertUserRow(Connection& c, const UserRecord& u) {
  Params p;
  p.text(u.id).text(u.email).text(u.passwordHash).boolean(u.isAdmin).int64(u.createdAt).int64(u.updatedAt);
  return postgres::change(c, postgres::sql::kInsertUser, p).status();
}

}  // namespace postgres

namespace {

SessionFamilyRecord readFamily(const PgResult& r, int row, int first) {
  return SessionFamilyRecord{.id = r.text(row, first),
                             .userId = r.text(row, first + 1),
                             .csrfHash = r.text(row, first + 2),
                             .createdAt = r.int64(row, first + 3),
                             .revokedAt = r.optionalInt64(row, first + 4)};
}

Result<RefreshTokenLookup> readLookup(const PgResult& r, int row) {
  return RefreshTokenLookup{.token = RefreshTokenRecord{.tokenHash = r.text(row, 0),
                                                        .familyId = r.text(row, 1),
                                                        .createdAt = r.int64(row, 2),
                                                        .expiresAt = r.int64(row, 3),
                                                        .rotatedAt = r.optionalInt64(row, 4)},
                            .family = readFamily(r, row, 5)};
}

Result<UserRecord> readUserRow(const PgResult& r, int row) { return postgres::readUser(r, row, 0); }

Status insertTokenRow(Connection& c, const RefreshTokenRecord& t) {
  Params p;
  p.text(t.tokenHash).text(t.familyId).int64(t.createdAt).int64(t.expiresAt).optionalInt64(t.rotatedAt);
  return postgres::change(c, postgres::sql::kInsertRefreshToken, p).status();
}

Status revokeFamily(Connection& c, std::string_view familyId, UnixMillis at) {
  Params p;
  p.text(familyId).int64(at);
  Result<std::int64_t> n = postgres::change(c, postgres::sql::kRevokeFamily, p);
  if (!n.ok()) return n.status();
  return *n == 0 ? notFound(missing("session", familyId)) : Status::ok();
}

Params one(std::string_view text) {
  Params p;
  p.text(text);
  return p;
}

}  // namespace

Result<UserRecord> PostgresStore::insertUser(const UserRecord& user) {
  const Status s = withTransaction("insert user", Txn::kWrite,
                                   [&](Connection& c) { return postgres::insertUserRow(c, user); });
  if (s.code() == Code::kConflict) return Status(Code::kConflict, "a user with this email exists already");
  return valueOr(s, user);
}

Result<std::optional<UserRecord>> PostgresStore::findUser(std::string_view id) {
  std::optional<UserRecord> out;
  const Status s =
      withConnection([&](Connection& c) { return postgres::selectOne(c, postgres::sql::kFindUser, one(id), readUserRow, out); });
  return valueOr(s, std::move(out));
}

Result<std::optional<UserRecord>> PostgresStore::findUserByEmail(std::string_view email) {
  std::optional<UserRecord> out;
  const Status s = withConnection(
      [&](Connection& c) { return postgres::selectOne(c, postgres::sql::kFindUserByEmail, one(email), readUserRow, out); });
  return valueOr(s, std::move(out));
}

Result<std::vector<UserRecord>> PostgresStore::listUsers() {
  std::vector<UserRecord> out;
  const Status s =
      withConnection([&](Connection& c) { return postgres::selectAll(c, postgres::sql::kListUsers, {}, readUserRow, out); });
  return valueOr(s, std::move(out));
}

Status PostgresStore::setUserPasswordHash(std::string_view userId, std::string_view passwordHash, UnixMillis at,
                                          bool revokeSessions) {
  return withTransaction("set user password", Txn::kWrite, [&](Connection& c) -> Status {
    Params p;
    p.text(userId).text(passwordHash).int64(at);
    Result<std::int64_t> n = postgres::change(c, postgres::sql::kSetUserPasswordHash, p);
    if (!n.ok()) return n.status();
    if (*n == 0) return notFound(missing("user", userId));
    if (!revokeSessions) return Status::ok();
    Params r;
    r.text(userId).int64(at);
    return postgres::change(c, postgres::sql::kRevokeUserSessions, r).status();
  });
}

Status PostgresStore::setUserAdmin(std::string_view userId, bool isAdmin, UnixMillis at) {
  return withTransaction("set user admin", Txn::kWrite, [&](Connection& c) -> Status {
    LS_RETURN_IF_ERROR(postgres::exists(c, postgres::sql::kLockAdmins, Params{}).status());
    Params p;
    p.text(userId).boolean(isAdmin).int64(at);
    Result<std::int64_t> n = postgres::change(c, postgres::sql::kSetUserAdmin, p);
    if (!n.ok()) return n.status();
    if (*n == 1) return Status::ok();
    Result<bool> exists = postgres::exists(c, postgres::sql::kLockUser, one(userId));
    if (!exists.ok()) return exists.status();
    if (!*exists) return notFound(missing("user", userId));
    return Status(Code::kConflict, "the last system administrator cannot be demoted");
  });
}

Status PostgresStore::deleteUser(std::string_view userId) {
  return withTransaction("delete user", Txn::kWrite, [&](Connection& c) -> Status {
    LS_RETURN_IF_ERROR(postgres::exists(c, postgres::sql::kLockAdmins, Params{}).status());
    Result<std::int64_t> n = postgres::change(c, postgres::sql::kDeleteUser, one(userId));
    if (!n.ok()) return n.status();
    if (*n == 1) return Status::ok();
    Result<bool> exists = postgres::exists(c, postgres::sql::kLockUser, one(userId));
    if (!exists.ok()) return exists.status();
    if (!*exists) return notFound(missing("user", userId));
    return Status(Code::kConflict, "the last system administrator cannot be deleted");
  });
}

Status PostgresStore::insertSession(const SessionFamilyRecord& family, const RefreshTokenRecord& token) {
  return withTransaction("insert session", Txn::kWrite, [&](Connection& c) -> Status {
    Result<bool> user = postgres::exists(c, postgres::sql::kLockUser, one(family.userId));
    if (!user.ok()) return user.status();
    if (!*user) return notFound(missing("user", family.userId));
    Params p;
    p.text(family.id).text(family.userId).text(family.csrfHash).int64(family.createdAt).optionalInt64(family.revokedAt);
    LS_RETURN_IF_ERROR(postgres::change(c, postgres::sql::kInsertSessionFamily, p).status());
    return insertTokenRow(c, token);
  });
}

Result<std::optional<RefreshTokenLookup>> PostgresStore::findRefreshToken(std::string_view tokenHash) {
  std::optional<RefreshTokenLookup> out;
  const Status s = withConnection(
      [&](Connection& c) { return postgres::selectOne(c, postgres::sql::kFindRefreshToken, one(tokenHash), readLookup, out); });
  return valueOr(s, std::move(out));
}

Result<RotationResult> PostgresStore::rotateRefreshToken(const RefreshRotation& rotation) {
  RotationResult out;
  const Status s = withTransaction("rotate refresh token", Txn::kWrite, [&](Connection& c) -> Status {
    out = {};  // a retried attempt starts over
    std::optional<RefreshTokenLookup> found;
    LS_RETURN_IF_ERROR(
        postgres::selectOne(c, postgres::sql::kFindRefreshToken, one(rotation.oldTokenHash), readLookup, found));
    if (!found) return Status::ok();
    out.familyId = found->family.id;
    out.userId = found->family.userId;
    // Take turns with every other rotation or revocation of this family, then
    // judge the token as it is after theirs.
    Result<bool> live = postgres::exists(c, postgres::sql::kLockLiveFamily, one(found->family.id));
    if (!live.ok()) return live.status();
    if (!*live) {
      out.outcome = RotationOutcome::kRevoked;
      return Status::ok();
    }
    Params spend;
    spend.text(rotation.oldTokenHash).int64(rotation.at);
    Result<std::int64_t> spent = postgres::change(c, postgres::sql::kSpendRefreshToken, spend);
    if (!spent.ok()) return spent.status();
    if (*spent == 0) {
      LS_RETURN_IF_ERROR(
          postgres::selectOne(c, postgres::sql::kFindRefreshToken, one(rotation.oldTokenHash), readLookup, found));
      if (found && !found->token.rotatedAt) {
        out.outcome = RotationOutcome::kExpired;
        return Status::ok();
      }
      // A spent token came back: whoever holds it, the family is no longer trusted.
      out.outcome = RotationOutcome::kReused;
      return revokeFamily(c, out.familyId, rotation.at);
    }
    RefreshTokenRecord next = rotation.next;
    next.familyId = out.familyId;
    LS_RETURN_IF_ERROR(insertTokenRow(c, next));
    Params csrf;
    csrf.text(out.familyId).text(rotation.csrfHash);
    LS_RETURN_IF_ERROR(postgres::change(c, postgres::sql::kSetFamilyCsrf, csrf).status());
    out.outcome = RotationOutcome::kRotated;
    return Status::ok();
  });
  return valueOr(s, std::move(out));
}

Result<std::optional<SessionUser>> PostgresStore::findLiveSession(std::string_view familyId) {
  std::optional<SessionUser> out;
  const Status s = withConnection([&](Connection& c) {
    return postgres::selectOne(
        c, postgres::sql::kFindLiveSession, one(familyId),
        [](const PgResult& r, int row) -> Result<SessionUser> {
          Result<UserRecord> user = postgres::readUser(r, row, 5);
          if (!user.ok()) return user.status();
          return SessionUser{readFamily(r, row, 0), std::move(*user)};
        },
        out);
  });
  return valueOr(s, std::move(out));
}

Status PostgresStore::revokeSessionFamily(std::string_view familyId, UnixMillis at) {
  return withTransaction("revoke session", Txn::kWrite,
                         [&](Connection& c) { return revokeFamily(c, familyId, at); });
}

Result<std::int64_t> PostgresStore::purgeExpiredSessions(UnixMillis before) {
  std::int64_t purged = 0;
  const Status s = withTransaction("purge sessions", Txn::kWrite, [&](Connection& c) -> Status {
    Params p;
    p.int64(before);
    Result<std::int64_t> n = postgres::change(c, postgres::sql::kPurgeRefreshTokens, p);
    if (!n.ok()) return n.status();
    purged = *n;
    return postgres::change(c, postgres::sql::kPurgeEmptyFamilies, {}).status();
  });
  return valueOr(s, purged);
}

Result<AccessTokenKeyRecord> PostgresStore::ensureAccessTokenKey(const AccessTokenKeyRecord& candidate) {
  std::optional<AccessTokenKeyRecord> out;
  const auto read = [](const PgResult& r, int row) -> Result<AccessTokenKeyRecord> {
    return AccessTokenKeyRecord{r.text(row, 0), r.int64(row, 1)};
  };
  // ON CONFLICT DO NOTHING waits for a concurrent first insert and then
  // skips; the read after it sees the committed key.
  const Status s = withTransaction("ensure access token key", Txn::kWrite, [&](Connection& c) -> Status {
    Params p;
    p.text(candidate.secret).int64(candidate.createdAt);
    LS_RETURN_IF_ERROR(postgres::change(c, postgres::sql::kInsertAccessTokenKey, p).status());
    return postgres::selectOne(c, postgres::sql::kFindAccessTokenKey, {}, read, out);
  });
  if (!s.isOk()) return s;
  if (!out) return internalError("access token key missing after insert");
  return std::move(*out);
}

}  // namespace ls
