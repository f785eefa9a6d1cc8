// A throwaway PostgreSQL server for the tests of one test binary: started on
// first use (initdb + pg_ctl start in a temporary directory, on a free
// loopback port, with its unix socket in that directory, fsync off), one
// fresh database per call to createDatabase(), stopped and deleted at exit.
//
// PostgreSQL refuses to run as root: when the tests run as root, initdb and
// pg_ctl run as the `postgres` user the Debian package creates (runuser),
// and the temporary directory belongs to that user. Missing binaries are a
// failure, not a skip (scripts/install-deps.sh installs the `postgresql`
// package); LS_POSTGRES_BINDIR names another directory holding initdb and pg_ctl.
#pragma once

#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace ls::testing {

class PostgresServer {
 public:
  // The server of this test binary, started on the first call.
  static PostgresServer& instance() {
    static PostgresServer server;
    return server;
  }

  // A URL (postgres://lunarstream@127.0.0.1:<port>/<fresh db>) on success;
  // otherwise empty, with `error` saying why the server is not available.
  std::string createDatabase(std::string& error) {
    std::lock_guard lock(mu_);
    if (!started_ && startError_.empty()) start();
    if (!startError_.empty()) {
      error = startError_;
      return {};
    }
    const std::string name = "ls_test_" + std::to_string(++databases_);
    if (!adminExec("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'", error)) return {};
    return urlFor(name);
  }

  // URL of a database on this server (for a test that names one that does not exist).
  [[nodiscard]] std::string urlFor(const std::string& database) const {
    return "postgres://lunarstream@127.0.0.1:" + std::to_string(port_) + "/" + database;
  }

  // Runs SQL as the superuser against `database` (behind a store's back);
  // false with `error` set when it fails.
  bool exec(const std::string& database, const std::string& sql, std::string& error) {
    PGconn* c = PQconnectdb(urlFor(database).c_str());
    bool ok = PQstatus(c) == CONNECTION_OK;
    if (ok) {
      PGresult* r = PQexec(c, sql.c_str());
      ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
      PQclear(r);
    }
    if (!ok) error = PQerrorMessage(c);
    PQfinish(c);
    return ok;
  }

  // The first column of the first row of `sql` as an integer; -1 when there is none.
  std::int64_t queryInt(const std::string& database, const std::string& sql, std::string& error) {
    PGconn* c = PQconnectdb(urlFor(database).c_str());
    std::int64_t v = -1;
    if (PQstatus(c) == CONNECTION_OK) {
      PGresult* r = PQexec(c, sql.c_str());
      if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0) {
        v = std::strtoll(PQgetvalue(r, 0, 0), nullptr, 10);
      } else {
        error = PQerrorMessage(c);
      }
      PQclear(r);
    } else {
      error = PQerrorMessage(c);
    }
    PQfinish(c);
    return v;
  }

  // Restarts the server (same port and data): connections the stores hold are cut.
  bool restart(std::string& error) {
    std::lock_guard lock(mu_);
    if (admin_ != nullptr) PQfinish(admin_);  // it would die with the server
    admin_ = nullptr;
    if (!run(asOwner(binDir_ / "pg_ctl") + " -D " + data() + " -m fast -w stop", "stop.log")) {
      error = "pg_ctl stop failed: " + tail("stop.log");
      return false;
    }
    if (!startOn(port_)) {
      error = "pg_ctl start failed: " + tail("server.log");
      return false;
    }
    return true;
  }

  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

 private:
  PostgresServer() = default;
  ~PostgresServer() {
    if (admin_ != nullptr) PQfinish(admin_);
    // Immediate: nothing in a test database needs a clean shutdown.
    if (started_) run(asOwner(binDir_ / "pg_ctl") + " -D " + data() + " -m immediate -w stop", "stop.log");
  }

  static std::filesystem::path findBinDir() {
    if (const char* dir = std::getenv("LS_POSTGRES_BINDIR"); dir != nullptr && *dir != '\0') {
      const std::filesystem::path bin(dir);
      return std::filesystem::exists(bin / "initdb") && std::filesystem::exists(bin / "pg_ctl") ? bin : "";
    }
    std::filesystem::path best;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
      const std::filesystem::path bin = entry.path() / "bin";
      // The highest version wins: numeric directory names, compared as numbers.
      if (std::filesystem::exists(bin / "initdb") && std::filesystem::exists(bin / "pg_ctl") &&
          (best.empty() ||
           std::atoi(entry.path().filename().c_str()) > std::atoi(best.parent_path().filename().c_str()))) {
        best = bin;
      }
    }
    return best;
  }

  static int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port = ntohs(addr.sin_port);
    }
    ::close(fd);
    return port;
  }

  [[nodiscard]] std::string data() const { return (dir_.path() / "data").string(); }

  // The command as the user that owns the server: `postgres` when we are root.
  [[nodiscard]] std::string asOwner(const std::filesystem::path& program) const {
    return runAsPostgres_ ? "runuser -u postgres -- " + program.string() : program.string();
  }

  bool run(const std::string& command, const char* log) const {
    const std::string line = command + " > " + (dir_.path() / log).string() + " 2>&1";
    return std::system(line.c_str()) == 0;
  }

  [[nodiscard]] std::string tail(const char* log) const {
    std::ifstream in(dir_.path() / log);
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    return s.size() > 2000 ? s.substr(s.size() - 2000) : s;
  }

  void start() {
    binDir_ = findBinDir();
    if (binDir_.empty()) {
      startError_ =
          "PostgreSQL server binaries (initdb, pg_ctl) not found in LS_POSTGRES_BINDIR or /usr/lib/postgresql/*/bin: "
          "install the "
          "`postgresql` package (scripts/install-deps.sh does) or set LS_POSTGRES_BINDIR";
      return;
    }
    if (::geteuid() == 0) {
      const passwd* pw = ::getpwnam("postgres");
      if (pw == nullptr) {
        startError_ = "running as root, and there is no `postgres` user to run PostgreSQL as";
        return;
      }
      if (::chown(dir_.path().c_str(), pw->pw_uid, pw->pw_gid) != 0) {
        startError_ = "cannot give " + dir_.path().string() + " to the postgres user";
        return;
      }
      runAsPostgres_ = true;
    }
    if (!run(asOwner(binDir_ / "initdb") + " -D " + data() + " -U lunarstream -A trust -E UTF8 --locale=C -N",
             "initdb.log")) {
      startError_ = "initdb failed: " + tail("initdb.log");
      return;
    }
    // Another process may take the free port before the server binds it: try a few.
    for (int attempt = 0; attempt < 5 && !started_; ++attempt) started_ = startOn(freePort());
    if (!started_) startError_ = "pg_ctl start failed: " + tail("server.log");
  }

  bool startOn(int port) {
    port_ = port;
    const std::string options = "-p " + std::to_string(port) + " -k " + dir_.path().string() +
                                " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
                                " -c full_page_writes=off -c max_connections=200";
    return run(asOwner(binDir_ / "pg_ctl") + " -D " + data() + " -l " + (dir_.path() / "server.log").string() +
                   " -w -t 60 -o '" + options + "' start",
               "pg_ctl.log");
  }

  bool adminExec(const std::string& sql, std::string& error) {
    if (admin_ == nullptr || PQstatus(admin_) != CONNECTION_OK) {
      if (admin_ != nullptr) PQfinish(admin_);
      admin_ = PQconnectdb(urlFor("postgres").c_str());
    }
    PGresult* r = PQexec(admin_, sql.c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) error = sql + ": " + PQerrorMessage(admin_);
    PQclear(r);
    return ok;
  }

  std::mutex mu_;
  TempDir dir_;
  std::filesystem::path binDir_;
  bool runAsPostgres_ = false;
  bool started_ = false;
  std::string startError_;
  int port_ = 0;
  int databases_ = 0;
  PGconn* admin_ = nullptr;
};

}  // namespace ls::testing
