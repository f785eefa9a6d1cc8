// Program specific information (ISO/IEC 13818-1 clause 2.4.4): the PAT and
// the PMT of the single program an HLS segment carries.
#pragma once

#include <cstdint>
#include <vector>

namespace ls::ts {

inline constexpr std::uint16_t kPatPid = 0x0000;
inline constexpr std::uint16_t kPmtPid = 0x1000;
inline constexpr std::uint16_t kVideoPid = 0x0100;
inline constexpr std::uint16_t kAudioPid = 0x0101;
inline constexpr std::uint16_t kNullPid = 0x1fff;  // "no PCR" in a PMT
inline constexpr std::uint8_t kStreamTypeH264 = 0x1b;
inline constexpr std::uint8_t kStreamTypeAdtsAac = 0x0f;
inline constexpr std::uint16_t kProgramNumber = 1;

struct ProgramStreams {
  bool hasVideo = true;
  bool hasAudio = true;
  std::uint16_t pcrPid = kVideoPid;
};

// Complete sections, CRC_32 included.
std::vector<std::uint8_t> makePatSection();
std::vector<std::uint8_t> makePmtSection(const ProgramStreams& streams);

}  // namespace ls::ts
