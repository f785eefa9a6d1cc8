// What a handler returns, and the product-wide error envelope (SPEC §3).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"

namespace ls::http {

inline constexpr std::string_view kJsonContentType = "application/json; charset=utf-8";

struct Response {
  int status = 200;
  // Extra headers, written as given (after validation). The server owns framing:
  // Content-Length, Transfer-Encoding, Connection, Date and Server set here are dropped.
  std::vector<Header> headers;
  std::string contentType;  // e.g. "application/json; charset=utf-8"; no header when empty
  std::string body;         // owned text body, or:
  // Zero-copy body, used when sharedOwner != nullptr: the server writes straight
  // from sharedBody and holds sharedOwner until the last byte is on the wire
  // (HLS segments and playlists kept alive by their store entry).
  std::shared_ptr<const void> sharedOwner;
  std::span<const std::uint8_t> sharedBody;

  static Response json(int status, std::string body);
  static Response text(int status, std::string contentType, std::string body);
  static Response shared(int status, std::string contentType, std::shared_ptr<const void> owner,
                         std::span<const std::uint8_t> bytes);
  // 204 No Content, or any bodiless status.
  static Response empty(int status);

  Response& header(std::string name, std::string value);

  [[nodiscard]] bool isShared() const noexcept { return sharedOwner != nullptr; }
  [[nodiscard]] std::span<const std::uint8_t> bodyBytes() const noexcept;
  [[nodiscard]] std::size_t bodySize() const noexcept { return bodyBytes().size(); }
  // First header with this name (case-insensitive), or nullptr; contentType is not a header here.
  [[nodiscard]] const std::string* findHeader(std::string_view name) const;
};

// {"statusCode":N,"message":"...","error":"<reason phrase>"}, strings JSON-escaped.
Response errorResponse(int status, std::string_view message);
// Validation errors (400): "message" is an array with one string per problem.
Response errorResponse(int status, const std::vector<std::string>& messages);

// "Not Found" for 404; "Unknown" for codes without a registered phrase.
std::string_view reasonPhrase(int status);

}  // namespace ls::http
