// What both engines check in a usage batch (Store::applyUsageBatch).
#pragma once

#include "core/status.hpp"
#include "core/usage.hpp"

namespace ls::store {

Status checkUsageBatch(const usage::UsageBatch& batch);
Status checkUsageRange(UnixMillis from, UnixMillis to);

}  // namespace ls::store
