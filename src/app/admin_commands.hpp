// Administration from the shell, safe while the server runs on the same data
// dir: project, apikey regenerate, team, audit-log, media-server, node.
// Each returns the process exit code and prints to stdout (results) and
// stderr (errors).
#pragma once

#include <string>
#include <vector>

namespace ls::app {

int runProjectCommand(const std::vector<std::string>& args);
int runApiKeyCommand(const std::vector<std::string>& args);
int runMediaServerCommand(const std::vector<std::string>& args);
int runNodeCommand(const std::vector<std::string>& args);
int runTeamCommand(const std::vector<std::string>& args);
// team members|add-member|set-role|remove-member|invite (team_member_command.cpp).
bool isTeamMemberCommand(const std::string& verb);
int runTeamMemberCommand(const std::string& verb, const std::vector<std::string>& args);
int runAuditLogCommand(const std::vector<std::string>& args);
// user create|list|set-password|delete (user_command.cpp).
int runUserCommand(const std::vector<std::string>& args);
// webhook add|list|update|remove|rotate-secret|attempts|events|resend|test (webhook_command.cpp).
int runWebhookCommand(const std::vector<std::string>& args);

}  // namespace ls::app
