#include "store/postgres/connection.hpp"

#include <algorithm>
#include <charconv>
#include <string>
#include <utility>

#include "store/postgres/errors.hpp"

namespace ls::postgres {

namespace {

// libpq prints notices (CREATE ... IF NOT EXISTS "skipping") to stderr by
// default; the store reports what matters through its results.
void ignoreNotice(void* /*arg*/, const char* /*message*/) {}

std::int64_t parseInt64(const char* s, int len) {
  std::int64_t v = 0;
  std::from_chars(s, s + len, v);
  return v;
}

// libpq's messages span lines ("...failed: Connection refused\n\tIs the server running...").
std::string oneLine(std::string_view message) {
  std::string out;
  for (const char c : message) {
    if (c == '\n' || c == '\t') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

Params& Params::text(std::string_view v) {
  values_.push_back({std::string(v), true});
  return *this;
}

Params& Params::textOrNull(std::string_view v) {
  return v.empty() ? null() : text(v);
}

Params& Params::int64(std::int64_t v) {
  values_.push_back({std::to_string(v), false});
  return *this;
}

Params& Params::optionalInt64(const std::optional<std::int64_t>& v) {
  return v ? int64(*v) : null();
}

Params& Params::boolean(bool v) {
  values_.push_back({std::string(v ? "true" : "false"), false});
  return *this;
}

Params& Params::null() {
  values_.push_back({std::nullopt, false});
  return *this;
}

std::string PgResult::text(int row, int col) const {
  return {PQgetvalue(r_.get(), row, col), static_cast<std::size_t>(PQgetlength(r_.get(), row, col))};
}

std::int64_t PgResult::int64(int row, int col) const {
  return parseInt64(PQgetvalue(r_.get(), row, col), PQgetlength(r_.get(), row, col));
}

std::optional<std::int64_t> PgResult::optionalInt64(int row, int col) const {
  if (isNull(row, col)) return std::nullopt;
  return int64(row, col);
}

bool PgResult::boolean(int row, int col) const {
  return PQgetvalue(r_.get(), row, col)[0] == 't';
}

std::int64_t PgResult::affected() const {
  const char* n = PQcmdTuples(r_.get());
  std::string_view s(n);
  return s.empty() ? 0 : parseInt64(s.data(), static_cast<int>(s.size()));
}

Result<std::unique_ptr<Connection>> Connection::open(const ConnectionSettings& settings) {
  // libpq counts whole seconds and treats anything below 2 as 2.
  const auto timeoutSeconds = std::max<std::int64_t>(2, (settings.connectTimeout.count() + 999) / 1000);
  const std::string timeout = std::to_string(timeoutSeconds);
  // Defaults first: values the URL itself sets take precedence over them.
  const char* const keys[] = {"connect_timeout", "application_name", "client_encoding", "dbname", nullptr};
  const char* const values[] = {timeout.c_str(), "lunarstream", "UTF8", settings.url.c_str(), nullptr};
  PGconn* raw = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (raw == nullptr) return unavailable("cannot connect to database: out of memory");
  auto conn = std::unique_ptr<Connection>(new Connection(raw));
  if (PQstatus(raw) != CONNECTION_OK) {
    return unavailable("cannot connect to database " + redactedTarget(settings.url) + ": " +
                       oneLine(PQerrorMessage(raw)));
  }
  PQsetNoticeProcessor(raw, ignoreNotice, nullptr);
  // A number the store formats itself, not a caller's value.
  const std::string setTimeout = "SET statement_timeout = " + std::to_string(settings.statementTimeout.count());
  Result<PgResult> set = conn->exec(setTimeout.c_str(), "set statement timeout");
  if (!set.ok()) return set.status();
  return conn;
}

Connection::~Connection() {
  PQfinish(conn_);
}

bool Connection::inTransaction() const {
  return PQtransactionStatus(conn_) != PQTRANS_IDLE;
}

bool Connection::reusable() const {
  return !lost_ && PQstatus(conn_) == CONNECTION_OK;
}

Result<PgResult> Connection::check(PGresult* r, std::string_view what) {
  lastSqlstate_.clear();
  const ExecStatusType st = r == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(r);
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
    PgResult result(r);
    totalChanges_ += result.affected();
    return result;
  }
  PgResult guard(r);
  const char* state = r == nullptr ? nullptr : PQresultErrorField(r, PG_DIAG_SQLSTATE);
  const std::string sqlstate = state == nullptr ? std::string() : std::string(state);
  std::string detail = r == nullptr ? std::string()
                                    : std::string(PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)
                                                      ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)
                                                      : "");
  if (detail.empty()) detail = PQerrorMessage(conn_);
  if (isConnectionLost(sqlstate) || PQstatus(conn_) != CONNECTION_OK) {
    lost_ = true;
    return statusFromSqlstate("", what, detail);
  }
  lastSqlstate_ = sqlstate;
  return statusFromSqlstate(sqlstate, what, detail);
}

Result<PgResult> Connection::run(const NamedSql& q, const Params& params) {
  auto it = prepared_.find(&q);
  if (it == prepared_.end()) {
    std::string name = "ls" + std::to_string(prepared_.size() + 1);
    Result<PgResult> prepared = check(PQprepare(conn_, name.c_str(), q.sql, 0, nullptr), q.name);
    if (!prepared.ok()) return prepared.status();
    it = prepared_.emplace(&q, std::move(name)).first;
  }
  const std::size_t n = params.values_.size();
  std::vector<const char*> values(n);
  std::vector<int> lengths(n);
  std::vector<int> formats(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Params::Value& v = params.values_[i];
    values[i] = v.bytes ? v.bytes->data() : nullptr;
    lengths[i] = v.bytes ? static_cast<int>(v.bytes->size()) : 0;
    formats[i] = v.binary ? 1 : 0;
  }
  return check(PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(n), values.data(), lengths.data(),
                              formats.data(), /*resultFormat=*/0),
               q.name);
}

Result<PgResult> Connection::exec(const char* sql, std::string_view what) {
  return check(PQexec(conn_, sql), what);
}

}  // namespace ls::postgres
