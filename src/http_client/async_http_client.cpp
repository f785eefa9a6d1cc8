#include "http_client/async_http_client.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "http_client/curl_common.hpp"

namespace ls::http_client {

namespace {

using Clock = std::chrono::steady_clock;

struct Transfer {
  AsyncRequest request;
  AsyncCompletion done;
  detail::Easy easy;
  detail::Slist headers;
  std::string prefix;
  std::size_t received = 0;
  bool stoppedReading = false;
  bool truncated = false;
  std::string refusal;  // the filter's last refusal
  Clock::time_point start;
};

AsyncResponse failure(AsyncError error, std::string message) {
  AsyncResponse r;
  r.error = error;
  r.errorMessage = std::move(message);
  return r;
}

// Keeps the first keepBodyBytes and stops the transfer once more than
// readBodyBytes arrived (returning short makes curl end it with
// CURLE_WRITE_ERROR, which finish() reads as "answered").
std::size_t writeBody(char* data, std::size_t size, std::size_t count, void* userdata) {
  auto* t = static_cast<Transfer*>(userdata);
  const std::size_t n = size * count;
  t->received += n;
  const std::size_t room = t->request.keepBodyBytes - std::min(t->request.keepBodyBytes, t->prefix.size());
  const std::size_t keep = std::min(n, room);
  t->prefix.append(data, keep);
  if (keep < n) t->truncated = true;
  if (t->received > t->request.readBodyBytes) {
    t->stoppedReading = true;
    t->truncated = true;
    return 0;
  }
  return n;
}

// The address filter, on the very address curl is about to connect to.
curl_socket_t openSocket(void* clientp, curlsocktype /*purpose*/, curl_sockaddr* address) {
  auto* t = static_cast<Transfer*>(clientp);
  if (t->request.addressFilter) {
    char text[INET6_ADDRSTRLEN] = {};
    const void* raw = nullptr;
    if (address->family == AF_INET) {
      raw = &reinterpret_cast<const sockaddr_in*>(&address->addr)->sin_addr;
    } else if (address->family == AF_INET6) {
      raw = &reinterpret_cast<const sockaddr_in6*>(&address->addr)->sin6_addr;
    }
    if (raw == nullptr || inet_ntop(address->family, raw, text, sizeof text) == nullptr) {
      t->refusal = "target address is not an IP address";
      return CURL_SOCKET_BAD;
    }
    std::string reason = t->request.addressFilter(text);
    if (!reason.empty()) {
      t->refusal = std::move(reason);
      return CURL_SOCKET_BAD;
    }
  }
  return socket(address->family, address->socktype, address->protocol);
}

}  // namespace

std::string_view toString(AsyncError e) {
  switch (e) {
    case AsyncError::kNone: return "none";
    case AsyncError::kInvalidRequest: return "invalid_request";
    case AsyncError::kRefusedTarget: return "refused_target";
    case AsyncError::kTimeout: return "timeout";
    case AsyncError::kConnect: return "connect";
    case AsyncError::kTransfer: return "transfer";
    case AsyncError::kCancelled: return "cancelled";
  }
  return "unknown";
}

struct AsyncHttpClient::Impl {
  CURLM* multi = nullptr;
  mutable std::mutex mu;
  std::deque<std::unique_ptr<Transfer>> queue;  // guarded by mu
  bool stopping = false;                        // guarded by mu
  std::atomic<std::size_t> inFlight{0};
  // The client thread's own.
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> active;
  std::thread thread;

  void complete(std::unique_ptr<Transfer> t, AsyncResponse r) {
    AsyncCompletion done = std::move(t->done);
    t.reset();
    inFlight.fetch_sub(1);
    done(std::move(r));
  }

  void start(std::unique_ptr<Transfer> t) {
    AsyncRequest& q = t->request;
    t->easy.reset(curl_easy_init());
    if (!t->easy) return complete(std::move(t), failure(AsyncError::kTransfer, "libcurl failed to create a handle"));
    CURL* easy = t->easy.get();
    CURLcode rc = detail::setSafeDefaults(easy);
    const auto set = [&](CURLoption option, auto value) {
      if (rc == CURLE_OK) rc = curl_easy_setopt(easy, option, value);
    };
    const auto connectTimeout = std::clamp(q.connectTimeout, std::chrono::milliseconds(1), q.timeout);
    set(CURLOPT_URL, q.url.c_str());
    set(CURLOPT_TIMEOUT_MS, detail::millis(q.timeout));
    set(CURLOPT_CONNECTTIMEOUT_MS, detail::millis(connectTimeout));
    set(CURLOPT_USERAGENT, q.userAgent.c_str());
    set(CURLOPT_HTTPHEADER, t->headers.get());
    set(CURLOPT_WRITEFUNCTION, &writeBody);
    set(CURLOPT_WRITEDATA, static_cast<void*>(t.get()));
    set(CURLOPT_OPENSOCKETFUNCTION, &openSocket);
    set(CURLOPT_OPENSOCKETDATA, static_cast<void*>(t.get()));
    if (rc == CURLE_OK) rc = detail::setMethodAndBody(easy, q.method, q.body);
    if (rc != CURLE_OK) return complete(std::move(t), failure(AsyncError::kTransfer, curl_easy_strerror(rc)));
    t->start = Clock::now();
    if (curl_multi_add_handle(multi, easy) != CURLM_OK) {
      return complete(std::move(t), failure(AsyncError::kTransfer, "libcurl refused the transfer"));
    }
    active.emplace(easy, std::move(t));
  }

  void finish(CURL* easy, CURLcode rc) {
    auto it = active.find(easy);
    if (it == active.end()) return;
    std::unique_ptr<Transfer> t = std::move(it->second);
    active.erase(it);
    (void)curl_multi_remove_handle(multi, easy);
    AsyncResponse r;
    r.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t->start);
    long status = 0;
    (void)curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    if (rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && t->stoppedReading && status > 0)) {
      r.status = static_cast<int>(status);
      r.bodyPrefix = std::move(t->prefix);
      r.bodyTruncated = t->truncated;
    } else if (!t->refusal.empty()) {
      r.error = AsyncError::kRefusedTarget;
      r.errorMessage = t->refusal;
    } else if (rc == CURLE_OPERATION_TIMEDOUT) {
      r.error = AsyncError::kTimeout;
      curl_off_t connectedAfter = 0;
      (void)curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME_T, &connectedAfter);
      const auto connectTimeout =
          std::clamp(t->request.connectTimeout, std::chrono::milliseconds(1), t->request.timeout);
      r.errorMessage = connectedAfter == 0 && connectTimeout < t->request.timeout
                           ? "connect timed out after " + std::to_string(connectTimeout.count()) + " ms"
                           : "timed out after " + std::to_string(t->request.timeout.count()) + " ms";
    } else if (rc == CURLE_UNSUPPORTED_PROTOCOL || rc == CURLE_URL_MALFORMAT) {
      r.error = AsyncError::kInvalidRequest;
      r.errorMessage = curl_easy_strerror(rc);
    } else if (rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_CONNECT || rc == CURLE_SSL_CONNECT_ERROR ||
               rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE) {
      r.error = AsyncError::kConnect;
      r.errorMessage = curl_easy_strerror(rc);
    } else {
      // curl_easy_strerror names the failure without the URL; curl's error
      // buffer is not used because its text may quote the URL or the answer.
      r.error = AsyncError::kTransfer;
      r.errorMessage = curl_easy_strerror(rc);
    }
    complete(std::move(t), std::move(r));
  }

  void run() {
    while (true) {
      std::deque<std::unique_ptr<Transfer>> fresh;
      bool stop = false;
      {
        std::lock_guard lock(mu);
        fresh.swap(queue);
        stop = stopping;
      }
      if (stop) {
        for (auto& t : fresh) complete(std::move(t), failure(AsyncError::kCancelled, "cancelled: shutting down"));
        for (auto& [easy, t] : active) {
          (void)curl_multi_remove_handle(multi, easy);
          complete(std::move(t), failure(AsyncError::kCancelled, "cancelled: shutting down"));
        }
        active.clear();
        return;
      }
      for (auto& t : fresh) start(std::move(t));
      int running = 0;
      (void)curl_multi_perform(multi, &running);
      int left = 0;
      while (CURLMsg* m = curl_multi_info_read(multi, &left)) {
        if (m->msg == CURLMSG_DONE) finish(m->easy_handle, m->data.result);
      }
      // Woken by curl_multi_wakeup (a submit, shutdown) or socket activity;
      // curl shortens the wait to its own next timeout.
      (void)curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
    }
  }
};

AsyncHttpClient::AsyncHttpClient() : AsyncHttpClient(Options{}) {}

AsyncHttpClient::AsyncHttpClient(Options options) : impl_(std::make_unique<Impl>()) {
  (void)detail::curlGlobalInit();
  impl_->multi = curl_multi_init();
  if (impl_->multi != nullptr) {
    (void)curl_multi_setopt(impl_->multi, CURLMOPT_MAXCONNECTS, options.maxCachedConnections);
    impl_->thread = std::thread([impl = impl_.get()] { impl->run(); });
  }
}

AsyncHttpClient::~AsyncHttpClient() {
  shutdown();
  if (impl_->multi != nullptr) curl_multi_cleanup(impl_->multi);
}

void AsyncHttpClient::submit(AsyncRequest request, AsyncCompletion done) {
  if (!detail::isToken(request.method)) {
    return done(failure(AsyncError::kInvalidRequest, "HTTP method is not a token"));
  }
  if (request.timeout.count() <= 0) return done(failure(AsyncError::kTimeout, "timed out after 0 ms"));
  auto headers = detail::headerList(request.headers);
  if (!headers.ok()) return done(failure(AsyncError::kInvalidRequest, headers.status().message()));
  auto t = std::make_unique<Transfer>();
  t->request = std::move(request);
  t->done = std::move(done);
  t->headers = std::move(*headers);
  {
    std::unique_lock lock(impl_->mu);
    if (impl_->stopping || impl_->multi == nullptr) {
      lock.unlock();
      AsyncCompletion cancelled = std::move(t->done);
      return cancelled(failure(AsyncError::kCancelled, "cancelled: shutting down"));
    }
    impl_->inFlight.fetch_add(1);
    impl_->queue.push_back(std::move(t));
  }
  (void)curl_multi_wakeup(impl_->multi);
}

std::size_t AsyncHttpClient::inFlight() const {
  return impl_->inFlight.load();
}

void AsyncHttpClient::shutdown() {
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopping) return;
    impl_->stopping = true;
  }
  if (impl_->multi != nullptr) (void)curl_multi_wakeup(impl_->multi);
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace ls::http_client
