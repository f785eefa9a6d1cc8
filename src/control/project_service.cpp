#include "control/project_service.hpp"

#include "auth/api_key.hpp"

namespace ls::control {

namespace {
constexpr std::size_t kMaxNameLength = 255;

Status validateName(std::string_view what, std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) {
    return invalidArgument(std::string(what) + " name must be 1 to 255 characters");
  }
  return Status::ok();
}
}  // namespace

ProjectService::ProjectService(Store& store, const Clock& clock, Random& random)
    : store_(store), clock_(clock), random_(random) {}

Result<CreatedProject> ProjectService::create(std::string_view projectName, std::string_view teamName) {
  LS_RETURN_IF_ERROR(validateName("project", projectName));
  LS_RETURN_IF_ERROR(validateName("team", teamName));
  auto existing = store_.findTeamByName(teamName);
  if (!existing.ok()) return std::move(existing).takeStatus();
  Team team;
  if (existing->has_value()) {
    team = std::move(**existing);
  } else {
    team.id = newUuidV4(random_);
    team.name = std::string(teamName);
    team.createdAt = clock_.now();
    auto inserted = store_.insertTeam(team);
    if (!inserted.ok()) {
      // Another process may have created the same team a moment ago.
      if (inserted.status().code() != Code::kConflict) return std::move(inserted).takeStatus();
      auto again = store_.findTeamByName(teamName);
      if (!again.ok()) return std::move(again).takeStatus();
      if (!again->has_value()) return std::move(inserted).takeStatus();
      team = std::move(**again);
    }
  }

  const auth::IssuedApiKey key = auth::issueApiKey(random_);
  Project project;
  project.id = newUuidV4(random_);
  project.teamId = team.id;
  project.name = std::string(projectName);
  project.apiKeyHash = key.hash;
  project.createdAt = clock_.now();
  auto inserted = store_.insertProject(project);
  if (!inserted.ok()) return std::move(inserted).takeStatus();
  return CreatedProject{std::move(team), std::move(*inserted), key.plaintext};
}

Result<std::string> ProjectService::regenerateApiKey(std::string_view projectId) {
  const auth::IssuedApiKey key = auth::issueApiKey(random_);
  LS_RETURN_IF_ERROR(store_.setProjectApiKeyHash(projectId, key.hash));
  return key.plaintext;
}

Result<std::vector<Project>> ProjectService::list() { return store_.listProjects(); }

Status ProjectService::setAbrEnabled(std::string_view projectId, bool enabled) {
  return store_.setProjectAbrEnabled(projectId, enabled);
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
