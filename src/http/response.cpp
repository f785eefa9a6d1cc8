#include "http/response.hpp"

#include "core/encoding.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <utility>

namespace ls::http {

namespace {

Response envelope(int status, boost::json::value message) {
  boost::json::object o;
  o.reserve(3);
  // Key order matches NestJS's envelope, which partner clients were written against.
  o.emplace("statusCode", status);
  o.emplace("message", std::move(message));
  const std::string_view reason = reasonPhrase(status);
  o.emplace("error", boost::json::string_view(reason.data(), reason.size()));
  return Response::json(status, boost::json::serialize(o));
}

}  // namespace

Response Response::json(int status, std::string body) {
  Response r;
  r.status = status;
  r.contentType.assign(kJsonContentType);
  r.body = std::move(body);
  return r;
}

Response Response::text(int status, std::string contentType, std::string body) {
  Response r;
  r.status = status;
  r.contentType = std::move(contentType);
  r.body = std::move(body);
  return r;
}

Response Response::shared(int status, std::string contentType, std::shared_ptr<const void> owner,
                          std::span<const std::uint8_t> bytes) {
  Response r;
  r.status = status;
  r.contentType = std::move(contentType);
  r.sharedOwner = std::move(owner);
  r.sharedBody = bytes;
  return r;
}

Response Response::empty(int status) {
  Response r;
  r.status = status;
  return r;
}

Response& Response::header(std::string name, std::string value) {
  headers.push_back(Header{std::move(name), std::move(value)});
  return *this;
}

std::span<const std::uint8_t> Response::bodyBytes() const noexcept {
  if (sharedOwner != nullptr) return sharedBody;
  return {reinterpret_cast<const std::uint8_t*>(body.data()), body.size()};
}

const std::string* Response::findHeader(std::string_view name) const {
  for (const Header& h : headers) {
    if (equalsIgnoreCase(h.name, name)) return &h.value;
  }
  return nullptr;
}

Response errorResponse(int status, std::string_view message) {
  return envelope(status, boost::json::string(boost::json::string_view(message.data(), message.size())));
}

Response errorResponse(int status, const std::vector<std::string>& messages) {
  boost::json::array array;
  array.reserve(messages.size());
  for (const std::string& m : messages) array.emplace_back(boost::json::string_view(m.data(), m.size()));
  return envelope(status, std::move(array));
}

std::string_view reasonPhrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

}  // namespace ls::http
