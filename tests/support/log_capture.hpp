// Captures what the default spdlog logger writes while it lives, for tests
// that assert an operator is told something ("is OFFLINE", "restarted").
// Thread-safe to read while others log.
#pragma once

#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ls::testing {

class LogCapture {
 public:
  LogCapture() : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(kCapacity)) {
    sink_->set_pattern("%l %v");
    spdlog::default_logger()->sinks().push_back(sink_);
  }
  ~LogCapture() { std::erase(spdlog::default_logger()->sinks(), sink_); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  // Every line since construction (or the last clear), "<level> <message>".
  [[nodiscard]] std::vector<std::string> lines() const {
    std::vector<std::string> out = sink_->last_formatted();
    out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(std::min(skip_, out.size())));
    for (std::string& line : out) {
      while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    }
    return out;
  }
  // How many lines contain `text`.
  [[nodiscard]] std::size_t count(std::string_view text) const {
    const std::vector<std::string> all = lines();
    return static_cast<std::size_t>(
        std::count_if(all.begin(), all.end(), [&](const std::string& l) { return l.find(text) != std::string::npos; }));
  }
  void clear() { skip_ = sink_->last_formatted().size(); }

 private:
  static constexpr std::size_t kCapacity = 1024;
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
  std::size_t skip_ = 0;
};

}  // namespace ls::testing
