#include "app/keys_command.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <iostream>

#include "app/cli_args.hpp"
#include "app/cli_common.hpp"
#include "app/config.hpp"
#include "control/signing_keys.hpp"
#include "core/time.hpp"

namespace ls::app {

namespace {

constexpr const char* kKeysHelp = R"(Usage: lunarstream keys COMMAND [options]

Push-token signing keys, kept in the database and shared by every server on
it. A running server reads them again every keys.reload_seconds (30).

  list [--json]              every key: kid, created, activates, retires and
                             its state (active: signs new tokens; next: not
                             yet active, already verifies; verifying: older,
                             still verifies; retired: neither)
  rotate [--activate-after SECONDS]
                             adds a new key, active after SECONDS (default:
                             twice keys.reload_seconds, so every server can
                             verify its tokens before any signs with it); the
                             key active now retires 30 days (the longest push
                             token lifetime) after the new key activates
  retire --kid KID           retires a key now (a compromised key): tokens it
                             signed stop working at once, on every server
                             within keys.reload_seconds. Retiring the active
                             key leaves the newest older key signing, or none
                             (then `keys rotate --activate-after 0`)

Options:
  --database URL   PostgreSQL, postgres://USER:PASS@HOST:PORT/DB
                   (default: LUNARSTREAM_DATABASE_URL, else SQLite in the data dir)
  --data-dir DIR   data directory holding lunarstream.db (default: ./data)
  --config FILE    the server's config file, for keys.reload_seconds
)";

std::string timeText(std::optional<UnixMillis> at) { return at ? formatIso8601(*at) : std::string("-"); }

int list(const CliArgs& args) {
  auto dir = openFromArgs(args);
  if (!dir.ok()) return fail(dir.status());
  auto keys = dir->store->listSigningKeys();
  if (!keys.ok()) return fail(keys.status());
  const control::KeySchedule schedule = control::scheduleKeys(*keys, SystemClock().now());
  if (args.has("json")) {
    boost::json::array out;
    for (std::size_t i = 0; i < keys->size(); ++i) {
      const SigningKeyRecord& k = (*keys)[i];
      boost::json::object o{{"kid", k.kid},
                            {"createdAt", formatIso8601(k.createdAt)},
                            {"activatesAt", formatIso8601(k.activatesAt)},
                            {"state", control::toString(schedule.states[i])}};
      o["retiresAt"] = k.retiresAt ? boost::json::value(formatIso8601(*k.retiresAt)) : boost::json::value(nullptr);
      out.push_back(std::move(o));
    }
    std::cout << boost::json::serialize(out) << "\n";
    return 0;
  }
  std::cout << "kid                                          state      created                  activates"
               "                retires\n";
  for (std::size_t i = 0; i < keys->size(); ++i) {
    const SigningKeyRecord& k = (*keys)[i];
    std::string state = control::toString(schedule.states[i]);
    state.resize(10, ' ');
    std::cout << k.kid << "  " << state << " " << formatIso8601(k.createdAt) << " " << formatIso8601(k.activatesAt)
              << " " << timeText(k.retiresAt) << "\n";
  }
  return 0;
}

Result<std::int64_t> reloadSeconds(const CliArgs& args) {
  Config cfg;
  if (auto file = args.get("config")) {
    auto values = readConfigFile(*file);
    if (!values.ok()) return values.status();
    if (auto it = values->find("keys.reload_seconds"); it != values->end()) {
      LS_RETURN_IF_ERROR(applyConfigValue(cfg, it->first, it->second));
    }
  }
  return cfg.keysReloadSeconds;
}

int rotate(const CliArgs& args) {
  auto reload = reloadSeconds(args);
  if (!reload.ok()) return fail(reload.status());
  std::int64_t activateAfter = 2 * *reload;
  if (auto text = args.get("activate-after")) {
    const char* end = text->data() + text->size();
    const auto parsed = std::from_chars(text->data(), end, activateAfter);
    if (parsed.ec != std::errc() || parsed.ptr != end || activateAfter < 0 || activateAfter > 31'536'000) {
      return fail(invalidArgument("--activate-after: must be whole seconds, 0..31536000"));
    }
  }
  auto dir = openFromArgs(args);
  if (!dir.ok()) return fail(dir.status());
  SystemClock clock;
  auto rotation = control::rotateSigningKey(*dir->store, clock, activateAfter * 1000);
  if (!rotation.ok()) return fail(rotation.status());
  std::cout << "added key " << rotation->added.kid << ": signs from " << formatIso8601(rotation->added.activatesAt)
            << "\n";
  if (rotation->retiring) {
    std::cout << "key " << rotation->retiring->kid << " signs until then and verifies until "
              << formatIso8601(rotation->retiring->at) << "\n";
  }
  return 0;
}

int retire(const CliArgs& args) {
  const auto kid = args.get("kid");
  if (!kid || kid->empty()) return fail(invalidArgument("keys retire needs --kid KID (see `lunarstream keys list`)"));
  auto dir = openFromArgs(args);
  if (!dir.ok()) return fail(dir.status());
  const UnixMillis now = SystemClock().now();
  if (Status s = dir->store->retireSigningKey({.kid = *kid, .at = now}); !s.isOk()) return fail(s);
  std::cout << "key " << *kid << " retired: its push tokens are refused from now on (every server within "
            << "keys.reload_seconds)\n";
  auto keys = dir->store->listSigningKeys();
  if (keys.ok() && !control::scheduleKeys(*keys, now).active) {
    std::cout << "no key is active now: `lunarstream keys rotate --activate-after 0` adds one\n";
  }
  return 0;
}

}  // namespace

int runKeysCommand(const std::vector<std::string>& argv) {
  if (argv.empty() || wantsHelp(argv)) {
    std::cout << kKeysHelp;
    return argv.empty() ? 2 : 0;
  }
  const std::string& sub = argv[0];
  const std::vector<std::string> rest(argv.begin() + 1, argv.end());
  if (sub == "list") {
    auto args = CliArgs::parse(rest, {{"data-dir"}, {"database"}, {"config"}, {"json", false}});
    if (!args.ok()) return fail(args.status());
    return list(*args);
  }
  if (sub == "rotate") {
    auto args = CliArgs::parse(rest, {{"data-dir"}, {"database"}, {"config"}, {"activate-after"}});
    if (!args.ok()) return fail(args.status());
    return rotate(*args);
  }
  if (sub == "retire") {
    auto args = CliArgs::parse(rest, {{"data-dir"}, {"database"}, {"config"}, {"kid"}});
    if (!args.ok()) return fail(args.status());
    return retire(*args);
  }
  std::cerr << "error: unknown keys command '" << sub << "'\n\n" << kKeysHelp;
  return 2;
}

}  // namespace ls::app
