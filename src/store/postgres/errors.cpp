#include "store/postgres/errors.hpp"

#include <string>

namespace ls::postgres {

namespace {

std::string describe(std::string_view cause, std::string_view what, std::string_view detail) {
  std::string m(cause);
  if (!what.empty()) {
    m += " (";
    m += what;
    m += ')';
  }
  // libpq messages end with a newline (and sometimes carry a second line).
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.remove_suffix(1);
  if (!detail.empty() && detail != cause) {
    m += ": ";
    m += detail;
  }
  return m;
}

bool startsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

bool isConnectionLost(std::string_view sqlstate) {
  return sqlstate.empty() || startsWith(sqlstate, "08") || sqlstate == "57P01" || sqlstate == "57P02" ||
         sqlstate == "57P03";
}

bool isRetryable(std::string_view sqlstate) {
  return sqlstate == "40001" || sqlstate == "40P01";
}

Status statusFromSqlstate(std::string_view sqlstate, std::string_view what, std::string_view detail) {
  if (isConnectionLost(sqlstate)) return unavailable(describe("database connection lost", what, detail));
  if (isRetryable(sqlstate)) return unavailable(describe("database is busy (concurrent update)", what, detail));
  if (sqlstate == "23505") return {Code::kConflict, describe("already exists", what, detail)};
  // The store checks references itself for clear messages; this is the
  // backstop when the row went away between that check and the write.
  if (sqlstate == "23503") return notFound(describe("referenced row not found", what, detail));
  if (startsWith(sqlstate, "23") || startsWith(sqlstate, "22")) {
    return invalidArgument(describe("value refused by the database", what, detail));
  }
  if (sqlstate == "57014") return unavailable(describe("database statement timed out", what, detail));
  if (sqlstate == "55P03") return unavailable(describe("database is locked", what, detail));
  if (sqlstate == "25006") return unavailable(describe("database is read-only", what, detail));
  if (startsWith(sqlstate, "53")) return unavailable(describe("database is out of resources", what, detail));
  if (startsWith(sqlstate, "58")) return unavailable(describe("database I/O error", what, detail));
  if (startsWith(sqlstate, "28")) return unavailable(describe("database refused the credentials", what, detail));
  if (sqlstate == "3D000") return unavailable(describe("database does not exist", what, detail));
  return internalError(describe("database error " + std::string(sqlstate), what, detail));
}

std::string redactedTarget(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme != std::string_view::npos) {
    const std::size_t authorityStart = scheme + 3;
    std::size_t authorityEnd = url.find_first_of("/?", authorityStart);
    if (authorityEnd == std::string_view::npos) authorityEnd = url.size();
    std::string out(url.substr(0, authorityStart));
    const std::string_view authority = url.substr(authorityStart, authorityEnd - authorityStart);
    const std::size_t at = authority.rfind('@');
    out.append(at == std::string_view::npos ? authority : authority.substr(at + 1));
    // The query may carry password=...; keep only the path.
    const std::size_t query = url.find('?', authorityEnd);
    out.append(
        url.substr(authorityEnd, query == std::string_view::npos ? std::string_view::npos : query - authorityEnd));
    return out;
  }
  // key=value form: keep host, port and dbname only.
  std::string out;
  std::size_t pos = 0;
  while (pos < url.size()) {
    while (pos < url.size() && url[pos] == ' ') ++pos;
    std::size_t end = url.find(' ', pos);
    if (end == std::string_view::npos) end = url.size();
    const std::string_view item = url.substr(pos, end - pos);
    if (startsWith(item, "host=") || startsWith(item, "port=") || startsWith(item, "dbname=")) {
      if (!out.empty()) out += ' ';
      out.append(item);
    }
    pos = end;
  }
  return out.empty() ? std::string("(default database)") : out;
}

}  // namespace ls::postgres
