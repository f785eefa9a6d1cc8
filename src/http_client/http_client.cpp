#include "http_client/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <string_view>

#include "http_client/url_text.hpp"

namespace ls::http_client {

namespace {

// curl_global_init is not thread-safe on every libcurl build, and must run
// before any other thread uses libcurl: a function-local static runs it once,
// with later callers waiting for the first. curl_global_cleanup is never
// called; handles may be in use on other threads until the process exits.
CURLcode curlGlobalInit() {
  static const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
  return code;
}

struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Easy = std::unique_ptr<CURL, EasyDeleter>;
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

// Where the body goes while it arrives.
struct BodySink {
  std::string body;
  std::size_t max = 0;
  bool overflow = false;
};

// A body over the cap stops the transfer (returning short makes curl fail
// with CURLE_WRITE_ERROR) instead of being cut: a truncated JSON document
// could still parse as something else.
std::size_t writeBody(char* data, std::size_t size, std::size_t count, void* userdata) {
  auto* sink = static_cast<BodySink*>(userdata);
  const std::size_t n = size * count;
  if (n > sink->max - sink->body.size()) {
    sink->overflow = true;
    return 0;
  }
  sink->body.append(data, n);
  return n;
}

// RFC 9110 tchar: what a method or a header name may be made of.
bool isToken(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

bool hasLineBreakOrNul(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != s.npos;
}

bool equalsIgnoreCaseAscii(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

long millis(std::chrono::milliseconds d) {
  return static_cast<long>(d.count());
}

// The request headers as curl takes them. "Expect:" turns off curl's
// 100-continue wait for larger bodies (a node that ignores Expect would cost
// a second per call). A body without a declared type goes without one,
// instead of curl's default form-encoded type.
Result<Slist> headerList(const ClientRequest& request) {
  Slist list;
  bool hasContentType = false;
  const auto append = [&list](const std::string& line) {
    curl_slist* next = curl_slist_append(list.get(), line.c_str());
    if (next == nullptr) return false;
    (void)list.release();
    list.reset(next);
    return true;
  };
  for (const auto& [name, value] : request.headers) {
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

}  // namespace

HttpClient::HttpClient() {
  (void)curlGlobalInit();
}

Result<ClientResponse> HttpClient::send(const ClientRequest& request) {
  const std::string what = request.method + " " + redactedUrl(request.url);
  if (!isToken(request.method)) return invalidArgument("HTTP method is not a token");
  if (curlGlobalInit() != CURLE_OK) return internalError(what + ": libcurl failed to initialize");
  // curl reads a zero timeout as "none"; a spent budget must not become that.
  if (request.timeout.count() <= 0) return unavailable(what + ": timed out after 0 ms");

  Easy easy(curl_easy_init());
  if (!easy) return internalError(what + ": libcurl failed to create a handle");
  auto headers = headerList(request);
  if (!headers.ok()) return std::move(headers).takeStatus();

  BodySink sink;
  sink.max = request.maxResponseBytes;
  const std::chrono::milliseconds connectTimeout =
      std::clamp(request.connectTimeout, std::chrono::milliseconds(1), request.timeout);

  CURLcode rc = CURLE_OK;
  const auto set = [&](CURLoption option, auto value) {
    if (rc == CURLE_OK) rc = curl_easy_setopt(easy.get(), option, value);
  };
  set(CURLOPT_URL, request.url.c_str());
  set(CURLOPT_PROTOCOLS_STR, "http,https");
  set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  set(CURLOPT_FOLLOWLOCATION, 0L);
  set(CURLOPT_SSL_VERIFYPEER, 1L);
  set(CURLOPT_SSL_VERIFYHOST, 2L);
  set(CURLOPT_PROXY, "");
  // No SIGALRM for resolver timeouts: signals and threads do not mix.
  set(CURLOPT_NOSIGNAL, 1L);
  set(CURLOPT_TIMEOUT_MS, millis(request.timeout));
  set(CURLOPT_CONNECTTIMEOUT_MS, millis(connectTimeout));
  set(CURLOPT_USERAGENT, "lunarstream");
  set(CURLOPT_HTTPHEADER, headers->get());
  set(CURLOPT_WRITEFUNCTION, &writeBody);
  set(CURLOPT_WRITEDATA, static_cast<void*>(&sink));
  // Refused before any body byte arrives when Content-Length says it is too big.
  if (request.maxResponseBytes > 0) {
    set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(request.maxResponseBytes));
  }
  if (request.basicAuth) {
    set(CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
    set(CURLOPT_USERNAME, request.basicAuth->first.c_str());
    set(CURLOPT_PASSWORD, request.basicAuth->second.c_str());
  }
  const bool sendsBody =
      !request.body.empty() || request.method == "POST" || request.method == "PUT" || request.method == "PATCH";
  if (request.method == "GET") {
    set(CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    set(CURLOPT_NOBODY, 1L);
  } else {
    if (sendsBody) {
      // The request outlives perform(), so curl may point into its body.
      set(CURLOPT_POSTFIELDS, request.body.c_str());
      set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    }
    if (request.method != "POST") set(CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  if (rc != CURLE_OK) return internalError(what + ": " + curl_easy_strerror(rc));

  rc = curl_easy_perform(easy.get());
  if (sink.overflow || rc == CURLE_FILESIZE_EXCEEDED) {
    return unavailable(what + ": answer over " + std::to_string(request.maxResponseBytes) + " bytes");
  }
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    curl_off_t connectedAfter = 0;
    (void)curl_easy_getinfo(easy.get(), CURLINFO_CONNECT_TIME_T, &connectedAfter);
    if (connectedAfter == 0 && connectTimeout < request.timeout) {
      return unavailable(what + ": connect timed out after " + std::to_string(connectTimeout.count()) + " ms");
    }
    return unavailable(what + ": timed out after " + std::to_string(request.timeout.count()) + " ms");
  }
  // curl_easy_strerror names the failure without the URL; curl's error
  // buffer is not used because its text may quote the URL or the host's answer.
  if (rc != CURLE_OK) return unavailable(what + ": " + curl_easy_strerror(rc));

  long status = 0;
  (void)curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &status);
  return ClientResponse{static_cast<int>(status), std::move(sink.body)};
}

}  // namespace ls::http_client
