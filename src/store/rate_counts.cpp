#include "store/rate_counts.hpp"

#include <algorithm>
#include <numeric>
#include <tuple>

namespace ls::store {

Status checkRateCountDeltas(const std::vector<RateCountDelta>& deltas) {
  for (const RateCountDelta& d : deltas) {
    if (d.delta < 0) return invalidArgument("rate count delta must not be negative");
    if (d.windowMs <= 0) return invalidArgument("rate count window must be positive");
  }
  return Status::ok();
}

std::vector<std::size_t> rateCountOrder(const std::vector<RateCountDelta>& deltas) {
  std::vector<std::size_t> order(deltas.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(deltas[a].key, deltas[a].windowStart, deltas[a].windowMs) <
           std::tie(deltas[b].key, deltas[b].windowStart, deltas[b].windowMs);
  });
  return order;
}

}  // namespace ls::store
