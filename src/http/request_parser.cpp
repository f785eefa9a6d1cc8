#include "http/request_parser.hpp"

#include "core/encoding.hpp"

#include <algorithm>
#include <optional>

// g++ 12 with -fsanitize reports -Wmaybe-uninitialized inside Beast's
// boost::optional handling (a false positive, judged at the header's lines);
// plain builds do not. Silence it for Beast's headers only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wnull-dereference"
#endif
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace ls::http {

namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

// Beast refuses every version but 1.0 and 1.1 as bad_version; a well-formed
// "HTTP/2.0" (an HTTP/2 prior-knowledge client's "PRI * HTTP/2.0") deserves 505
// rather than 400.
bool hasWellFormedVersion(std::string_view data) {
  const std::string_view line = data.substr(0, data.find("\r\n"));
  if (line.size() == data.size() || std::count(line.begin(), line.end(), ' ') != 2) return false;
  const std::string_view v = line.substr(line.rfind(' ') + 1);
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return v.size() == 8 && v.starts_with("HTTP/") && digit(v[5]) && v[6] == '.' && digit(v[7]) && v != "HTTP/1.0" &&
         v != "HTTP/1.1";
}

// Fills a Request straight from Beast's callbacks: no beast::http::fields, so a
// warmed-up Request absorbs a message without allocating.
class BeastRequestParser final : public bhttp::basic_parser<true> {
 public:
  BeastRequestParser(Request& request, const ParserLimits& limits) : request_(request), maxBody_(limits.maxBodyBytes) {
    header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(limits.maxHeaderBytes, UINT32_MAX)));
    body_limit(static_cast<std::uint64_t>(limits.maxBodyBytes));
    eager(true);
  }

  int errorStatus = 0;  // set when a callback rejects the message with a specific status
  std::string_view errorReason;
  bool expectContinue = false;

 private:
  void reject(beast::error_code& ec, int status, std::string_view reason) {
    errorStatus = status;
    errorReason = reason;
    ec = bhttp::error::bad_field;
  }

  void on_request_impl(bhttp::verb, beast::string_view methodText, beast::string_view target, int version,
                       beast::error_code& ec) override {
    request_.setVersion(version);
    request_.setMethod(methodFromName(methodText), methodText);
    if (!request_.setTarget(target)) return reject(ec, 400, "invalid request target");
  }

  void on_response_impl(int, beast::string_view, int, beast::error_code& ec) override { ec = bhttp::error::bad_method; }

  void on_field_impl(bhttp::field name, beast::string_view nameText, beast::string_view value,
                     beast::error_code& ec) override {
    if (headerSeen_) return;  // chunked trailer fields: nothing downstream reads them
    switch (name) {
      case bhttp::field::host:
        // RFC 9112 §3.2: more than one Host is a 400, else routing could be confused.
        if (++hostCount_ > 1) return reject(ec, 400, "duplicate Host header");
        break;
      case bhttp::field::transfer_encoding: sawTransferEncoding_ = true; break;
      case bhttp::field::expect:
        if (equalsIgnoreCase(value, "100-continue")) expectContinue = true;
        break;
      default: break;
    }
    request_.addHeader(nameText, value);
  }

  void on_header_impl(beast::error_code& ec) override {
    headerSeen_ = true;
    if (request_.version() >= 11 && hostCount_ == 0) return reject(ec, 400, "missing Host header");
    // Request smuggling guard (RFC 9112 §6.1, §6.3): a Transfer-Encoding we do
    // not frame by (not ending in "chunked", or on HTTP/1.0) must not fall back
    // to "no body", or its body would be read as the next request.
    if (sawTransferEncoding_ && (!chunked() || request_.version() < 11)) {
      return reject(ec, 400, "unsupported Transfer-Encoding");
    }
  }

  void on_body_init_impl(const boost::optional<std::uint64_t>& length, beast::error_code&) override {
    if (length) request_.mutableBody().reserve(static_cast<std::size_t>(std::min<std::uint64_t>(*length, maxBody_)));
  }

  std::size_t on_body_impl(beast::string_view body, beast::error_code&) override {
    request_.mutableBody().append(body.data(), body.size());
    return body.size();
  }

  void on_chunk_header_impl(std::uint64_t, beast::string_view, beast::error_code&) override {}

  std::size_t on_chunk_body_impl(std::uint64_t, beast::string_view body, beast::error_code&) override {
    request_.mutableBody().append(body.data(), body.size());
    return body.size();
  }

  void on_finish_impl(beast::error_code&) override {}

  Request& request_;
  std::size_t maxBody_;
  int hostCount_ = 0;
  bool sawTransferEncoding_ = false;
  bool headerSeen_ = false;
};

}  // namespace

struct RequestParser::Impl {
  ParserLimits limits;
  std::optional<BeastRequestParser> parser;  // Beast parsers are single-use: re-emplaced per message
};

RequestParser::RequestParser(ParserLimits limits) : impl_(std::make_unique<Impl>()) {
  impl_->limits = limits;
}

RequestParser::~RequestParser() = default;

void RequestParser::reset(Request& request) {
  request.clear();
  impl_->parser.reset();
  impl_->parser.emplace(request, impl_->limits);
  state_ = State::kNeedMore;
  errorStatus_ = 0;
  errorReason_ = {};
  started_ = false;
}

void RequestParser::fail(int status, std::string_view reason) {
  state_ = State::kError;
  errorStatus_ = status;
  errorReason_ = reason;
}

std::size_t RequestParser::feed(std::string_view data) {
  if (state_ != State::kNeedMore || !impl_->parser || data.empty()) return 0;
  started_ = true;
  BeastRequestParser& parser = *impl_->parser;
  beast::error_code ec;
  const std::size_t consumed = parser.put(boost::asio::const_buffer(data.data(), data.size()), ec);
  if (ec == bhttp::error::need_more) return consumed;
  if (ec) {
    if (parser.errorStatus != 0) {
      fail(parser.errorStatus, parser.errorReason);
    } else if (ec == bhttp::error::header_limit) {
      fail(431, "request header too large");
    } else if (ec == bhttp::error::body_limit) {
      fail(413, "request body too large");
    } else if (ec == bhttp::error::bad_version && hasWellFormedVersion(data)) {
      fail(505, "unsupported HTTP version");
    } else {
      fail(400, "malformed request");
    }
    return consumed;
  }
  if (parser.is_done()) state_ = State::kComplete;
  return consumed;
}

bool RequestParser::headerDone() const noexcept {
  return impl_->parser && impl_->parser->is_header_done();
}

bool RequestParser::keepAlive() const noexcept {
  return headerDone() && impl_->parser->keep_alive();
}

bool RequestParser::expectsContinue() const noexcept {
  return headerDone() && impl_->parser->expectContinue && !impl_->parser->is_done();
}

}  // namespace ls::http
