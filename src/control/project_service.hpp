// Teams, projects and their API keys. The plaintext key exists only in the
// value returned at creation or regeneration; the store keeps its hash, so a
// regenerated key replaces the old one for every process on the same data
// at once. Thread-safe; blocking (Store).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "core/random.hpp"
#include "core/status.hpp"
#include "core/time.hpp"
#include "store/store.hpp"

namespace ls::control {

struct CreatedProject {
  Team team;
  Project project;
  std::string apiKey;  // plaintext, shown once
};

class ProjectService {
 public:
  ProjectService(Store& store, const Clock& clock, Random& random);

  // Uses the team of that name, creating it when missing.
  Result<CreatedProject> create(std::string_view projectName, std::string_view teamName);
  // Returns the new plaintext key; the old one is refused from now on.
  Result<std::string> regenerateApiKey(std::string_view projectId);
  Result<std::vector<Project>> list();
  // Original rendition only (false) or the ABR ladder too (true) for the
  // project's streams, from their next publish on.
  Status setAbrEnabled(std::string_view projectId, bool enabled);
  // kUnauthenticated "Invalid API Key" for a missing, malformed or unknown key.
  Result<Project> authenticate(std::string_view apiKey);

 private:
  Store& store_;
  const Clock& clock_;
  Random& random_;
};

}  // namespace ls::control
