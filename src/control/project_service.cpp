#include "control/project_service.hpp"

#include "auth/api_key.hpp"
#include "control/livestream_service.hpp"

namespace ls::control {

namespace {
constexpr std::size_t kMaxNameLength = 255;
// Livestreams removed per page while deleting a project, and at most how many pages.
constexpr std::int64_t kDeletePage = 100;
constexpr int kMaxDeleteRounds = 100'000;

Status validateName(std::string_view what, std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) {
    return invalidArgument(std::string(what) + " name must be 1 to 255 characters");
  }
  return Status::ok();
}

Status teamNotFound(std::string_view id) { return notFound("team " + std::string(id) + " not found"); }
Status projectNotFound(std::string_view id) { return notFound("project " + std::string(id) + " not found"); }

AuditRecord teamRecord(std::string_view action, const Team& team) {
  return AuditRecord{action, team.id, "", "team", team.id, {textDetail("name", team.name)}};
}

AuditRecord projectRecord(std::string_view action, const Project& project) {
  return AuditRecord{action, project.teamId, project.id, "project", project.id, {}};
}

std::string rateLimitJson(const std::optional<ProjectRateLimit>& limit) {
  if (!limit) return "null";
  return detailsJson({numberDetail("perMinute", limit->perMinute), numberDetail("perHour", limit->perHour)});
}
}  // namespace

Status validateRateLimit(const ProjectRateLimit& limit) {
  std::vector<std::string> problems;
  if (limit.perMinute < 1 || limit.perMinute > kMaxRequestsPerWindow) {
    problems.push_back("rateLimit.perMinute must be an integer from 1 to 1000000000");
  }
  if (limit.perHour < 1 || limit.perHour > kMaxRequestsPerWindow) {
    problems.push_back("rateLimit.perHour must be an integer from 1 to 1000000000");
  }
  if (problems.empty()) return Status::ok();
  std::string first = problems.front();
  return Status(Code::kInvalidArgument, std::move(first), std::move(problems));
}

ProjectService::ProjectService(Store& store, const Clock& clock, Random& random)
    : store_(store), clock_(clock), random_(random), audit_(store, clock, random) {}

// Teams ---------------------------------------------------------------------

Result<Team> ProjectService::createTeam(std::string_view name, const Actor& actor) {
  LS_RETURN_IF_ERROR(validateName("team", name));
  Team team;
  team.id = newUuidV4(random_);
  team.name = std::string(name);
  team.createdAt = clock_.now();
  auto inserted = store_.insertTeam(team);
  if (!inserted.ok()) {
    if (inserted.status().code() == Code::kConflict) return Status(Code::kConflict, "a team with that name exists");
    return std::move(inserted).takeStatus();
  }
  audit_.record(actor, teamRecord(audit::kTeamCreated, team));
  return team;
}

Result<std::vector<Team>> ProjectService::listTeams() { return store_.listTeams(); }

Result<Team> ProjectService::getTeam(std::string_view teamId) {
  auto team = store_.findTeam(teamId);
  if (!team.ok()) return std::move(team).takeStatus();
  if (!team->has_value()) return teamNotFound(teamId);
  return std::move(**team);
}

Result<Team> ProjectService::renameTeam(std::string_view teamId, std::string_view name, const Actor& actor) {
  LS_RETURN_IF_ERROR(validateName("team", name));
  auto team = getTeam(teamId);
  if (!team.ok()) return team;
  const Status renamed = store_.renameTeam(teamId, name);
  if (renamed.code() == Code::kConflict) return Status(Code::kConflict, "a team with that name exists");
  LS_RETURN_IF_ERROR(renamed);
  AuditRecord record = teamRecord(audit::kTeamRenamed, *team);
  record.details = {textDetail("from", team->name), textDetail("to", std::string(name))};
  team->name = std::string(name);
  audit_.record(actor, record);
  return team;
}

Status ProjectService::deleteTeam(std::string_view teamId, const Actor& actor) {
  auto team = getTeam(teamId);
  if (!team.ok()) return team.status();
  LS_RETURN_IF_ERROR(store_.deleteTeam(teamId));
  audit_.record(actor, teamRecord(audit::kTeamDeleted, *team));
  return Status::ok();
}

// Projects ------------------------------------------------------------------

Result<Team> ProjectService::findOrCreateTeam(std::string_view teamName, const Actor& actor) {
  auto existing = store_.findTeamByName(teamName);
  if (!existing.ok()) return std::move(existing).takeStatus();
  if (existing->has_value()) return std::move(**existing);
  auto created = createTeam(teamName, actor);
  if (created.ok() || created.status().code() != Code::kConflict) return created;
  // Another process created the same team a moment ago.
  auto again = store_.findTeamByName(teamName);
  if (!again.ok()) return std::move(again).takeStatus();
  if (!again->has_value()) return created;
  return std::move(**again);
}

Result<CreatedProject> ProjectService::create(std::string_view projectName, std::string_view teamName,
                                              const Actor& actor) {
  LS_RETURN_IF_ERROR(validateName("project", projectName));
  LS_RETURN_IF_ERROR(validateName("team", teamName));
  auto team = findOrCreateTeam(teamName, actor);
  if (!team.ok()) return std::move(team).takeStatus();
  return insertProject(std::move(*team), projectName, true, actor);
}

Result<CreatedProject> ProjectService::createInTeam(std::string_view teamId, std::string_view projectName,
                                                    bool abrEnabled, const Actor& actor) {
  LS_RETURN_IF_ERROR(validateName("project", projectName));
  auto team = getTeam(teamId);
  if (!team.ok()) return std::move(team).takeStatus();
  return insertProject(std::move(*team), projectName, abrEnabled, actor);
}

Result<CreatedProject> ProjectService::insertProject(Team team, std::string_view projectName, bool abrEnabled,
                                                     const Actor& actor) {
  const auth::IssuedApiKey key = auth::issueApiKey(random_);
  Project project;
  project.id = newUuidV4(random_);
  project.teamId = team.id;
  project.name = std::string(projectName);
  project.apiKeyHash = key.hash;
  project.abrEnabled = abrEnabled;
  project.createdAt = clock_.now();
  auto inserted = store_.insertProject(project);
  if (!inserted.ok()) return std::move(inserted).takeStatus();
  AuditRecord record = projectRecord(audit::kProjectCreated, project);
  record.details = {textDetail("name", project.name), boolDetail("abrEnabled", abrEnabled)};
  audit_.record(actor, record);
  return CreatedProject{std::move(team), std::move(*inserted), key.plaintext};
}

Result<Project> ProjectService::get(std::string_view projectId) {
  auto project = store_.findProject(projectId);
  if (!project.ok()) return std::move(project).takeStatus();
  if (!project->has_value()) return projectNotFound(projectId);
  return std::move(**project);
}

Result<std::vector<Project>> ProjectService::list() { return store_.listProjects(); }

Result<std::vector<Project>> ProjectService::listOfTeam(std::string_view teamId) {
  LS_RETURN_IF_ERROR(getTeam(teamId).status());
  return store_.listProjectsOfTeam(teamId);
}

Result<Project> ProjectService::rename(std::string_view projectId, std::string_view name, const Actor& actor) {
  LS_RETURN_IF_ERROR(validateName("project", name));
  auto project = get(projectId);
  if (!project.ok()) return project;
  LS_RETURN_IF_ERROR(store_.renameProject(projectId, name));
  AuditRecord record = projectRecord(audit::kProjectRenamed, *project);
  record.details = {textDetail("from", project->name), textDetail("to", std::string(name))};
  project->name = std::string(name);
  audit_.record(actor, record);
  return project;
}

Result<std::string> ProjectService::regenerateApiKey(std::string_view projectId, const Actor& actor) {
  auto project = get(projectId);
  if (!project.ok()) return std::move(project).takeStatus();
  const auth::IssuedApiKey key = auth::issueApiKey(random_);
  LS_RETURN_IF_ERROR(store_.setProjectApiKeyHash(projectId, key.hash));
  audit_.record(actor, projectRecord(audit::kApiKeyRegenerated, *project));
  return key.plaintext;
}

Result<Project> ProjectService::setAbrEnabled(std::string_view projectId, bool enabled, const Actor& actor) {
  auto project = get(projectId);
  if (!project.ok()) return project;
  LS_RETURN_IF_ERROR(store_.setProjectAbrEnabled(projectId, enabled));
  AuditRecord record = projectRecord(audit::kProjectAbrChanged, *project);
  record.details = {boolDetail("from", project->abrEnabled), boolDetail("to", enabled)};
  project->abrEnabled = enabled;
  audit_.record(actor, record);
  return project;
}

Result<Project> ProjectService::setRateLimit(std::string_view projectId, const std::optional<ProjectRateLimit>& limit,
                                             const Actor& actor) {
  if (limit) LS_RETURN_IF_ERROR(validateRateLimit(*limit));
  auto project = get(projectId);
  if (!project.ok()) return project;
  LS_RETURN_IF_ERROR(store_.setProjectRateLimit(projectId, limit));
  AuditRecord record = projectRecord(audit::kProjectRateLimitChanged, *project);
  record.details = {AuditDetail{"from", rateLimitJson(project->rateLimit), true},
                    AuditDetail{"to", rateLimitJson(limit), true}};
  project->rateLimit = limit;
  audit_.record(actor, record);
  return project;
}

Result<DeletedProject> ProjectService::remove(std::string_view projectId, LivestreamService& livestreams,
                                              const Actor& actor) {
  auto project = get(projectId);
  if (!project.ok()) return std::move(project).takeStatus();
  DeletedProject deleted;
  for (int round = 0; round < kMaxDeleteRounds; ++round) {
    LivestreamQuery query;
    query.projectId = project->id;
    query.limit = kDeletePage;
    query.now = clock_.now();
    auto page = store_.listLivestreams(query);
    if (!page.ok()) return std::move(page).takeStatus();
    if (page->items.empty()) break;
    for (const Livestream& l : page->items) {
      auto removed = livestreams.remove(*project, l.id);
      if (!removed.ok()) {
        if (removed.status().code() == Code::kNotFound) continue;  // deleted meanwhile
        return std::move(removed).takeStatus();
      }
      ++deleted.livestreamsDeleted;
      if (removed->publisher) {
        if (removed->publisher->cut) ++deleted.publishersCut;
        if (!removed->publisher->problem.empty()) deleted.problems.push_back(removed->publisher->problem);
      }
    }
  }
  LS_RETURN_IF_ERROR(store_.deleteProject(projectId));
  AuditRecord record = projectRecord(audit::kProjectDeleted, *project);
  record.details = {textDetail("name", project->name), numberDetail("livestreamsDeleted", deleted.livestreamsDeleted),
                    numberDetail("publishersCut", deleted.publishersCut)};
  audit_.record(actor, record);
  deleted.project = std::move(*project);
  return deleted;
}

Result<Project> ProjectService::authenticate(std::string_view apiKey) {
  const Status invalid(Code::kUnauthenticated, "Invalid API Key");
  if (!auth::isWellFormedApiKey(apiKey)) return invalid;
  auto project = store_.findProjectByApiKeyHash(auth::hashApiKey(apiKey));
  if (!project.ok()) return std::move(project).takeStatus();
  if (!project->has_value()) return invalid;
  return std::move(**project);
}

}  // namespace ls::control
