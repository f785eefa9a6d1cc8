#include "control/audit_log.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>

#include "core/log_text.hpp"

namespace ls::control {

namespace {

void appendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

}  // namespace

std::string detailsJson(const std::vector<AuditDetail>& details) {
  std::string out = "{";
  for (std::size_t i = 0; i < details.size(); ++i) {
    if (i > 0) out.push_back(',');
    appendJsonString(out, details[i].key);
    out.push_back(':');
    if (details[i].literal) {
      out += details[i].value;
    } else {
      appendJsonString(out, details[i].value);
    }
  }
  out.push_back('}');
  return out;
}

AuditDetail textDetail(std::string key, std::string value) { return {std::move(key), std::move(value), false}; }
AuditDetail numberDetail(std::string key, std::int64_t value) { return {std::move(key), std::to_string(value), true}; }
AuditDetail boolDetail(std::string key, bool value) { return {std::move(key), value ? "true" : "false", true}; }

AuditLog::AuditLog(Store& store, const Clock& clock, Random& random) : store_(store), clock_(clock), random_(random) {}

void AuditLog::record(const Actor& actor, const AuditRecord& record) {
  AuditEntry entry;
  entry.id = newUuidV4(random_);
  entry.at = clock_.now();
  entry.actor = actor;
  entry.action = std::string(record.action);
  entry.teamId = record.teamId;
  entry.projectId = record.projectId;
  entry.targetType = record.targetType;
  entry.targetId = record.targetId;
  entry.detailsJson = detailsJson(record.details);
  if (const Status s = store_.insertAuditEntry(entry); !s.isOk()) {
    spdlog::error("audit log: could not record {} of {} {} by {} {}: {}", entry.action, entry.targetType,
                  entry.targetId, toString(actor.type), logText(actor.label.empty() ? actor.id : actor.label),
                  s.message());
  }
}

Result<Page<AuditEntry>> AuditLog::list(const AuditQuery& query) { return store_.listAuditEntries(query); }

}  // namespace ls::control
