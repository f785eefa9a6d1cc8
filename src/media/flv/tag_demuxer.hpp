// FLV tag bodies to protocol-neutral media: what an RTMP session (or an FLV
// file reader) hands to a media::MediaSink. Sequence headers become codec
// configurations, frames become access units; end-of-sequence and info
// frames carry nothing a sink needs. Pure: no state, no I/O.
#pragma once

#include <cstdint>
#include <span>

#include "core/status.hpp"
#include "media/core/sink.hpp"

namespace ls::flv {

// A malformed or unsupported tag is returned as an error and never reaches
// the sink. Payload spans handed to the sink point into `body`.
Status demuxVideoTag(std::int64_t timestampMs, std::span<const std::uint8_t> body, media::MediaSink& sink);
Status demuxAudioTag(std::int64_t timestampMs, std::span<const std::uint8_t> body, media::MediaSink& sink);

}  // namespace ls::flv
