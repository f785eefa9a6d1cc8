// Outgoing HTTP: how the control plane talks to the control APIs of external
// media nodes (ZLMediaKit, MediaMTX). Blocking, on libcurl's easy interface.
//
// Threading: send() holds its calling thread until the answer, an error or
// the timeout. Call it from the control thread or an HTTP worker, never from
// an event loop that carries media or HLS (docs/architecture.md, Threads).
// Every call uses its own curl handle, so one HttpClient may be shared by any
// number of threads.
//
// What it refuses to do, whatever the URL or the server says:
//  - follow redirects (a 3xx comes back as the answer: the credentials a
//    request carries are for the node that was configured, not for wherever
//    it points to);
//  - speak anything but http and https;
//  - talk TLS without verifying the peer's certificate and host name;
//  - go through a proxy named by http_proxy/https_proxy in its environment
//    (the nodes live in the operator's own network; an inherited variable
//    must not route their credentials through a third host);
//  - keep more than maxResponseBytes of an answer (more is an error, not a
//    truncated body that might still parse).
// Its error messages name the method and the URL without its query, userinfo
// or fragment, and never a header value: queries and headers carry secrets.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.hpp"

namespace ls::http_client {

inline constexpr std::size_t kDefaultMaxResponseBytes = 4 * 1024 * 1024;

struct ClientRequest {
  // An HTTP token: GET, POST, PUT, PATCH, DELETE, HEAD.
  std::string method = "GET";
  // Absolute http:// or https:// URL, its query already percent-encoded.
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // name, value
  // Sent with Content-Length when not empty, and always for POST, PUT, PATCH.
  std::string body;
  // The whole exchange, from resolving the host to the last body byte.
  std::chrono::milliseconds timeout{3000};
  // Resolving, TCP and TLS handshakes; never more than `timeout`.
  std::chrono::milliseconds connectTimeout{1000};
  std::size_t maxResponseBytes = kDefaultMaxResponseBytes;
  std::optional<std::pair<std::string, std::string>> basicAuth;  // user, password
};

struct ClientResponse {
  int status = 0;  // any status the server sent, 3xx included
  std::string body;
};

class HttpClient {
 public:
  // Initializes libcurl for the process on first construction (once, from
  // whichever thread gets there first).
  HttpClient();

  // One request and its answer. kUnavailable when there is no answer
  // ("GET http://10.0.0.5:8080/index/api/getMediaList: Couldn't connect to
  // server", "...: timed out after 3000 ms", "...: answer over 4194304
  // bytes"); kInvalidArgument for a request that cannot be sent as written (a
  // method that is not a token, a header with a line break). An HTTP error
  // status is an answer, not an error: the caller reads `status`.
  Result<ClientResponse> send(const ClientRequest& request);
};

}  // namespace ls::http_client
