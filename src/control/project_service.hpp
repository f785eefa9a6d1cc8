// Teams, projects and their API keys: every administrative change to them,
// for the admin CLI and the administration API alike (both call these).
// Each change is recorded in the audit log after it succeeded, with the
// actor that made it. The plaintext key exists only in the value returned at
// creation or regeneration; the store keeps its hash, so a regenerated key
// replaces the old one for every process on the same data at once (keys are
// looked up by hash on every request; nothing caches them). Thread-safe;
// blocking (Store).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "control/audit_log.hpp"
#include "core/model.hpp"
#include "core/random.hpp"
#include "core/status.hpp"
#include "core/time.hpp"
#include "store/store.hpp"

namespace ls::control {

class LivestreamService;

struct CreatedProject {
  Team team;
  Project project;
  std::string apiKey;  // plaintext, shown once
};

struct DeletedProject {
  Project project;
  std::int64_t livestreamsDeleted = 0;
  // Live publishers that were cut, and why others could not be (external
  // nodes without an API); the node refuses their keys' next publish anyway.
  std::int64_t publishersCut = 0;
  std::vector<std::string> problems;
};

// Bounds of a project's own partner limits.
inline constexpr std::int64_t kMaxRequestsPerWindow = 1'000'000'000;
// kInvalidArgument naming each bound a limit breaks.
Status validateRateLimit(const ProjectRateLimit& limit);

class ProjectService {
 public:
  ProjectService(Store& store, const Clock& clock, Random& random);

  // Teams. Names are 1..255 bytes and unique (kConflict).
  Result<Team> createTeam(std::string_view name, const Actor& actor);
  Result<std::vector<Team>> listTeams();
  Result<Team> getTeam(std::string_view teamId);
  Result<Team> renameTeam(std::string_view teamId, std::string_view name, const Actor& actor);
  // kConflict while the team has projects.
  Status deleteTeam(std::string_view teamId, const Actor& actor);

  // Uses the team of that name, creating it when missing.
  Result<CreatedProject> create(std::string_view projectName, std::string_view teamName, const Actor& actor);
  // In an existing team (kNotFound otherwise).
  Result<CreatedProject> createInTeam(std::string_view teamId, std::string_view projectName, bool abrEnabled,
                                      const Actor& actor);
  Result<Project> get(std::string_view projectId);
  Result<std::vector<Project>> list();
  Result<std::vector<Project>> listOfTeam(std::string_view teamId);
  Result<Project> rename(std::string_view projectId, std::string_view name, const Actor& actor);
  // Returns the new plaintext key; the old one is refused from now on.
  Result<std::string> regenerateApiKey(std::string_view projectId, const Actor& actor);
  // Original rendition only (false) or the ABR ladder too (true) for the
  // project's streams, from their next publish on.
  Result<Project> setAbrEnabled(std::string_view projectId, bool enabled, const Actor& actor);
  // The project's own partner limits; nullopt = the configured defaults.
  // Enforced from the project's next request on.
  Result<Project> setRateLimit(std::string_view projectId, const std::optional<ProjectRateLimit>& limit,
                               const Actor& actor);
  // Deletes the project's livestreams through `livestreams` (cutting live
  // publishers as the partner DELETE does), then the project itself (with
  // any livestream created meanwhile). Usage rows are kept.
  Result<DeletedProject> remove(std::string_view projectId, LivestreamService& livestreams, const Actor& actor);

  // kUnauthenticated "Invalid API Key" for a missing, malformed or unknown key.
  Result<Project> authenticate(std::string_view apiKey);

  Result<Page<AuditEntry>> auditLog(const AuditQuery& query) { return audit_.list(query); }

 private:
  Result<Team> findOrCreateTeam(std::string_view teamName, const Actor& actor);
  Result<CreatedProject> insertProject(Team team, std::string_view projectName, bool abrEnabled, const Actor& actor);

  Store& store_;
  const Clock& clock_;
  Random& random_;
  AuditLog audit_;
};

}  // namespace ls::control
