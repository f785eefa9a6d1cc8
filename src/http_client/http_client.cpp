#include "http_client/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <string_view>

#include "http_client/curl_common.hpp"
#include "http_client/url_text.hpp"

namespace ls::http_client {

namespace {

using detail::curlGlobalInit;
using detail::Easy;
using detail::millis;

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

}  // namespace

HttpClient::HttpClient() {
  (void)curlGlobalInit();
}

Result<ClientResponse> HttpClient::send(const ClientRequest& request) {
  const std::string what = request.method + " " + redactedUrl(request.url);
  if (!detail::isToken(request.method)) return invalidArgument("HTTP method is not a token");
  if (curlGlobalInit() != CURLE_OK) return internalError(what + ": libcurl failed to initialize");
  // curl reads a zero timeout as "none"; a spent budget must not become that.
  if (request.timeout.count() <= 0) return unavailable(what + ": timed out after 0 ms");

  Easy easy(curl_easy_init());
  if (!easy) return internalError(what + ": libcurl failed to create a handle");
  auto headers = detail::headerList(request.headers);
  if (!headers.ok()) return std::move(headers).takeStatus();

  BodySink sink;
  sink.max = request.maxResponseBytes;
  const std::chrono::milliseconds connectTimeout =
      std::clamp(request.connectTimeout, std::chrono::milliseconds(1), request.timeout);

  CURLcode rc = CURLE_OK;
  const auto set = [&](CURLoption option, auto value) {
    if (rc == CURLE_OK) rc = curl_easy_setopt(easy.get(), option, value);
  };
  rc = detail::setSafeDefaults(easy.get());
  set(CURLOPT_URL, request.url.c_str());
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
  // The request outlives perform(), so curl may point into its body.
  if (rc == CURLE_OK) rc = detail::setMethodAndBody(easy.get(), request.method, request.body);
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
