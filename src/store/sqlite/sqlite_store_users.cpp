// SqliteStore: dashboard users, their sessions and the access-token key.
// Every write runs in BEGIN IMMEDIATE, so a rotation's read-then-write is
// serialized against every other writer of the file (other processes too).
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

Result<UserRecord> readUser(const Statement& row, int first) {
  return UserRecord{.id = row.text(first),
                    .email = row.text(first + 1),
                    .passwordHash = row.text(first + 2),
                    .isAdmin = row.int64(first + 3) != 0,
                    .createdAt = row.int64(first + 4),
                    .updatedAt = row.int64(first + 5)};
}

Status insertUserRow(Connection& c, const UserRecord& u) {
  return sqlite::change(c, sqlite::sql::kInsertUser,
                        [&](Statement& st) {
                          st.bindText(1, u.id)
                              .bindText(2, u.email)
                              .bindText(3, u.passwordHash)
                              .bindBool(4, u.isAdmin)
                              .bindInt64(5, u.createdAt)
                              .bindInt64(6, u.updatedAt);
                        })
      .status();
}

}  // namespace sqlite

namespace {

SessionFamilyRecord readFamily(const Statement& row, int first) {
  return SessionFamilyRecord{.id = row.text(first),
                             .userId = row.text(first + 1),
                             .csrfHash = row.text(first + 2),
                             .createdAt = row.int64(first + 3),
                             .revokedAt = row.optionalInt64(first + 4)};
}

Result<RefreshTokenLookup> readLookup(const Statement& row) {
  return RefreshTokenLookup{.token = RefreshTokenRecord{.tokenHash = row.text(0),
                                                        .familyId = row.text(1),
                                                        .createdAt = row.int64(2),
                                                        .expiresAt = row.int64(3),
                                                        .rotatedAt = row.optionalInt64(4)},
                            .family = readFamily(row, 5)};
}

Result<UserRecord> readUserRow(const Statement& row) { return sqlite::readUser(row, 0); }

Status insertTokenRow(Connection& c, const RefreshTokenRecord& t) {
  return sqlite::change(c, sqlite::sql::kInsertRefreshToken,
                        [&](Statement& st) {
                          st.bindText(1, t.tokenHash)
                              .bindText(2, t.familyId)
                              .bindInt64(3, t.createdAt)
                              .bindInt64(4, t.expiresAt)
                              .bindOptionalInt64(5, t.rotatedAt);
                        })
      .status();
}

Status revokeFamily(Connection& c, std::string_view familyId, UnixMillis at) {
  Result<std::int64_t> n =
      sqlite::change(c, sqlite::sql::kRevokeFamily, [&](Statement& st) { st.bindText(1, familyId).bindInt64(2, at); });
  if (!n.ok()) return n.status();
  return *n == 0 ? notFound(missing("session", familyId)) : Status::ok();
}

}  // namespace

Result<UserRecord> SqliteStore::insertUser(const UserRecord& user) {
  const Status s =
      withWriteTransaction("insert user", [&](Connection& c) { return sqlite::insertUserRow(c, user); });
  if (s.code() == Code::kConflict) return Status(Code::kConflict, "a user with this email exists already");
  return valueOr(s, user);
}

Result<std::optional<UserRecord>> SqliteStore::findUser(std::string_view id) {
  std::optional<UserRecord> out;
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectOne(c, sqlite::sql::kFindUser, [&](Statement& st) { st.bindText(1, id); }, readUserRow, out);
  });
  return valueOr(s, std::move(out));
}

Result<std::optional<UserRecord>> SqliteStore::findUserByEmail(std::string_view email) {
  std::optional<UserRecord> out;
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectOne(
        c, sqlite::sql::kFindUserByEmail, [&](Statement& st) { st.bindText(1, email); }, readUserRow, out);
  });
  return valueOr(s, std::move(out));
}

Result<std::vector<UserRecord>> SqliteStore::listUsers() {
  std::vector<UserRecord> out;
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectAll(c, sqlite::sql::kListUsers, [](Statement&) {}, readUserRow, out);
  });
  return valueOr(s, std::move(out));
}

Status SqliteStore::setUserPasswordHash(std::string_view userId, std::string_view passwordHash, UnixMillis at,
                                        bool revokeSessions) {
  return withWriteTransaction("set user password", [&](Connection& c) -> Status {
    Result<std::int64_t> n = sqlite::change(c, sqlite::sql::kSetUserPasswordHash, [&](Statement& st) {
      st.bindText(1, userId).bindText(2, passwordHash).bindInt64(3, at);
    });
    if (!n.ok()) return n.status();
    if (*n == 0) return notFound(missing("user", userId));
    if (!revokeSessions) return Status::ok();
    return sqlite::change(c, sqlite::sql::kRevokeUserSessions, [&](Statement& st) {
             st.bindText(1, userId).bindInt64(2, at);
           }).status();
  });
}

Status SqliteStore::setUserAdmin(std::string_view userId, bool isAdmin, UnixMillis at) {
  return withWriteTransaction("set user admin", [&](Connection& c) -> Status {
    Result<std::int64_t> n = sqlite::change(c, sqlite::sql::kSetUserAdmin, [&](Statement& st) {
      st.bindText(1, userId).bindInt64(2, isAdmin ? 1 : 0).bindInt64(3, at);
    });
    if (!n.ok()) return n.status();
    if (*n == 1) return Status::ok();
    Result<bool> exists =
        sqlite::exists(c, sqlite::sql::kUserExists, [&](Statement& st) { st.bindText(1, userId); });
    if (!exists.ok()) return exists.status();
    if (!*exists) return notFound(missing("user", userId));
    return Status(Code::kConflict, "the last system administrator cannot be demoted");
  });
}

Status SqliteStore::deleteUser(std::string_view userId) {
  return withWriteTransaction("delete user", [&](Connection& c) -> Status {
    Result<std::int64_t> n =
        sqlite::change(c, sqlite::sql::kDeleteUser, [&](Statement& st) { st.bindText(1, userId); });
    if (!n.ok()) return n.status();
    if (*n == 1) return Status::ok();
    Result<bool> exists =
        sqlite::exists(c, sqlite::sql::kUserExists, [&](Statement& st) { st.bindText(1, userId); });
    if (!exists.ok()) return exists.status();
    if (!*exists) return notFound(missing("user", userId));
    return Status(Code::kConflict, "the last system administrator cannot be deleted");
  });
}

Status SqliteStore::insertSession(const SessionFamilyRecord& family, const RefreshTokenRecord& token) {
  return withWriteTransaction("insert session", [&](Connection& c) -> Status {
    Result<bool> user = sqlite::exists(c, sqlite::sql::kUserExists, [&](Statement& st) { st.bindText(1, family.userId); });
    if (!user.ok()) return user.status();
    if (!*user) return notFound(missing("user", family.userId));
    LS_RETURN_IF_ERROR(sqlite::change(c, sqlite::sql::kInsertSessionFamily, [&](Statement& st) {
                         st.bindText(1, family.id)
                             .bindText(2, family.userId)
                             .bindText(3, family.csrfHash)
                             .bindInt64(4, family.createdAt)
                             .bindOptionalInt64(5, family.revokedAt);
                       }).status());
    return insertTokenRow(c, token);
  });
}

Result<std::optional<RefreshTokenLookup>> SqliteStore::findRefreshToken(std::string_view tokenHash) {
  std::optional<RefreshTokenLookup> out;
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectOne(
        c, sqlite::sql::kFindRefreshToken, [&](Statement& st) { st.bindText(1, tokenHash); }, readLookup, out);
  });
  return valueOr(s, std::move(out));
}

Result<RotationResult> SqliteStore::rotateRefreshToken(const RefreshRotation& rotation) {
  RotationResult out;
  const Status s = withWriteTransaction("rotate refresh token", [&](Connection& c) -> Status {
    out = {};
    std::optional<RefreshTokenLookup> found;
    LS_RETURN_IF_ERROR(sqlite::selectOne(
        c, sqlite::sql::kFindRefreshToken, [&](Statement& st) { st.bindText(1, rotation.oldTokenHash); }, readLookup,
        found));
    if (!found) return Status::ok();
    out.familyId = found->family.id;
    out.userId = found->family.userId;
    if (found->family.revokedAt) {
      out.outcome = RotationOutcome::kRevoked;
      return Status::ok();
    }
    if (found->token.rotatedAt) {
      // A spent token came back: whoever holds it, the family is no longer trusted.
      out.outcome = RotationOutcome::kReused;
      return revokeFamily(c, found->family.id, rotation.at);
    }
    if (found->token.expiresAt <= rotation.at) {
      out.outcome = RotationOutcome::kExpired;
      return Status::ok();
    }
    Result<std::int64_t> spent = sqlite::change(c, sqlite::sql::kSpendRefreshToken, [&](Statement& st) {
      st.bindText(1, rotation.oldTokenHash).bindInt64(2, rotation.at);
    });
    if (!spent.ok()) return spent.status();
    if (*spent != 1) return internalError("rotate refresh token: the token changed under the write lock");
    RefreshTokenRecord next = rotation.next;
    next.familyId = found->family.id;
    LS_RETURN_IF_ERROR(insertTokenRow(c, next));
    LS_RETURN_IF_ERROR(sqlite::change(c, sqlite::sql::kSetFamilyCsrf, [&](Statement& st) {
                         st.bindText(1, found->family.id).bindText(2, rotation.csrfHash);
                       }).status());
    out.outcome = RotationOutcome::kRotated;
    return Status::ok();
  });
  return valueOr(s, std::move(out));
}

Result<std::optional<SessionUser>> SqliteStore::findLiveSession(std::string_view familyId) {
  std::optional<SessionUser> out;
  const Status s = withConnection([&](Connection& c) {
    return sqlite::selectOne(
        c, sqlite::sql::kFindLiveSession, [&](Statement& st) { st.bindText(1, familyId); },
        [](const Statement& row) -> Result<SessionUser> {
          Result<UserRecord> user = sqlite::readUser(row, 5);
          if (!user.ok()) return user.status();
          return SessionUser{readFamily(row, 0), std::move(*user)};
        },
        out);
  });
  return valueOr(s, std::move(out));
}

Status SqliteStore::revokeSessionFamily(std::string_view familyId, UnixMillis at) {
  return withWriteTransaction("revoke session", [&](Connection& c) { return revokeFamily(c, familyId, at); });
}

Result<std::int64_t> SqliteStore::purgeExpiredSessions(UnixMillis before) {
  std::int64_t purged = 0;
  const Status s = withWriteTransaction("purge sessions", [&](Connection& c) -> Status {
    Result<std::int64_t> n =
        sqlite::change(c, sqlite::sql::kPurgeRefreshTokens, [&](Statement& st) { st.bindInt64(1, before); });
    if (!n.ok()) return n.status();
    purged = *n;
    return sqlite::change(c, sqlite::sql::kPurgeEmptyFamilies, [](Statement&) {}).status();
  });
  return valueOr(s, purged);
}

Result<AccessTokenKeyRecord> SqliteStore::ensureAccessTokenKey(const AccessTokenKeyRecord& candidate) {
  std::optional<AccessTokenKeyRecord> out;
  const auto read = [](const Statement& row) -> Result<AccessTokenKeyRecord> {
    return AccessTokenKeyRecord{row.text(0), row.int64(1)};
  };
  // Reads first: every start after the first finds the key without a write.
  Status s = withConnection([&](Connection& c) {
    return sqlite::selectOne(c, sqlite::sql::kFindAccessTokenKey, [](Statement&) {}, read, out);
  });
  if (!s.isOk()) return s;
  if (out) return std::move(*out);
  s = withWriteTransaction("insert access token key", [&](Connection& c) -> Status {
    LS_RETURN_IF_ERROR(sqlite::change(c, sqlite::sql::kInsertAccessTokenKey, [&](Statement& st) {
                         st.bindText(1, candidate.secret).bindInt64(2, candidate.createdAt);
                       }).status());
    return sqlite::selectOne(c, sqlite::sql::kFindAccessTokenKey, [](Statement&) {}, read, out);
  });
  if (!s.isOk()) return s;
  if (!out) return internalError("access token key missing after insert");
  return std::move(*out);
}

}  // namespace ls
