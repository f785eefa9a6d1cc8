// Arbitrary bytes through the server's request path without sockets: the same
// RequestParser (limits, pipelining, the unconsumed-tail contract the
// connection keeps), then Router dispatch and response-head serialization.
// Byte 0 picks the read size the bytes arrive in; the rest is the wire.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/request_parser.hpp"
#include "http/response_head.hpp"
#include "http/router.hpp"

namespace {

using namespace ls::http;

const Router& fuzzRouter() {
  static const Router router = [] {
    Router r;
    const auto echo = [](const Request& q) {
      Response resp = Response::text(200, "text/plain", std::string(q.param("id")) + std::string(q.param("*")));
      if (auto v = q.query("x")) resp.header("X-Echo", *v);  // may hold CR/LF: the head writer must drop it
      resp.header("X-Method", std::string(q.methodName()));
      return resp;
    };
    r.add(Method::kGet, "/api/v1/livestream/:id", echo);
    r.add(Method::kPatch, "/api/v1/livestream/:id", echo);
    r.add(Method::kPost, "/api/v1/livestream/generate-push-token", echo);
    r.add(Method::kGet, "/a/:x/c/:id", echo);
    r.addPrefix(Method::kGet, "/hls/", echo);
    r.add(Method::kPost, "/echo",
          [](const Request& q) { return Response::text(200, "application/octet-stream", q.body()); });
    return r;
  }();
  return router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t step = static_cast<std::size_t>(data[0] % 64) + 1;
  const std::string_view wire(reinterpret_cast<const char*>(data + 1), size - 1);

  RequestParser parser(ParserLimits{2048, 4096});
  Request request;
  request.setRemoteAddress("192.0.2.1");
  parser.reset(request);
  std::string pending;
  std::string head;
  std::size_t offset = 0;
  while (true) {
    if (parser.state() == RequestParser::State::kNeedMore) {
      if (offset == wire.size()) break;
      // The connection caps what it buffers at maxHeaderBytes + one read.
      if (pending.size() > 2048 + 4096) break;
      const std::size_t n = std::min(step, wire.size() - offset);
      pending.append(wire.substr(offset, n));
      offset += n;
      pending.erase(0, parser.feed(pending));
      continue;
    }
    if (parser.state() == RequestParser::State::kError) {
      head.clear();
      appendResponseHead(errorResponse(parser.errorStatus(), parser.errorReason()), HeadContext{false, 11, false, ""},
                         head);
      break;
    }
    // Complete: dispatch like the connection does, then continue with the pipelined rest.
    (void)request.header("content-type");
    (void)request.queryParams();
    const Response response = fuzzRouter().dispatch(request);
    head.clear();
    appendResponseHead(response,
                       HeadContext{parser.keepAlive(), request.version(), request.method() == Method::kHead, ""}, head);
    if (!parser.keepAlive()) break;
    parser.reset(request);
    if (!pending.empty()) pending.erase(0, parser.feed(pending));
  }
  return 0;
}
