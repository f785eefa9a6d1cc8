// A sans-IO reader of one HTTP/1.1 response (RFC 9112) at a time on a
// keep-alive connection: status line, the headers a client of HLS needs
// (Content-Length, Transfer-Encoding, Connection), and the body, kept for
// playlists or only counted for segments. Chunked bodies are decoded too.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "core/status.hpp"

namespace ls::loadgen {

class HttpResponseReader {
 public:
  // Starts a new response; keepBody keeps the body text (playlists).
  void reset(bool keepBody);

  // Consumes bytes of `in` and returns how many; stops at the end of the
  // response (the rest belongs to the next one). Errors are final.
  Result<std::size_t> feed(std::span<const char> in);
  // The peer closed the connection: ends a body delimited by the close.
  Status onEof();

  [[nodiscard]] bool done() const noexcept { return phase_ == Phase::kDone; }
  [[nodiscard]] int status() const noexcept { return status_; }
  [[nodiscard]] bool keepAlive() const noexcept { return keepAlive_; }
  [[nodiscard]] std::uint64_t bodyBytes() const noexcept { return bodyBytes_; }
  [[nodiscard]] const std::string& body() const noexcept { return body_; }
  // The first body byte (0x47 starts an MPEG-TS segment), -1 for an empty body.
  [[nodiscard]] int firstBodyByte() const noexcept { return firstByte_; }

 private:
  enum class Phase { kHeaders, kBody, kChunkSize, kChunkData, kChunkDataEnd, kTrailers, kDone };
  static constexpr std::size_t kMaxHeaderBytes = 64 * 1024;

  Status parseHeaders();
  void takeBody(std::span<const char> bytes);
  Result<std::size_t> feedChunked(std::span<const char> in);

  Phase phase_ = Phase::kHeaders;
  bool keepBody_ = false;
  std::string head_;  // headers until the blank line, then the current chunk-size line
  std::string body_;
  int status_ = 0;
  bool keepAlive_ = true;
  bool untilClose_ = false;
  std::uint64_t remaining_ = 0;
  std::uint64_t bodyBytes_ = 0;
  int firstByte_ = -1;
};

}  // namespace ls::loadgen
