#include "http_client/curl_common.hpp"

#include <algorithm>

namespace ls::http_client::detail {

namespace {

bool hasLineBreakOrNul(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != s.npos;
}

bool equalsIgnoreCaseAscii(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

}  // namespace

// curl_global_init is not thread-safe on every libcurl build, and must run
// before any other thread uses libcurl: a function-local static runs it once,
// with later callers waiting for the first. curl_global_cleanup is never
// called; handles may be in use on other threads until the process exits.
CURLcode curlGlobalInit() {
  static const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
  return code;
}

bool isToken(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

Result<Slist> headerList(const std::vector<std::pair<std::string, std::string>>& headers) {
  Slist list;
  bool hasContentType = false;
  const auto append = [&list](const std::string& line) {
    curl_slist* next = curl_slist_append(list.get(), line.c_str());
    if (next == nullptr) return false;
    (void)list.release();
    list.reset(next);
    return true;
  };
  for (const auto& [name, value] : headers) {
    if (!isToken(name) || hasLineBreakOrNul(value)) {
      return invalidArgument("request header " + (isToken(name) ? name : std::string("name")) +
                             " is not a valid HTTP header");
    }
    hasContentType = hasContentType || equalsIgnoreCaseAscii(name, "Content-Type");
    // "Name;" is curl's way to send a header with an empty value.
    if (!append(value.empty() ? name + ";" : name + ": " + value)) return internalError("out of memory");
  }
  if (!append("Expect:")) return internalError("out of memory");
  if (!hasContentType && !append("Content-Type:")) return internalError("out of memory");
  return list;
}

CURLcode setSafeDefaults(CURL* easy) {
  CURLcode rc = CURLE_OK;
  const auto set = [&](CURLoption option, auto value) {
    if (rc == CURLE_OK) rc = curl_easy_setopt(easy, option, value);
  };
  set(CURLOPT_PROTOCOLS_STR, "http,https");
  set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  set(CURLOPT_FOLLOWLOCATION, 0L);
  set(CURLOPT_SSL_VERIFYPEER, 1L);
  set(CURLOPT_SSL_VERIFYHOST, 2L);
  set(CURLOPT_PROXY, "");
  // No SIGALRM for resolver timeouts: signals and threads do not mix.
  set(CURLOPT_NOSIGNAL, 1L);
  return rc;
}

CURLcode setMethodAndBody(CURL* easy, const std::string& method, const std::string& body) {
  CURLcode rc = CURLE_OK;
  const auto set = [&](CURLoption option, auto value) {
    if (rc == CURLE_OK) rc = curl_easy_setopt(easy, option, value);
  };
  const bool sendsBody = !body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
  if (method == "GET") {
    set(CURLOPT_HTTPGET, 1L);
  } else if (method == "HEAD") {
    set(CURLOPT_NOBODY, 1L);
  } else {
    if (sendsBody) {
      set(CURLOPT_POSTFIELDS, body.c_str());
      set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }
    if (method != "POST") set(CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  return rc;
}

}  // namespace ls::http_client::detail
