#include "control/health_service.hpp"

namespace ls::control {

Status HealthService::check() const {
  if (Status read = store_.ping(); !read.isOk()) {
    return Status(Code::kUnavailable, "database unavailable: " + read.message());
  }
  if (Status write = store_.probeWrite(); !write.isOk()) {
    return Status(Code::kUnavailable, "database not writable: " + write.message());
  }
  return Status::ok();
}

}  // namespace ls::control
