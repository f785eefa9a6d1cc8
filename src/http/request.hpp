// One parsed HTTP request as handlers see it.
//
// The server reuses one Request per connection: clear() keeps the capacity of
// every string and vector, so a keep-alive connection parses requests without
// heap allocation once warmed up. Handlers get it by const reference and must
// not keep references past their return. Copying is safe (no internal views).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/method.hpp"

namespace ls::http {

struct Header {
  std::string name;
  std::string value;
};

class Request {
 public:
  Request() = default;

  // For handler tests: a request for `target` ("/path?query"); an invalid target
  // leaves the path empty.
  static Request make(Method method, std::string_view target, std::string body = {}, std::vector<Header> headers = {});

  [[nodiscard]] Method method() const noexcept { return method_; }
  [[nodiscard]] std::string_view methodName() const noexcept { return methodName_; }
  // The request-target in origin-form ("/a%20b?x=1"); an absolute-form target
  // ("http://host/a") is reduced to its path and query.
  [[nodiscard]] std::string_view target() const noexcept { return target_; }
  // Percent-decoded path without the query: "/api/v1/livestream/abc".
  [[nodiscard]] std::string_view path() const noexcept { return path_; }
  // Everything after the first '?', undecoded; "" when there is none.
  [[nodiscard]] std::string_view rawQuery() const noexcept;
  // First value of a query parameter, percent-decoded ('+' = space); nullopt when absent.
  [[nodiscard]] std::optional<std::string> query(std::string_view name) const;
  // All query parameters in order, decoded.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> queryParams() const;
  // Case-insensitive header lookup; the first occurrence wins.
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
  // The credential of `Authorization: Bearer <token>`; empty when the header
  // is missing, of another scheme, or has no token.
  [[nodiscard]] std::string_view bearerToken() const;
  [[nodiscard]] std::span<const Header> headers() const noexcept { return {headers_.data(), headerCount_}; }
  [[nodiscard]] const std::string& body() const noexcept { return body_; }
  // Textual IP of the peer ("127.0.0.1", "::1").
  [[nodiscard]] std::string_view remoteAddress() const noexcept { return remoteAddress_; }
  // Route parameter filled by the Router (":id" -> "id"; prefix routes set "*"
  // to the rest of the path). "" when absent.
  [[nodiscard]] std::string_view param(std::string_view name) const;
  // 10 for HTTP/1.0, 11 for HTTP/1.1.
  [[nodiscard]] int version() const noexcept { return version_; }

  // --- Building (the parser, the router, and tests) ---

  // Forgets the request but keeps the remote address and all capacity.
  void clear();
  void setMethod(Method method, std::string_view name);
  void setMethod(Method method) { setMethod(method, ls::http::methodName(method)); }
  // Accepts origin-form "/p?q", absolute-form "http://host/p?q" (RFC 9112 §3.2.2)
  // and "*". Returns false for anything else or when the decoded path holds a NUL.
  bool setTarget(std::string_view target);
  void setVersion(int version) noexcept { version_ = version; }
  void addHeader(std::string_view name, std::string_view value);
  void setBody(std::string body) { body_ = std::move(body); }
  std::string& mutableBody() noexcept { return body_; }
  void setRemoteAddress(std::string_view address) { remoteAddress_.assign(address); }
  void setParam(std::string_view name, std::string_view value);
  void clearParams() noexcept { paramCount_ = 0; }

 private:
  struct Param {
    std::string name;
    std::string value;
  };

  Method method_ = Method::kGet;
  int version_ = 11;
  std::string methodName_{"GET"};
  std::string target_;
  std::string path_;
  std::size_t queryStart_ = std::string::npos;  // index in target_ just after '?'
  // Entries past headerCount_/paramCount_ are spare capacity, not data.
  std::vector<Header> headers_;
  std::size_t headerCount_ = 0;
  std::vector<Param> params_;
  std::size_t paramCount_ = 0;
  std::string body_;
  std::string remoteAddress_;
};

}  // namespace ls::http
