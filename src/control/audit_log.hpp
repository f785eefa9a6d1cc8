// The audit log: who changed what, appended by the control services after a
// change succeeded. A failed append is logged and never fails the change it
// records (the change has happened; refusing to report it would be worse).
// The partner API's own creates and deletes are not audited per request
// (they are the partner's routine traffic, not administration).
// Thread-safe; blocking (Store).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model.hpp"
#include "core/random.hpp"
#include "core/status.hpp"
#include "core/time.hpp"
#include "store/store.hpp"

namespace ls::control {

// Action names (AuditEntry::action). Stable: the dashboard and exports
// filter on them. The member/invitation ones are for the teams work.
namespace audit {
inline constexpr std::string_view kTeamCreated = "team.created";
inline constexpr std::string_view kTeamRenamed = "team.renamed";
inline constexpr std::string_view kTeamDeleted = "team.deleted";
inline constexpr std::string_view kMemberAdded = "team.member.added";
inline constexpr std::string_view kMemberRoleChanged = "team.member.role_changed";
inline constexpr std::string_view kMemberRemoved = "team.member.removed";
inline constexpr std::string_view kInvitationCreated = "team.invitation.created";
inline constexpr std::string_view kInvitationRevoked = "team.invitation.revoked";
inline constexpr std::string_view kInvitationAccepted = "team.invitation.accepted";
inline constexpr std::string_view kProjectCreated = "project.created";
inline constexpr std::string_view kProjectRenamed = "project.renamed";
inline constexpr std::string_view kProjectDeleted = "project.deleted";
inline constexpr std::string_view kProjectAbrChanged = "project.abr.changed";
inline constexpr std::string_view kProjectRateLimitChanged = "project.rate_limit.changed";
inline constexpr std::string_view kApiKeyRegenerated = "project.api_key.regenerated";
inline constexpr std::string_view kMediaServerCreated = "media_server.created";
inline constexpr std::string_view kMediaServerUpdated = "media_server.updated";
inline constexpr std::string_view kMediaServerRemoved = "media_server.removed";
inline constexpr std::string_view kNodeSecretRotated = "media_server.node_secret.rotated";
inline constexpr std::string_view kLivestreamDeleted = "livestream.deleted";
inline constexpr std::string_view kLivestreamCreated = "livestream.created";
inline constexpr std::string_view kLivestreamRenamed = "livestream.renamed";
inline constexpr std::string_view kPushTokenIssued = "livestream.push_token.issued";
inline constexpr std::string_view kUserCreated = "user.created";
inline constexpr std::string_view kUserDeleted = "user.deleted";
inline constexpr std::string_view kUserPasswordChanged = "user.password_changed";
inline constexpr std::string_view kUserAdminChanged = "user.admin_changed";
inline constexpr std::string_view kSigningKeyRotated = "signing_key.rotated";
inline constexpr std::string_view kSigningKeyRetired = "signing_key.retired";
inline constexpr std::string_view kWebhookCreated = "webhook.created";
inline constexpr std::string_view kWebhookUpdated = "webhook.updated";
inline constexpr std::string_view kWebhookDeleted = "webhook.deleted";
inline constexpr std::string_view kWebhookSecretRotated = "webhook.secret.rotated";
inline constexpr std::string_view kWebhookEventResent = "webhook.event.resent";
inline constexpr std::string_view kWebhookTestSent = "webhook.test.sent";
}  // namespace audit

// One detail of an entry: a string, or a JSON literal (a number, true/false,
// null, or an object/array already serialized).
struct AuditDetail {
  std::string key;
  std::string value;
  bool literal = false;
};

struct AuditRecord {
  std::string_view action;
  std::string teamId;
  std::string projectId;
  std::string targetType;  // "team", "project", "media_server", "livestream", "member", ...
  std::string targetId;
  std::vector<AuditDetail> details;
};

// {"a":"x","n":5}: strings escaped for JSON, literals as given.
std::string detailsJson(const std::vector<AuditDetail>& details);
AuditDetail textDetail(std::string key, std::string value);
AuditDetail numberDetail(std::string key, std::int64_t value);
AuditDetail boolDetail(std::string key, bool value);

class AuditLog {
 public:
  AuditLog(Store& store, const Clock& clock, Random& random);

  // Appends one entry now; a failure is logged (with the action and target)
  // and swallowed.
  void record(const Actor& actor, const AuditRecord& record);
  // Newest first; kInvalidArgument for a page or limit below 1.
  Result<Page<AuditEntry>> list(const AuditQuery& query);

 private:
  Store& store_;
  const Clock& clock_;
  Random& random_;
};

}  // namespace ls::control
