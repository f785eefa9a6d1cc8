// One libpq connection with its prepared statements, the parameters bound to
// them and the results they give. Not thread-safe: a connection is used by
// one thread at a time (ConnectionPool hands it out).
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.hpp"

namespace ls::postgres {

// A statement with a name for errors ("insert team"); prepared once per
// connection, keyed by its address, so each is a namespace-scope constant.
struct NamedSql {
  const char* name;
  const char* sql;
};

// Values for $1..$n, in order. Text goes in binary format with its length
// (so a value is never cut or re-parsed); numbers go as decimal text. Values
// are always bound, never spliced into SQL.
class Params {
 public:
  Params& text(std::string_view v);
  // Empty text is stored as NULL (projects.api_key_hash, hook_secret_hash).
  Params& textOrNull(std::string_view v);
  Params& int64(std::int64_t v);
  Params& optionalInt64(const std::optional<std::int64_t>& v);
  Params& boolean(bool v);
  Params& null();

 private:
  friend class Connection;
  struct Value {
    std::optional<std::string> bytes;
    bool binary = false;
  };
  std::vector<Value> values_;
};

// One PGresult, freed on destruction. Columns are read by index in the order
// of the SELECT (queries.hpp).
class PgResult {
 public:
  explicit PgResult(PGresult* r) noexcept : r_(r) {}

  [[nodiscard]] int rows() const { return PQntuples(r_.get()); }
  [[nodiscard]] bool isNull(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  // NULL reads as "".
  [[nodiscard]] std::string text(int row, int col) const;
  [[nodiscard]] std::int64_t int64(int row, int col) const;
  [[nodiscard]] std::optional<std::int64_t> optionalInt64(int row, int col) const;
  [[nodiscard]] bool boolean(int row, int col) const;
  // Rows an INSERT/UPDATE/DELETE changed.
  [[nodiscard]] std::int64_t affected() const;

 private:
  struct Free {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
  };
  std::unique_ptr<PGresult, Free> r_;
};

struct ConnectionSettings {
  std::string url;  // postgres://... or key=value conninfo (libpq parses either)
  std::chrono::milliseconds connectTimeout{5000};
  std::chrono::milliseconds statementTimeout{5000};
};

class Connection {
 public:
  // Connects (waiting at most connectTimeout) and sets statement_timeout.
  static Result<std::unique_ptr<Connection>> open(const ConnectionSettings& settings);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs `q` with `params`, preparing it on this connection at first use.
  Result<PgResult> run(const NamedSql& q, const Params& params);
  // Runs SQL text without parameters (BEGIN, COMMIT, migration scripts); not prepared.
  Result<PgResult> exec(const char* sql, std::string_view what);

  // The SQLSTATE of the last failure ("" after a success or a lost connection).
  [[nodiscard]] const std::string& lastSqlstate() const { return lastSqlstate_; }
  // Rows changed by every statement since the connection opened (rolled-back ones included).
  [[nodiscard]] std::int64_t totalChanges() const { return totalChanges_; }
  // True while a transaction is open or failed and not yet ended.
  [[nodiscard]] bool inTransaction() const;
  // False once the connection was lost (server restarted, network cut,
  // administrator shutdown): the pool closes it instead of lending it again.
  [[nodiscard]] bool reusable() const;

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  Result<PgResult> check(PGresult* r, std::string_view what);

  PGconn* conn_;
  bool lost_ = false;
  std::string lastSqlstate_;
  std::int64_t totalChanges_ = 0;
  std::unordered_map<const NamedSql*, std::string> prepared_;  // statement -> server-side name
};

}  // namespace ls::postgres
