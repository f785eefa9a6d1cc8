#include "media/abr/annexb.hpp"

#include "media/flv/h264_sps.hpp"

namespace ls::abr {

namespace {

constexpr std::uint8_t kNalSps = 7;
constexpr std::uint8_t kNalPps = 8;
constexpr std::uint8_t kNalAud = 9;

std::uint8_t nalType(std::span<const std::uint8_t> nal) {
  return static_cast<std::uint8_t>(nal[0] & 0x1f);
}

}  // namespace

void annexBToAvcc(std::span<const std::uint8_t> annexB, std::vector<std::uint8_t>& out) {
  out.clear();
  forEachAnnexBNal(annexB, [&out](std::span<const std::uint8_t> nal) {
    const std::uint8_t type = nalType(nal);
    if (type == kNalSps || type == kNalPps || type == kNalAud) return;
    const auto size = static_cast<std::uint32_t>(nal.size());
    out.push_back(static_cast<std::uint8_t>(size >> 24));
    out.push_back(static_cast<std::uint8_t>(size >> 16));
    out.push_back(static_cast<std::uint8_t>(size >> 8));
    out.push_back(static_cast<std::uint8_t>(size));
    out.insert(out.end(), nal.begin(), nal.end());
  });
}

Result<media::VideoConfig> videoConfigFromAnnexB(std::span<const std::uint8_t> extradata) {
  media::VideoConfig config;
  config.naluLengthSize = 4;
  forEachAnnexBNal(extradata, [&config](std::span<const std::uint8_t> nal) {
    const std::uint8_t type = nalType(nal);
    if (type == kNalSps) config.sps.emplace_back(nal.begin(), nal.end());
    if (type == kNalPps) config.pps.emplace_back(nal.begin(), nal.end());
  });
  if (config.sps.empty() || config.pps.empty()) return invalidArgument("encoder header has no SPS or no PPS");
  auto sps = flv::parseH264Sps(config.sps.front());
  if (!sps.ok()) return invalidArgument("encoder SPS: " + sps.status().message());
  // RFC 6381 avc1.PPCCLL straight from what x264 wrote (its profile and
  // level follow the preset, the size and the VBV settings).
  config.profileIdc = sps->profileIdc;
  config.constraintFlags = sps->constraintFlags;
  config.levelIdc = sps->levelIdc;
  config.width = sps->width;
  config.height = sps->height;
  return config;
}

}  // namespace ls::abr
