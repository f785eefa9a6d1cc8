// A small blocking-with-deadline HTTP/1.1 client for server tests: raw bytes
// out, parsed responses in, every wait bounded so a server bug fails the test
// instead of hanging it.
#pragma once

// g++ 12 false positive inside Asio's scheduler after inlining; see src/http/server.cpp.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#pragma GCC diagnostic pop
#include <chrono>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ls::http::testing {

struct ClientResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string head;  // raw status line + headers
};

class TestClient {
 public:
  using tcp = boost::asio::ip::tcp;
  static constexpr std::chrono::seconds kWait{5};

  explicit TestClient(std::uint16_t port) : socket_(ioc_) {
    boost::system::error_code ec;
    socket_.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port), ec);
    connected_ = !ec;
  }

  [[nodiscard]] bool connected() const { return connected_; }

  bool send(std::string_view bytes) {
    bool done = false;
    boost::system::error_code result;
    boost::asio::async_write(socket_, boost::asio::buffer(bytes.data(), bytes.size()),
                             [&](const boost::system::error_code& ec, std::size_t) {
                               done = true;
                               result = ec;
                             });
    runUntil(done);
    return done && !result;
  }

  // Reads one response; nullopt on timeout, close or garbage.
  std::optional<ClientResponse> read(bool headRequest = false) {
    ClientResponse r;
    std::size_t headEnd;
    while ((headEnd = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!readSome()) return std::nullopt;
    }
    r.head = buffer_.substr(0, headEnd + 2);
    buffer_.erase(0, headEnd + 4);
    if (r.head.size() < 12 || !r.head.starts_with("HTTP/1.1 ")) return std::nullopt;
    r.status = std::atoi(r.head.substr(9, 3).c_str());
    std::size_t pos = r.head.find("\r\n") + 2;
    while (pos < r.head.size()) {
      const std::size_t eol = r.head.find("\r\n", pos);
      const std::string line = r.head.substr(pos, eol - pos);
      const std::size_t colon = line.find(':');
      if (colon == std::string::npos) return std::nullopt;
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers[name] = line.substr(colon + 2);
      pos = eol + 2;
    }
    std::size_t length = 0;
    if (auto it = r.headers.find("content-length"); it != r.headers.end()) {
      length = static_cast<std::size_t>(std::stoull(it->second));
    }
    if (headRequest || r.status == 204 || r.status == 304 || r.status < 200) length = 0;
    while (buffer_.size() < length) {
      if (!readSome()) return std::nullopt;
    }
    r.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return r;
  }

  // True when the server closed the connection (EOF or reset) within the wait.
  bool waitForClose() {
    for (;;) {
      const Outcome o = readOnce();
      if (o == Outcome::kClosed) return true;
      if (o == Outcome::kTimeout) return false;
    }
  }

  std::optional<ClientResponse> roundTrip(std::string_view request, bool headRequest = false) {
    if (!send(request)) return std::nullopt;
    return read(headRequest);
  }

  [[nodiscard]] const std::string& unread() const { return buffer_; }

 private:
  enum class Outcome { kData, kClosed, kTimeout };

  void runUntil(const bool& done) {
    ioc_.restart();
    const auto deadline = std::chrono::steady_clock::now() + kWait;
    while (!done && std::chrono::steady_clock::now() < deadline) ioc_.run_one_for(std::chrono::milliseconds(50));
    if (!done) {
      socket_.cancel();
      ioc_.restart();
      ioc_.run_for(std::chrono::milliseconds(100));
    }
  }

  Outcome readOnce() {
    char chunk[16384];
    bool done = false;
    boost::system::error_code result;
    std::size_t got = 0;
    socket_.async_read_some(boost::asio::buffer(chunk), [&](const boost::system::error_code& ec, std::size_t n) {
      done = true;
      result = ec;
      got = n;
    });
    runUntil(done);
    if (!done || result == boost::asio::error::operation_aborted) return Outcome::kTimeout;
    buffer_.append(chunk, got);
    if (result) return Outcome::kClosed;
    return Outcome::kData;
  }

  bool readSome() { return readOnce() == Outcome::kData; }

  boost::asio::io_context ioc_;
  tcp::socket socket_;
  bool connected_ = false;
  std::string buffer_;
};

}  // namespace ls::http::testing
