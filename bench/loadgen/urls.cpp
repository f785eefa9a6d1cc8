#include "loadgen/urls.hpp"

#include <charconv>

#include "core/quoted.hpp"

namespace ls::loadgen {

namespace {

struct Authority {
  std::string host;
  std::uint16_t port = 0;
  std::string_view rest;  // from the first '/' on (may be empty)
};

Result<Authority> splitAuthority(std::string_view url, std::string_view scheme, std::uint16_t defaultPort) {
  if (url.substr(0, scheme.size()) != scheme)
    return invalidArgument(quoted(url) + " is not a " + std::string(scheme) + " URL");
  url.remove_prefix(scheme.size());
  const std::size_t slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  Authority out;
  out.rest = slash == std::string_view::npos ? std::string_view() : url.substr(slash);
  out.port = defaultPort;
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return invalidArgument("bad IPv6 host in '" + std::string(url) + "'");
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':') port = authority.substr(close + 2);
  } else if (const std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (!port.empty()) {
    unsigned value = 0;
    const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || ptr != port.data() + port.size() || value == 0 || value > 65535) {
      return invalidArgument("bad port in '" + std::string(url) + "'");
    }
    out.port = static_cast<std::uint16_t>(value);
  }
  out.host = std::string(host);
  if (!isLoopbackHost(out.host)) {
    return invalidArgument("host '" + out.host +
                           "' is not loopback: the load generator only dials 127.0.0.0/8 and ::1");
  }
  return out;
}

}  // namespace

std::string expandTemplate(std::string_view tmpl, std::string_view key, std::size_t index) {
  const std::string_view name = key.substr(0, key.find('?'));
  std::string out;
  out.reserve(tmpl.size() + key.size());
  while (!tmpl.empty()) {
    const std::size_t open = tmpl.find('{');
    out.append(tmpl.substr(0, open));
    if (open == std::string_view::npos) break;
    tmpl.remove_prefix(open);
    if (tmpl.starts_with("{key}")) {
      out.append(key);
      tmpl.remove_prefix(5);
    } else if (tmpl.starts_with("{name}")) {
      out.append(name);
      tmpl.remove_prefix(6);
    } else if (tmpl.starts_with("{index}")) {
      out.append(std::to_string(index));
      tmpl.remove_prefix(7);
    } else {
      out.push_back('{');
      tmpl.remove_prefix(1);
    }
  }
  return out;
}

bool isLoopbackHost(std::string_view host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

Result<RtmpUrl> parseRtmpUrl(std::string_view url) {
  auto authority = splitAuthority(url, "rtmp://", 1935);
  if (!authority.ok()) return authority.status();
  std::string_view path = authority->rest;
  if (path.size() < 2) return invalidArgument(quoted(url) + " has no application and stream name");
  path.remove_prefix(1);
  const std::size_t slash = path.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= path.size()) {
    return invalidArgument(quoted(url) + " is not rtmp://host:port/app/stream");
  }
  RtmpUrl out;
  out.host = authority->host;
  out.port = authority->port;
  out.app = std::string(path.substr(0, slash));
  out.streamName = std::string(path.substr(slash + 1));
  out.tcUrl = "rtmp://" + std::string(url.substr(7, url.size() - 7 - authority->rest.size())) + "/" + out.app;
  return out;
}

Result<HttpUrl> parseHttpUrl(std::string_view url) {
  auto authority = splitAuthority(url, "http://", 80);
  if (!authority.ok()) return authority.status();
  HttpUrl out;
  out.host = authority->host;
  out.port = authority->port;
  out.target = authority->rest.empty() ? "/" : std::string(authority->rest);
  return out;
}

Result<HttpUrl> resolveUri(const HttpUrl& playlist, std::string_view uri) {
  if (uri.starts_with("http://")) return parseHttpUrl(uri);
  if (uri.find("://") != std::string_view::npos) return invalidArgument("unsupported URI '" + std::string(uri) + "'");
  HttpUrl out = playlist;
  if (uri.starts_with("/")) {
    out.target = std::string(uri);
    return out;
  }
  std::string_view base = playlist.target;
  base = base.substr(0, base.find('?'));
  out.target = std::string(base.substr(0, base.rfind('/') + 1));
  out.target.append(uri);
  return out;
}

}  // namespace ls::loadgen
