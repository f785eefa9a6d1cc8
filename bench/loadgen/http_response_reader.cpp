#include "loadgen/http_response_reader.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>

namespace ls::loadgen {

namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return (x | 0x20) == (y | 0x20); });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool containsToken(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    if (equalsIgnoreCase(trim(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

void HttpResponseReader::reset(bool keepBody) {
  phase_ = Phase::kHeaders;
  keepBody_ = keepBody;
  head_.clear();
  body_.clear();
  status_ = 0;
  keepAlive_ = true;
  untilClose_ = false;
  remaining_ = 0;
  bodyBytes_ = 0;
  firstByte_ = -1;
}

void HttpResponseReader::takeBody(std::span<const char> bytes) {
  if (bytes.empty()) return;
  if (firstByte_ < 0) firstByte_ = static_cast<unsigned char>(bytes[0]);
  bodyBytes_ += bytes.size();
  if (keepBody_) body_.append(bytes.data(), bytes.size());
}

Status HttpResponseReader::parseHeaders() {
  std::string_view text(head_);
  const std::size_t eol = text.find("\r\n");
  const std::string_view statusLine = text.substr(0, eol);
  // "HTTP/1.1 200 OK"
  if (!statusLine.starts_with("HTTP/1.") || statusLine.size() < 12) return invalidArgument("bad status line");
  const std::string_view code = statusLine.substr(9, 3);
  if (std::from_chars(code.data(), code.data() + 3, status_).ec != std::errc()) {
    return invalidArgument("bad status code");
  }
  keepAlive_ = statusLine.starts_with("HTTP/1.1");
  bool haveLength = false;
  bool chunked = false;
  text.remove_prefix(eol + 2);
  while (!text.empty()) {
    const std::size_t end = text.find("\r\n");
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 2);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trim(line.substr(colon + 1));
    if (equalsIgnoreCase(name, "content-length")) {
      if (std::from_chars(value.data(), value.data() + value.size(), remaining_).ec != std::errc()) {
        return invalidArgument("bad Content-Length");
      }
      haveLength = true;
    } else if (equalsIgnoreCase(name, "transfer-encoding")) {
      chunked = containsToken(value, "chunked");
    } else if (equalsIgnoreCase(name, "connection")) {
      if (containsToken(value, "close")) keepAlive_ = false;
      if (containsToken(value, "keep-alive")) keepAlive_ = true;
    }
  }
  head_.clear();
  if (chunked) {
    phase_ = Phase::kChunkSize;
  } else if (haveLength) {
    phase_ = remaining_ == 0 ? Phase::kDone : Phase::kBody;
  } else if (status_ == 204 || status_ == 304) {
    phase_ = Phase::kDone;
  } else {
    untilClose_ = true;
    keepAlive_ = false;
    phase_ = Phase::kBody;
  }
  return Status::ok();
}

Result<std::size_t> HttpResponseReader::feed(std::span<const char> in) {
  std::size_t used = 0;
  if (phase_ == Phase::kHeaders) {
    // The blank line may straddle reads: search from a little before the new bytes.
    const std::size_t searchFrom = head_.size() >= 3 ? head_.size() - 3 : 0;
    const std::size_t take = std::min(in.size(), kMaxHeaderBytes + 4 - head_.size());
    head_.append(in.data(), take);
    const std::size_t end = head_.find("\r\n\r\n", searchFrom);
    if (end == std::string::npos) {
      if (head_.size() > kMaxHeaderBytes) return invalidArgument("response headers too large");
      return take;
    }
    used = take - (head_.size() - (end + 4));
    head_.resize(end + 2);
    if (Status s = parseHeaders(); !s.isOk()) return s;
    in = in.subspan(used);
  }
  if (phase_ == Phase::kBody) {
    if (untilClose_) {
      takeBody(in);
      return used + in.size();
    }
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, in.size()));
    takeBody(in.first(n));
    remaining_ -= n;
    if (remaining_ == 0) phase_ = Phase::kDone;
    return used + n;
  }
  if (phase_ == Phase::kDone) return used;
  auto chunked = feedChunked(in);
  if (!chunked.ok()) return chunked.status();
  return used + *chunked;
}

Result<std::size_t> HttpResponseReader::feedChunked(std::span<const char> in) {
  std::size_t pos = 0;
  while (pos < in.size() && phase_ != Phase::kDone) {
    if (phase_ == Phase::kChunkSize || phase_ == Phase::kChunkDataEnd || phase_ == Phase::kTrailers) {
      const char c = in[pos++];
      if (c != '\n') {
        if (head_.size() > 1024) return invalidArgument("chunk line too long");
        head_.push_back(c);
        continue;
      }
      std::string_view line = trim(head_);
      if (phase_ == Phase::kChunkDataEnd) {
        phase_ = Phase::kChunkSize;
      } else if (phase_ == Phase::kTrailers) {
        if (line.empty()) phase_ = Phase::kDone;
      } else {
        line = line.substr(0, line.find(';'));
        if (std::from_chars(line.data(), line.data() + line.size(), remaining_, 16).ec != std::errc()) {
          return invalidArgument("bad chunk size");
        }
        phase_ = remaining_ == 0 ? Phase::kTrailers : Phase::kChunkData;
      }
      head_.clear();
      continue;
    }
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, in.size() - pos));
    takeBody(in.subspan(pos, n));
    pos += n;
    remaining_ -= n;
    if (remaining_ == 0) phase_ = Phase::kChunkDataEnd;
  }
  return pos;
}

Status HttpResponseReader::onEof() {
  if (phase_ == Phase::kBody && untilClose_) {
    phase_ = Phase::kDone;
    return Status::ok();
  }
  if (phase_ == Phase::kDone) return Status::ok();
  return unavailable("connection closed in the middle of a response");
}

}  // namespace ls::loadgen
