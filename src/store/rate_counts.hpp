// What both engines check and how they order a batch of rate-count deltas.
#pragma once

#include <cstddef>
#include <vector>

#include "core/status.hpp"
#include "store/store.hpp"

namespace ls::store {

Status checkRateCountDeltas(const std::vector<RateCountDelta>& deltas);
// Indexes of `deltas` by (key, windowStart, windowMs): every process upserts
// rows in the same order, so concurrent batches cannot deadlock each other.
std::vector<std::size_t> rateCountOrder(const std::vector<RateCountDelta>& deltas);

}  // namespace ls::store
