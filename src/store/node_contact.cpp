#include "store/node_contact.hpp"

namespace ls {

namespace {

// A hook sequence that fell far below the highest seen: the node's counter
// restarted from 0 with its process. Concurrent hooks arrive a little out of
// order, so only a fall to under half of a clearly larger value counts.
bool hookSequenceRestarted(std::int64_t last, std::int64_t now) {
  constexpr std::int64_t kReorderSlack = 32;
  return last >= 0 && now < last && last - now > kReorderSlack && now < last / 2;
}

}  // namespace

NodeContactPlan planNodeContact(const NodeLiveness& before, const NodeContact& contact) {
  NodeContactPlan plan;
  NodeLiveness& l = plan.after;
  l = before;
  plan.cameOnline = l.offlineSince.has_value();
  plan.restartDetected =
      contact.started || (contact.hookIndex && hookSequenceRestarted(l.lastHookIndex, *contact.hookIndex));
  if (plan.restartDetected) {
    l.lastHookIndex = contact.hookIndex.value_or(-1);
  } else if (contact.hookIndex && *contact.hookIndex > l.lastHookIndex) {
    l.lastHookIndex = *contact.hookIndex;
  }
  if (!l.lastSeenAt || *l.lastSeenAt < contact.at) l.lastSeenAt = contact.at;
  if (contact.heartbeat && (!l.heartbeatAt || *l.heartbeatAt < contact.at)) l.heartbeatAt = contact.at;
  if (contact.keepaliveIntervalMs > 0) l.keepaliveIntervalMs = contact.keepaliveIntervalMs;
  l.offlineSince.reset();
  return plan;
}

}  // namespace ls
