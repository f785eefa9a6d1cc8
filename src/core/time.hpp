// Time as integer milliseconds since the Unix epoch, and the Clock seam that
// lets tests move time by hand.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ls {

using UnixMillis = std::int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time; thread-safe.
  [[nodiscard]] virtual UnixMillis now() const = 0;
};

class SystemClock final : public Clock {
 public:
  [[nodiscard]] UnixMillis now() const override;
};

// A clock for tests: starts where told and moves only when advanced.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(UnixMillis start) : now_(start) {}
  [[nodiscard]] UnixMillis now() const override { return now_; }
  void advance(UnixMillis ms) { now_ += ms; }
  void set(UnixMillis t) { now_ = t; }

 private:
  UnixMillis now_;
};

// "2026-01-12T18:12:38.918Z"
std::string formatIso8601(UnixMillis t);
std::optional<UnixMillis> parseIso8601(std::string_view s);

}  // namespace ls
