// FFmpeg's negative error codes as our Status (private to media_abr).
#pragma once

#include <string>

#include "core/status.hpp"

namespace ls::abr {

// "<what>: <av_strerror text>"; kUnavailable for resource problems,
// kInvalidArgument for everything the data or the settings caused.
Status ffmpegError(const std::string& what, int err);

// Routes libav* logging (warnings and errors only) to spdlog, once per
// process: x264 and the decoder would otherwise print to stderr.
void routeFfmpegLogs();

}  // namespace ls::abr
