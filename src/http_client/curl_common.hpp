// What the blocking and the asynchronous clients share of libcurl: global
// setup, handle ownership, request validation and header lists, and the
// options every request gets (no redirects, http(s) only, verified TLS, no
// environment proxy). Internal to http_client.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.hpp"

namespace ls::http_client::detail {

// curl_global_init, once per process (later callers wait for the first).
CURLcode curlGlobalInit();

struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Easy = std::unique_ptr<CURL, EasyDeleter>;
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

// RFC 9110 tchar: what a method or a header name may be made of.
bool isToken(std::string_view s);

// The request headers as curl takes them, plus "Expect:" (no 100-continue
// wait) and, when none was given, an empty Content-Type (no invented
// form-encoded type). InvalidArgument for a name that is not a token or a
// value with a line break, naming the header but not its value.
Result<Slist> headerList(const std::vector<std::pair<std::string, std::string>>& headers);

// The refusals every request gets: http/https only (redirects too), no
// redirect followed, TLS peer and host verified, no proxy (environment
// variables ignored), no signals. Returns the first failing option's code.
CURLcode setSafeDefaults(CURL* easy);

// Sets the method and body: GET, HEAD, POST or any other token (custom
// request, with body). The body must outlive the transfer.
CURLcode setMethodAndBody(CURL* easy, const std::string& method, const std::string& body);

inline long millis(std::chrono::milliseconds d) {
  return static_cast<long>(d.count());
}

}  // namespace ls::http_client::detail
