// Whether this node can serve the partner API: the store answers a read and
// commits a write (a full or read-only disk still serves reads while every
// create fails, so a load balancer must see the write side). Thread-safe.
#pragma once

#include "core/status.hpp"
#include "store/store.hpp"

namespace ls::control {

class HealthService {
 public:
  explicit HealthService(Store& store) : store_(store) {}

  // OK, or kUnavailable with "database unavailable: ..." (reads fail) or
  // "database not writable: ..." (writes fail; the probe is cached ~1 s).
  [[nodiscard]] Status check() const;

 private:
  Store& store_;
};

}  // namespace ls::control
