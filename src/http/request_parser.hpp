// The sans-IO request parsing step the server uses: bytes in, a filled Request
// (or an error status) out, with the header and body limits enforced. The fuzz
// target drives exactly this class. Wraps Beast's basic_parser; Beast stays out
// of this header.
//
// Usage: reset(request); then feed() all received-but-unconsumed bytes, drop
// the consumed prefix, and feed again with more bytes appended (the header
// must be presented contiguously until it is complete) until state() is no
// longer kNeedMore. One RequestParser per connection; not thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "http/request.hpp"

namespace ls::http {

struct ParserLimits {
  std::size_t maxHeaderBytes = 16 * 1024;  // request line + fields; over -> 431
  std::size_t maxBodyBytes = 64 * 1024;    // Content-Length or the sum of chunks; over -> 413
};

class RequestParser {
 public:
  enum class State { kNeedMore, kComplete, kError };

  explicit RequestParser(ParserLimits limits);
  ~RequestParser();
  RequestParser(const RequestParser&) = delete;
  RequestParser& operator=(const RequestParser&) = delete;

  // Starts a new message parsed into `request` (cleared; its remote address is
  // kept). `request` must outlive the parse.
  void reset(Request& request);
  // Returns how many bytes of `data` were consumed.
  std::size_t feed(std::string_view data);

  [[nodiscard]] State state() const noexcept { return state_; }
  // When kError: 400, 413, 431 or 505.
  [[nodiscard]] int errorStatus() const noexcept { return errorStatus_; }
  // When kError: a short reason for logs and the envelope.
  [[nodiscard]] std::string_view errorReason() const noexcept { return errorReason_; }
  // Some bytes of this message arrived (feed saw data).
  [[nodiscard]] bool started() const noexcept { return started_; }
  [[nodiscard]] bool headerDone() const noexcept;
  // After the header: whether the connection may carry another request.
  [[nodiscard]] bool keepAlive() const noexcept;
  // After the header: HTTP/1.1 "Expect: 100-continue" with a body still to come.
  [[nodiscard]] bool expectsContinue() const noexcept;

 private:
  struct Impl;
  void fail(int status, std::string_view reason);

  std::unique_ptr<Impl> impl_;
  State state_ = State::kNeedMore;
  int errorStatus_ = 0;
  std::string_view errorReason_;
  bool started_ = false;
};

}  // namespace ls::http
