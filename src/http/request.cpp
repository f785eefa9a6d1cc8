#include "http/request.hpp"

#include "core/encoding.hpp"

#include <algorithm>

#include "http/query.hpp"

namespace ls::http {

namespace {

// "http://host:8080/p?q" -> "/p?q"; "http://host" -> "" (the caller maps it to "/").
std::optional<std::string_view> stripAbsoluteForm(std::string_view target) {
  const std::size_t schemeEnd = target.find("://");
  if (schemeEnd == std::string_view::npos || schemeEnd == 0) return std::nullopt;
  for (char c : target.substr(0, schemeEnd)) {
    const bool schemeChar =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    if (!schemeChar) return std::nullopt;
  }
  const std::string_view rest = target.substr(schemeEnd + 3);
  const std::size_t pathStart = rest.find_first_of("/?");
  if (pathStart == std::string_view::npos) return std::string_view{};
  return rest.substr(pathStart);
}

}  // namespace

Request Request::make(Method method, std::string_view target, std::string body, std::vector<Header> headers) {
  Request request;
  request.setMethod(method);
  request.setTarget(target);
  for (const Header& h : headers) request.addHeader(h.name, h.value);
  request.body_ = std::move(body);
  return request;
}

std::string_view Request::rawQuery() const noexcept {
  if (queryStart_ == std::string::npos) return {};
  return std::string_view(target_).substr(queryStart_);
}

std::optional<std::string> Request::query(std::string_view name) const {
  return queryParam(rawQuery(), name);
}

std::vector<std::pair<std::string, std::string>> Request::queryParams() const {
  return ls::http::queryParams(rawQuery());
}

std::optional<std::string_view> Request::header(std::string_view name) const {
  for (std::size_t i = 0; i < headerCount_; ++i) {
    if (equalsIgnoreCase(headers_[i].name, name)) return std::string_view(headers_[i].value);
  }
  return std::nullopt;
}

std::string_view Request::param(std::string_view name) const {
  for (std::size_t i = 0; i < paramCount_; ++i) {
    if (params_[i].name == name) return params_[i].value;
  }
  return {};
}

void Request::clear() {
  method_ = Method::kGet;
  methodName_.assign("GET");
  version_ = 11;
  target_.clear();
  path_.clear();
  queryStart_ = std::string::npos;
  headerCount_ = 0;
  paramCount_ = 0;
  body_.clear();
}

void Request::setMethod(Method method, std::string_view name) {
  method_ = method;
  methodName_.assign(name);
}

bool Request::setTarget(std::string_view target) {
  path_.clear();
  queryStart_ = std::string::npos;
  // One-character targets are written with clear() + push_back() rather than
  // assign(): GCC 12 at -O3, knowing the length, reports a bogus -Wrestrict
  // inside assign()'s overlap handling (GCC bug 105329).
  if (target == "*") {  // asterisk-form, OPTIONS only (RFC 9112 §3.2.4); the router decides
    target_.clear();
    target_.push_back('*');
    path_.push_back('*');
    return true;
  }
  if (target.empty() || target.front() != '/') {
    const std::optional<std::string_view> originForm = stripAbsoluteForm(target);
    if (!originForm) {
      target_.clear();
      return false;
    }
    target_.clear();
    target_.push_back('/');
    target_.append(originForm->empty() || originForm->front() != '/' ? *originForm : originForm->substr(1));
  } else {
    target_.assign(target);
  }
  const std::size_t question = target_.find('?');
  const std::string_view rawPath = std::string_view(target_).substr(0, question);
  if (question != std::string::npos) queryStart_ = question + 1;
  // Fragments never reach a server; a '#' here is hostile or broken, and is kept literally.
  percentDecodeAppend(rawPath, false, path_);
  // A decoded NUL would truncate the path in any C API below us (files, SQLite).
  return path_.find('\0') == std::string::npos;
}

void Request::addHeader(std::string_view name, std::string_view value) {
  if (headerCount_ == headers_.size()) headers_.emplace_back();
  Header& h = headers_[headerCount_++];
  h.name.assign(name);
  h.value.assign(value);
}

void Request::setParam(std::string_view name, std::string_view value) {
  for (std::size_t i = 0; i < paramCount_; ++i) {
    if (params_[i].name == name) {
      params_[i].value.assign(value);
      return;
    }
  }
  if (paramCount_ == params_.size()) params_.emplace_back();
  Param& p = params_[paramCount_++];
  p.name.assign(name);
  p.value.assign(value);
}

std::string_view Request::bearerToken() const {
  constexpr std::string_view kBearer = "Bearer ";
  const auto a = header("authorization");
  if (!a || a->size() <= kBearer.size() || a->substr(0, kBearer.size()) != kBearer) return {};
  return a->substr(kBearer.size());
}

}  // namespace ls::http
