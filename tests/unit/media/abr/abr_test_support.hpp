// Shared by the transcoder tests: feeding a stream the way a LiveSource does
// (original packager and transcoder side by side, timestamps interleaved),
// reading the playlists back, and looking inside the TS segments (demuxed by
// the TS tests' independent demuxer, pictures decoded by libavcodec).
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
}

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "media/hls/packager.hpp"
#include "media/hls/segment_store.hpp"
#include "unit/media/abr/h264_test_source.hpp"
#include "unit/media/ts/ts_demux_for_test.hpp"

namespace ls::abr::testing {

inline constexpr UnixMillis kT0 = 1'700'000'000'000;
inline constexpr std::uint64_t kFirstSequence = 500;

// One source frame or AAC frame in the order a LiveSource would pass them on.
struct SourceEvent {
  bool video = false;
  const SourceFrame* frame = nullptr;  // video
  std::int64_t audioPts = 0;           // audio
};

// Video by dts and audio by pts, merged; on a tie video goes first (the
// order ffmpeg's FLV muxer writes equal timestamps in).
inline std::vector<SourceEvent> interleave(const std::vector<SourceFrame>& video, std::int64_t audioFrom,
                                           std::int64_t audioTo) {
  std::vector<SourceEvent> out;
  std::size_t v = 0;
  // AAC at 44.1 kHz: 1024 samples = 23.2 ms.
  std::int64_t audioIndex = 0;
  auto audioAt = [&](std::int64_t i) { return audioFrom + i * 1024 * 1000 / 44100; };
  while (v < video.size() || audioAt(audioIndex) < audioTo) {
    const bool audioLeft = audioAt(audioIndex) < audioTo;
    if (v < video.size() && (!audioLeft || video[v].dts <= audioAt(audioIndex))) {
      out.push_back({true, &video[v++], 0});
    } else {
      out.push_back({false, nullptr, audioAt(audioIndex++)});
    }
  }
  return out;
}

inline std::vector<std::uint8_t> aacPayload(std::int64_t pts) {
  std::vector<std::uint8_t> raw(120);
  for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<std::uint8_t>(pts + static_cast<std::int64_t>(i));
  return raw;
}

struct PlaylistEntry {
  std::uint64_t sequence = 0;
  std::int64_t durationMs = 0;
  std::string programDateTime;
};

struct ParsedPlaylist {
  std::vector<PlaylistEntry> segments;
  bool ended = false;
};

inline ParsedPlaylist parsePlaylist(const std::string& text) {
  ParsedPlaylist out;
  std::uint64_t sequence = 0;
  std::string programDateTime;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    const std::string line = text.substr(at, end - at);
    at = end + 1;
    auto value = [&](const char* tag) -> std::optional<std::string> {
      const std::string prefix = tag;
      if (line.rfind(prefix, 0) != 0) return std::nullopt;
      return line.substr(prefix.size());
    };
    if (auto v = value("#EXT-X-MEDIA-SEQUENCE:")) sequence = std::stoull(*v);
    if (auto v = value("#EXT-X-PROGRAM-DATE-TIME:")) programDateTime = *v;
    if (auto v = value("#EXTINF:")) {
      // "2.000," -> 2000 ms: three decimals, always (playlist.hpp).
      const std::size_t dot = v->find('.');
      const std::int64_t ms = std::stoll(v->substr(0, dot)) * 1000 + std::stoll(v->substr(dot + 1, 3));
      out.segments.push_back({sequence++, ms, programDateTime});
      programDateTime.clear();
    }
    if (line == "#EXT-X-ENDLIST") out.ended = true;
  }
  return out;
}

inline ParsedPlaylist playlistOf(const hls::StreamHls& stream, const std::string& rendition) {
  auto r = stream.rendition(rendition);
  if (!r || !r->playlist()) return {};
  return parsePlaylist(*r->playlist());
}

// What one segment holds.
struct SegmentContent {
  std::vector<std::uint64_t> videoPts;  // 90 kHz, in PES order
  std::vector<std::uint64_t> audioPts;
  std::vector<std::vector<std::uint8_t>> audioPayloads;
  bool startsWithRandomAccess = false;
  int width = 0;  // of the decoded pictures (0: none decoded)
  int height = 0;
  int pictures = 0;
  std::vector<std::string> errors;
};

inline SegmentContent inspectSegment(const hls::Segment& segment) {
  SegmentContent out;
  ls::ts::testing::TsDemuxForTest demux;
  demux.feed(segment.bytes);
  out.errors = demux.errors;
  const AVCodec* codec = avcodec_find_decoder(AV_CODEC_ID_H264);
  AVCodecContext* ctx = avcodec_alloc_context3(codec);
  ctx->thread_count = 1;
  avcodec_open2(ctx, codec, nullptr);
  AVPacket* packet = av_packet_alloc();
  AVFrame* frame = av_frame_alloc();
  auto receive = [&] {
    while (avcodec_receive_frame(ctx, frame) >= 0) {
      ++out.pictures;
      out.width = frame->width;
      out.height = frame->height;
    }
  };
  for (const auto& [pid, stream] : demux.streams) {
    for (const auto& pes : stream.pes) {
      if (stream.streamType == 0x1b) {
        if (out.videoPts.empty()) out.startsWithRandomAccess = pes.randomAccess;
        out.videoPts.push_back(pes.pts.value_or(0));
        std::vector<std::uint8_t> data(pes.payload);
        data.resize(data.size() + AV_INPUT_BUFFER_PADDING_SIZE);
        packet->data = data.data();
        packet->size = static_cast<int>(pes.payload.size());
        avcodec_send_packet(ctx, packet);
        receive();
      } else if (stream.streamType == 0x0f) {
        out.audioPts.push_back(pes.pts.value_or(0));
        out.audioPayloads.push_back(pes.payload);
      }
    }
  }
  avcodec_send_packet(ctx, nullptr);
  receive();
  av_frame_free(&frame);
  av_packet_free(&packet);
  avcodec_free_context(&ctx);
  return out;
}

inline std::vector<SegmentContent> inspectRendition(const hls::StreamHls& stream, const std::string& name) {
  std::vector<SegmentContent> out;
  auto r = stream.rendition(name);
  if (!r) return out;
  for (const PlaylistEntry& e : playlistOf(stream, name).segments) {
    auto segment = r->segmentBySequence(e.sequence);
    if (segment) out.push_back(inspectSegment(*segment));
  }
  return out;
}

}  // namespace ls::abr::testing
