#include "http/response_head.hpp"

#include "core/encoding.hpp"

#include <array>
#include <charconv>

namespace ls::http {

namespace {

bool isTokenChar(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~': return true;
    default: return false;
  }
}

// Headers the server writes itself: a handler's copy would contradict the framing.
bool isServerOwned(std::string_view name) {
  return equalsIgnoreCase(name, "content-length") || equalsIgnoreCase(name, "transfer-encoding") ||
         equalsIgnoreCase(name, "connection") || equalsIgnoreCase(name, "keep-alive") ||
         equalsIgnoreCase(name, "date") || equalsIgnoreCase(name, "server") || equalsIgnoreCase(name, "upgrade");
}

void appendNumber(std::string& out, unsigned long long value) {
  std::array<char, 24> digits{};
  const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), value);
  out.append(digits.data(), static_cast<std::size_t>(result.ptr - digits.data()));
}

void appendTwoDigits(std::string& out, long long value) {
  out.push_back(static_cast<char>('0' + value / 10));
  out.push_back(static_cast<char>('0' + value % 10));
}

}  // namespace

bool isValidHeaderName(std::string_view name) noexcept {
  if (name.empty()) return false;
  for (char c : name) {
    if (!isTokenChar(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool isValidHeaderValue(std::string_view value) noexcept {
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && u != '\t') || u == 0x7f) return false;
  }
  return true;
}

HeadResult appendResponseHead(const Response& response, const HeadContext& context, std::string& out) {
  HeadResult result;
  // A 1xx as a final response would leave the client waiting for another one.
  result.status = (response.status >= 200 && response.status <= 999) ? response.status : 500;
  const bool bodiless = result.status == 204 || result.status == 304;

  out.append("HTTP/1.1 ");
  appendNumber(out, static_cast<unsigned long long>(result.status));
  out.push_back(' ');
  out.append(reasonPhrase(result.status));
  out.append("\r\nServer: lunarstream\r\n");
  if (!context.httpDate.empty()) {
    out.append("Date: ");
    out.append(context.httpDate);
    out.append("\r\n");
  }
  const bool validContentType = isValidHeaderValue(response.contentType);
  if (!response.contentType.empty() && !bodiless) {
    if (validContentType) {
      out.append("Content-Type: ");
      out.append(response.contentType);
      out.append("\r\n");
    } else {
      ++result.droppedHeaders;
    }
  }
  // RFC 9110 §8.6: no Content-Length in a 204; a 304 may omit it.
  if (!bodiless) {
    const std::size_t size = response.bodySize();
    out.append("Content-Length: ");
    appendNumber(out, size);
    out.append("\r\n");
    result.bodyBytesToSend = context.headRequest ? 0 : size;
  }
  if (!context.keepAlive) {
    out.append("Connection: close\r\n");
  } else if (context.requestVersion < 11) {
    out.append("Connection: keep-alive\r\n");
  }
  const bool hasContentType = !response.contentType.empty();
  for (const Header& h : response.headers) {
    if (isServerOwned(h.name) || (hasContentType && equalsIgnoreCase(h.name, "content-type")) ||
        !isValidHeaderName(h.name) || !isValidHeaderValue(h.value)) {
      ++result.droppedHeaders;
      continue;
    }
    out.append(h.name);
    out.append(": ");
    out.append(h.value);
    out.append("\r\n");
  }
  out.append("\r\n");
  return result;
}

std::string formatHttpDate(long long unixSeconds) {
  static constexpr std::array<std::string_view, 7> kDays{"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  static constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (unixSeconds < 0) unixSeconds = 0;
  const long long days = unixSeconds / 86400;
  const long long secondsOfDay = unixSeconds % 86400;
  // Civil-from-days (proleptic Gregorian), so the result does not depend on the C locale or TZ.
  const long long z = days + 719468;
  const long long era = z / 146097;
  const long long doe = z - era * 146097;
  const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long long mp = (5 * doy + 2) / 153;
  const long long day = doy - (153 * mp + 2) / 5 + 1;
  const long long month = mp < 10 ? mp + 3 : mp - 9;
  const long long year = yoe + era * 400 + (month <= 2 ? 1 : 0);

  std::string out;
  out.reserve(29);
  out.append(kDays[static_cast<std::size_t>(days % 7)]);
  out.append(", ");
  appendTwoDigits(out, day);
  out.push_back(' ');
  out.append(kMonths[static_cast<std::size_t>(month - 1)]);
  out.push_back(' ');
  appendNumber(out, static_cast<unsigned long long>(year));
  out.push_back(' ');
  appendTwoDigits(out, secondsOfDay / 3600);
  out.push_back(':');
  appendTwoDigits(out, secondsOfDay / 60 % 60);
  out.push_back(':');
  appendTwoDigits(out, secondsOfDay % 60);
  out.append(" GMT");
  return out;
}

}  // namespace ls::http
