// Many outgoing requests at once on one thread: libcurl's multi interface.
// Made for webhook delivery, where one slow receiver must not hold up any
// other: every submitted request is a transfer of its own, all of them
// driven by one thread in curl_multi_poll, each finishing with its own
// completion callback.
//
// The same refusals as HttpClient (http_client.hpp): no redirects followed (a
// 3xx is the answer), http and https only, TLS always verified, no proxy from
// the environment. Plus:
//  - only the first keepBodyBytes of an answer are kept, and reading stops
//    after readBodyBytes: a large answer is still an answer with its status,
//    never an error;
//  - an optional address filter runs on every address a transfer is about to
//    connect to (CURLOPT_OPENSOCKETFUNCTION), after resolution: what is
//    checked is what is connected to, so a name that resolves differently
//    the second time (DNS rebinding) gains nothing. A refusal ends the
//    transfer with AsyncError::kRefusedTarget and the filter's reason.
//
// Threading: submit() from any thread. Completions run on the client's
// thread, one at a time, and must be quick (no I/O, no Store calls): post the
// result elsewhere. shutdown() (or the destructor) cancels what is still in
// flight: each of those completions runs once with AsyncError::kCancelled,
// and a submit after shutdown completes at once with kCancelled.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ls::http_client {

struct AsyncRequest {
  std::string method = "POST";  // an HTTP token
  std::string url;              // absolute http:// or https://
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string userAgent = "lunarstream";
  // The whole exchange; connectTimeout (resolve and handshakes) is capped by it.
  std::chrono::milliseconds timeout{10'000};
  std::chrono::milliseconds connectTimeout{10'000};
  std::size_t keepBodyBytes = 1024;
  std::size_t readBodyBytes = 64 * 1024;
  // Called on the client's thread with each address ("10.0.0.1", "::1")
  // before a socket to it is opened: "" allows it, anything else refuses it
  // and becomes the error message. Empty function: every address allowed.
  std::function<std::string(std::string_view address)> addressFilter;
};

enum class AsyncError {
  kNone,            // an answer: status and body prefix are set
  kInvalidRequest,  // not sent: bad method, header, URL scheme
  kRefusedTarget,   // the address filter refused every address tried
  kTimeout,         // no complete answer within the timeout
  kConnect,         // resolution, connection or TLS failed
  kTransfer,        // the connection broke mid-exchange
  kCancelled,       // the client shut down first
};

struct AsyncResponse {
  AsyncError error = AsyncError::kNone;
  // Why there is no answer, in libcurl's generic words or ours ("timed out
  // after 10000 ms", "Couldn't connect to server", the filter's reason);
  // never a URL, header or body. "" for an answer.
  std::string errorMessage;
  int status = 0;          // 0 without an answer
  std::string bodyPrefix;  // at most keepBodyBytes
  bool bodyTruncated = false;
  std::chrono::milliseconds elapsed{0};  // from the transfer's start to its end
};

using AsyncCompletion = std::function<void(AsyncResponse)>;

class AsyncHttpClient {
 public:
  struct Options {
    // Idle connections kept for reuse across requests (curl's cache).
    long maxCachedConnections = 64;
  };
  AsyncHttpClient();
  explicit AsyncHttpClient(Options options);
  ~AsyncHttpClient();
  AsyncHttpClient(const AsyncHttpClient&) = delete;
  AsyncHttpClient& operator=(const AsyncHttpClient&) = delete;

  // Starts the request; `done` runs exactly once, on the client's thread (or
  // on the caller's, at once, when the request is invalid or the client has
  // shut down).
  void submit(AsyncRequest request, AsyncCompletion done);

  // Requests submitted and not yet completed.
  [[nodiscard]] std::size_t inFlight() const;

  // Cancels everything in flight (kCancelled) and joins the thread. Idempotent.
  void shutdown();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string_view toString(AsyncError e);

}  // namespace ls::http_client
