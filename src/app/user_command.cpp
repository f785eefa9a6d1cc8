// `lunarstream user create|list|set-password|delete`: dashboard users. The
// first admin is made here; there is never a default user or password.
// Passwords come only from stdin (never argv, which other users can read in
// /proc), one line or the whole input, without its final newline.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>
#include <string>

#include "app/admin_commands.hpp"
#include "app/cli_args.hpp"
#include "app/cli_common.hpp"
#include "app/config.hpp"
#include "app/data_dir.hpp"
#include "control/user_service.hpp"

namespace ls::app {

namespace {

constexpr const char* kUserHelp = R"(Usage: lunarstream user create|list|set-password|delete [options]

  create --email EMAIL --password-stdin [--admin]
          Creates a dashboard user; the password is read from stdin (8 to 1024
          bytes; one trailing newline is dropped). --admin makes a platform
          administrator (may do everything); without it an ordinary user.
          --json prints {"id", "email", "isAdmin", "createdAt"}.
  list    Prints every user (--json: an array of {id, email, isAdmin, createdAt}).
  set-password --email EMAIL --password-stdin
          Replaces the password and logs every session of the user out.
  delete --email EMAIL
          Deletes the user and their sessions.

Emails are stored trimmed and lower-cased. Example, the first admin:

  printf '%s' "$ADMIN_PASSWORD" | lunarstream user create --email admin@example.com --password-stdin --admin

Common options:
  --config FILE    the server's config file (its data_dir, database.url and auth.argon2_*)
  --data-dir DIR   data directory of the server (default: ./data)
  --database URL   the server's PostgreSQL database, postgres://USER:PASS@HOST:PORT/DB
                   (default: LUNARSTREAM_DATABASE_URL, else SQLite in the data dir)
  --json           JSON output
)";

// At most one byte more than the longest password, so a longer input is refused, not truncated.
Result<std::string> readPassword() {
  std::string password;
  char c = 0;
  while (password.size() <= auth::kMaxPasswordBytes + 2 && std::cin.get(c)) password.push_back(c);
  if (password.ends_with("\n")) password.pop_back();
  if (password.ends_with("\r")) password.pop_back();
  LS_RETURN_IF_ERROR(control::checkPasswordLength(password));
  return password;
}

// auth.argon2_* from --config, defaults otherwise: hashes made here match
// what the server would make.
Result<auth::PasswordHashParams> hashParams(const CliArgs& args) {
  Config cfg;
  if (auto file = args.get("config")) {
    auto values = readConfigFile(*file);
    if (!values.ok()) return values.status();
    for (const auto& [key, value] : *values) {
      if (key.starts_with("auth.argon2_")) LS_RETURN_IF_ERROR(applyConfigValue(cfg, key, value));
    }
  }
  return passwordHashParams(cfg);
}

boost::json::object userJson(const UserRecord& u) {
  return boost::json::object{
      {"id", u.id}, {"email", u.email}, {"isAdmin", u.isAdmin}, {"createdAt", formatIso8601(u.createdAt)}};
}

int run(const std::string& verb, const CliArgs& args) {
  const bool json = args.has("json");
  const std::optional<std::string> email = args.get("email");
  if (verb != "list" && !email) return fail(invalidArgument("--email is required"));
  const bool needsPassword = verb == "create" || verb == "set-password";
  if (needsPassword && !args.has("password-stdin")) {
    return fail(invalidArgument("--password-stdin is required (the password is read from stdin)"));
  }
  if (!needsPassword && args.has("password-stdin")) {
    return fail(invalidArgument("--password-stdin is only for create and set-password"));
  }
  if (verb != "create" && args.has("admin")) return fail(invalidArgument("--admin is only for create"));
  if (email) {
    if (auto normalized = control::normalizeEmail(*email); !normalized.ok()) {
      return fail(invalidArgument("--email: " + normalized.status().message()));
    }
  }
  auto params = hashParams(args);
  if (!params.ok()) return fail(params.status());
  std::string password;
  if (needsPassword) {
    auto read = readPassword();
    if (!read.ok()) return fail(read.status());
    password = std::move(*read);
  }
  auto dir = openFromArgs(args);
  if (!dir.ok()) return fail(dir.status());
  SystemClock clock;
  SecureRandom random;
  control::UserService users(*dir->store, clock, random, *params);

  if (verb == "create") {
    auto created = users.create(*email, password, args.has("admin"));
    if (!created.ok()) return fail(created.status());
    if (json) {
      std::cout << boost::json::serialize(userJson(*created)) << "\n";
    } else {
      std::cout << "Created " << (created->isAdmin ? "admin " : "user ") << created->email << " (" << created->id
                << ")\n";
    }
    return 0;
  }
  if (verb == "list") {
    auto list = users.list();
    if (!list.ok()) return fail(list.status());
    if (json) {
      boost::json::array out;
      for (const UserRecord& u : *list) out.emplace_back(userJson(u));
      std::cout << boost::json::serialize(out) << "\n";
    } else {
      for (const UserRecord& u : *list) {
        std::cout << u.id << "  " << u.email << (u.isAdmin ? "  (admin)" : "") << "\n";
      }
    }
    return 0;
  }
  if (verb == "set-password") {
    if (Status s = users.setPassword(*email, password); !s.isOk()) return fail(s);
    if (json) {
      std::cout << boost::json::serialize(boost::json::object{{"email", *control::normalizeEmail(*email)},
                                                              {"passwordChanged", true}})
                << "\n";
    } else {
      std::cout << "Password changed; every session of the user is logged out.\n";
    }
    return 0;
  }
  if (Status s = users.remove(*email); !s.isOk()) return fail(s);
  if (json) {
    std::cout << boost::json::serialize(boost::json::object{{"email", *control::normalizeEmail(*email)},
                                                            {"deleted", true}})
              << "\n";
  } else {
    std::cout << "Deleted user " << *control::normalizeEmail(*email) << "\n";
  }
  return 0;
}

}  // namespace

int runUserCommand(const std::vector<std::string>& argv) {
  const auto known = [](const std::string& v) {
    return v == "create" || v == "list" || v == "set-password" || v == "delete";
  };
  if (argv.empty() || wantsHelp(argv) || !known(argv[0])) {
    std::cout << kUserHelp;
    return argv.empty() || !wantsHelp(argv) ? 2 : 0;
  }
  auto args = CliArgs::parse({argv.begin() + 1, argv.end()}, {{"email"},
                                                              {"password-stdin", false},
                                                              {"admin", false},
                                                              {"config"},
                                                              {"data-dir"},
                                                              {"database"},
                                                              {"json", false}});
  if (!args.ok()) return fail(args.status());
  return run(argv[0], *args);
}

}  // namespace ls::app
