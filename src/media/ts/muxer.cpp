#include "media/ts/muxer.hpp"

#include <array>
#include <span>

#include "media/ts/adts.hpp"
#include "media/ts/pes.hpp"
#include "media/ts/psi.hpp"
#include "media/ts/ts_packet.hpp"

namespace ls::ts {
namespace {

constexpr std::int64_t kMaxPcrIntervalMs = 100;  // ISO/IEC 13818-1 2.7.2: at most 0.1 s between PCRs
constexpr std::array<std::uint8_t, 4> kStartCode = {0, 0, 0, 1};
// Access unit delimiter, primary_pic_type 7 ("any slice type") + stop bit.
// ITU-T H.222.0 2.14.1 constrains AVC access units in a TS to start with one;
// FLV publishers (x264 via ffmpeg, OBS) do not send it.
constexpr std::array<std::uint8_t, 6> kAccessUnitDelimiter = {0, 0, 0, 1, 0x09, 0xf0};
constexpr std::uint8_t kNalTypeIdr = 5;
constexpr std::uint8_t kNalTypeSps = 7;
constexpr std::uint8_t kNalTypeAud = 9;

std::uint32_t readLength(const std::uint8_t* p, std::size_t size) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < size; ++i) v = (v << 8) | p[i];
  return v;
}

// One pass over the length-prefixed NALUs without touching their payloads.
struct AccessUnitScan {
  std::size_t annexBSize = 0;  // start codes + NALU bytes
  std::size_t naluCount = 0;
  bool hasIdr = false;
  bool hasSps = false;
  bool startsWithAud = false;
};

Result<AccessUnitScan> scanAccessUnit(std::span<const std::uint8_t> avcc, std::size_t lengthSize) {
  AccessUnitScan scan;
  std::size_t pos = 0;
  while (pos < avcc.size()) {
    if (avcc.size() - pos < lengthSize) return invalidArgument("malformed AVC frame: truncated NALU length");
    const std::uint32_t length = readLength(avcc.data() + pos, lengthSize);
    pos += lengthSize;
    if (length > avcc.size() - pos) return invalidArgument("malformed AVC frame: NALU length beyond the frame");
    if (length == 0) continue;  // nothing to carry
    const std::uint8_t type = avcc[pos] & 0x1f;
    if (scan.naluCount == 0 && type == kNalTypeAud) scan.startsWithAud = true;
    scan.hasIdr = scan.hasIdr || type == kNalTypeIdr;
    scan.hasSps = scan.hasSps || type == kNalTypeSps;
    scan.annexBSize += kStartCode.size() + length;
    ++scan.naluCount;
    pos += length;
  }
  if (scan.naluCount == 0) return invalidArgument("malformed AVC frame: no NAL units");
  return scan;
}

}  // namespace

bool Muxer::PcrClock::take(std::int64_t ms, bool keyframe) {
  // Look one frame ahead: if waiting for the next frame at the current
  // cadence would stretch the gap past 100 ms, send the PCR now.
  const std::int64_t cadence = lastFrameMs && ms > *lastFrameMs ? ms - *lastFrameMs : 0;
  lastFrameMs = ms;
  const bool due =
      forceNext || keyframe || !lastPcrMs || ms < *lastPcrMs || ms - *lastPcrMs + cadence > kMaxPcrIntervalMs;
  if (due) {
    lastPcrMs = ms;
    forceNext = false;
  }
  return due;
}

Muxer::Muxer(MuxerOptions options)
    : options_(options),
      pcrPid_(options.hasVideo   ? kVideoPid
              : options.hasAudio ? kAudioPid
                                 : kNullPid),
      patSection_(makePatSection()),
      pmtSection_(makePmtSection({.hasVideo = options.hasVideo, .hasAudio = options.hasAudio, .pcrPid = pcrPid_})) {}

void Muxer::setVideoConfig(const media::VideoConfig& config) {
  naluLengthSize_ = config.naluLengthSize >= 1 && config.naluLengthSize <= 4 ? config.naluLengthSize : 0;
  parameterSets_.clear();
  for (const auto* sets : {&config.sps, &config.pps}) {
    for (const auto& nalu : *sets) {
      if (nalu.empty()) continue;
      parameterSets_.insert(parameterSets_.end(), kStartCode.begin(), kStartCode.end());
      parameterSets_.insert(parameterSets_.end(), nalu.begin(), nalu.end());
    }
  }
}

void Muxer::setAudioConfig(const media::AudioConfig& config) {
  audioConfig_ = config;
}

void Muxer::writeTables(TsBytes& out) {
  ensureCapacity(out, 2 * kPacketSize);
  appendSectionPacket(out, kPatPid, patCounter_, patSection_);
  appendSectionPacket(out, kPmtPid, pmtCounter_, pmtSection_);
  pcr_.forceNext = true;
}

Status Muxer::writeVideo(const media::VideoFrame& frame, TsBytes& out) {
  if (!options_.hasVideo) return invalidArgument("this muxer has no video track");
  if (naluLengthSize_ == 0) return invalidArgument("video frame before a usable video config");
  Result<AccessUnitScan> scanned = scanAccessUnit(frame.avcc, naluLengthSize_);
  if (!scanned.ok()) return std::move(scanned).takeStatus();
  const AccessUnitScan& scan = *scanned;

  const bool randomAccess = frame.keyframe || scan.hasIdr;
  const bool insertParameterSets = randomAccess && !scan.hasSps;
  const std::size_t esSize = (scan.startsWithAud ? 0 : kAccessUnitDelimiter.size()) +
                             (insertParameterSets ? parameterSets_.size() : 0) + scan.annexBSize;
  const PesHeader header = makePesHeader(kStreamIdVideo, esSize, to90kHz(frame.pts()), to90kHz(frame.dts));

  FirstPacketFlags flags;
  flags.randomAccess = randomAccess;
  if (pcrPid_ == kVideoPid && pcr_.take(frame.dts, randomAccess)) {
    flags.pcrBase = to90kHz(frame.dts, kTimestampOffset90k - kPcrLead90k);
  }
  const std::size_t pesSize = header.size + esSize;
  ensureCapacity(out, PesPacketizer::maxPacketBytes(pesSize));
  PesPacketizer packets(out, kVideoPid, videoCounter_, pesSize, flags);
  packets.write({header.bytes.data(), header.size});
  if (!scan.startsWithAud) packets.write(kAccessUnitDelimiter);
  // With the publisher's own AUD first, the parameter sets go right after it.
  bool parameterSetsPending = insertParameterSets;
  if (parameterSetsPending && !scan.startsWithAud) {
    packets.write(parameterSets_);
    parameterSetsPending = false;
  }
  std::size_t pos = 0;
  while (pos < frame.avcc.size()) {
    const std::uint32_t length = readLength(frame.avcc.data() + pos, naluLengthSize_);
    pos += naluLengthSize_;
    if (length == 0) continue;
    packets.write(kStartCode);
    packets.write(frame.avcc.subspan(pos, length));
    pos += length;
    if (parameterSetsPending) {
      packets.write(parameterSets_);
      parameterSetsPending = false;
    }
  }
  return Status::ok();
}

Status Muxer::writeAudio(const media::AudioFrame& frame, TsBytes& out) {
  if (!options_.hasAudio) return invalidArgument("this muxer has no audio track");
  if (!audioConfig_) return invalidArgument("audio frame before the audio config");
  Result<AdtsHeader> adts = makeAdtsHeader(*audioConfig_, frame.raw.size());
  if (!adts.ok()) return std::move(adts).takeStatus();

  const std::size_t esSize = kAdtsHeaderSize + frame.raw.size();
  const std::uint64_t pts = to90kHz(frame.pts);
  const PesHeader header = makePesHeader(kStreamIdAudio, esSize, pts, std::nullopt);
  FirstPacketFlags flags;
  // Every AAC frame is a random access point; marking it lets a player
  // start on audio in an audio-only rendition.
  flags.randomAccess = true;
  if (pcrPid_ == kAudioPid && pcr_.take(frame.pts, false)) {
    flags.pcrBase = to90kHz(frame.pts, kTimestampOffset90k - kPcrLead90k);
  }
  const std::size_t pesSize = header.size + esSize;
  ensureCapacity(out, PesPacketizer::maxPacketBytes(pesSize));
  PesPacketizer packets(out, kAudioPid, audioCounter_, pesSize, flags);
  packets.write({header.bytes.data(), header.size});
  packets.write(*adts);
  packets.write(frame.raw);
  return Status::ok();
}

}  // namespace ls::ts
