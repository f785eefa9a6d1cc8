#include "media/abr/ffmpeg_error.hpp"

extern "C" {
#include <libavutil/error.h>
#include <libavutil/log.h>
}

#include <spdlog/spdlog.h>

#include "core/log_text.hpp"

#include <array>
#include <cerrno>
#include <cstdarg>
#include <mutex>

namespace ls::abr {

Status ffmpegError(const std::string& what, int err) {
  std::array<char, AV_ERROR_MAX_STRING_SIZE> text{};
  av_strerror(err, text.data(), text.size());
  std::string message = what + ": " + text.data();
  if (err == AVERROR(ENOMEM)) return unavailable(std::move(message));
  return invalidArgument(std::move(message));
}

namespace {

void logCallback(void* avcl, int level, const char* fmt, va_list args) {
  if (level > AV_LOG_WARNING) return;
  std::array<char, 1024> line{};
  int prefix = 1;
  av_log_format_line2(avcl, level, fmt, args, line.data(), static_cast<int>(line.size()), &prefix);
  std::string_view text(line.data());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  if (text.empty()) return;
  if (level <= AV_LOG_ERROR) {
    spdlog::warn("ffmpeg: {}", logText(text));
  } else {
    spdlog::debug("ffmpeg: {}", logText(text));
  }
}

}  // namespace

void routeFfmpegLogs() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_callback(logCallback); });
}

}  // namespace ls::abr
