#include "http_client/url_text.hpp"

namespace ls::http_client {

std::string redactedUrl(std::string_view url) {
  url = url.substr(0, url.find_first_of("?#"));
  const std::size_t schemeEnd = url.find("://");
  const std::size_t authorityStart = schemeEnd == std::string_view::npos ? 0 : schemeEnd + 3;
  std::size_t authorityEnd = url.find('/', authorityStart);
  if (authorityEnd == std::string_view::npos) authorityEnd = url.size();
  // The last '@' of the authority ends the userinfo; a password may hold '@'
  // (badly encoded), the host cannot.
  const std::string_view authority = url.substr(authorityStart, authorityEnd - authorityStart);
  const std::size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  std::string out(url.substr(0, authorityStart));
  out += url.substr(authorityStart + at + 1);
  return out;
}

std::string percentEncoded(std::string_view value, bool keepSlashes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    const auto b = static_cast<unsigned char>(c);
    const bool unreserved = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' ||
                            b == '.' || b == '_' || b == '~';
    if (unreserved || (keepSlashes && b == '/')) {
      out += c;
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xf];
    }
  }
  return out;
}

}  // namespace ls::http_client
