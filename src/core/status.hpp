// Errors as values. One error type on every module boundary: a stable Code,
// a human-readable message, and optional detail lines (validation problems).
// The Code -> HTTP status and Code -> RTMP onStatus mappings each live in one
// place (api/http_errors.cpp and media/rtmp/status_map.cpp).
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace ls {

enum class Code {
  kOk = 0,
  kInvalidArgument,    // bad input from a caller (400)
  kUnauthenticated,    // missing or wrong credentials (401)
  kPermissionDenied,   // authenticated, but not allowed (403)
  kNotFound,           // no such thing, or not visible to the caller (404)
  kConflict,           // state does not allow it, e.g. a second publisher (409)
  kPayloadTooLarge,    // body or message over a limit (413)
  kRateLimited,        // too many requests (429)
  kUnavailable,        // a dependency is down or busy, e.g. a locked database (503)
  kInternal,           // a bug or an unexpected failure (500)
};

const char* codeName(Code code) noexcept;

class Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  Status(Code code, std::string message, std::vector<std::string> details)
      : code_(code), message_(std::move(message)), details_(std::move(details)) {}

  static Status ok() { return {}; }

  [[nodiscard]] bool isOk() const noexcept { return code_ == Code::kOk; }
  [[nodiscard]] Code code() const noexcept { return code_; }
  [[nodiscard]] const std::string& message() const noexcept { return message_; }
  // One line per problem (validation); empty for other errors.
  [[nodiscard]] const std::vector<std::string>& details() const noexcept { return details_; }

 private:
  Code code_ = Code::kOk;
  std::string message_;
  std::vector<std::string> details_;
};

inline Status invalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
inline Status notFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
inline Status internalError(std::string m) { return {Code::kInternal, std::move(m)}; }
inline Status unavailable(std::string m) { return {Code::kUnavailable, std::move(m)}; }

// A value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(v_).isOk() && "a Result error must carry a non-OK status");
  }

  [[nodiscard]] bool ok() const noexcept { return std::holds_alternative<T>(v_); }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  [[nodiscard]] const Status& status() const& {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  Status&& takeStatus() && { return std::get<Status>(std::move(v_)); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace ls

// Early return of a non-OK Status / Result from a function returning Status or Result.
#define LS_RETURN_IF_ERROR(expr)              \
  do {                                        \
    ::ls::Status ls_status_ = (expr);         \
    if (!ls_status_.isOk()) return ls_status_; \
  } while (false)
