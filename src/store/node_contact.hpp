// What one contact with an external node does to its stored liveness
// (Store::recordNodeContact), as one pure rule that both engines apply inside
// their own transaction: they read the liveness, apply this, end the node's
// STARTED livestreams when it restarted, and write the result.
#pragma once

#include "core/model.hpp"
#include "store/store.hpp"

namespace ls {

struct NodeContactPlan {
  NodeLiveness after;
  bool cameOnline = false;       // it was OFFLINE
  bool restartDetected = false;  // end its STARTED livestreams first
};

NodeContactPlan planNodeContact(const NodeLiveness& before, const NodeContact& contact);

}  // namespace ls
