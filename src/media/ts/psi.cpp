#include "media/ts/psi.hpp"

#include "media/ts/crc32_mpeg2.hpp"

namespace ls::ts {
namespace {

constexpr std::uint8_t kTableIdPat = 0x00;
constexpr std::uint8_t kTableIdPmt = 0x02;
constexpr std::uint16_t kTransportStreamId = 1;

void appendU16(std::vector<std::uint8_t>& s, std::uint32_t v) {
  s.push_back(static_cast<std::uint8_t>(v >> 8));
  s.push_back(static_cast<std::uint8_t>(v));
}

// table_id, section_syntax_indicator '1', '0', reserved '11', section_length
// (patched by finish()), the 16-bit id, reserved '11', version 0,
// current_next_indicator 1, section_number 0, last_section_number 0.
std::vector<std::uint8_t> startSection(std::uint8_t tableId, std::uint16_t id) {
  std::vector<std::uint8_t> s{tableId, 0xb0, 0x00};
  appendU16(s, id);
  s.insert(s.end(), {0xc1, 0x00, 0x00});
  return s;
}

// section_length counts the bytes after it, CRC_32 included.
void finishSection(std::vector<std::uint8_t>& s) {
  const std::size_t sectionLength = s.size() - 3 + 4;
  s[1] = static_cast<std::uint8_t>(0xb0 | ((sectionLength >> 8) & 0x0f));
  s[2] = static_cast<std::uint8_t>(sectionLength);
  const std::uint32_t crc = crc32Mpeg2(s);
  appendU16(s, crc >> 16);
  appendU16(s, crc & 0xffff);
}

}  // namespace

std::vector<std::uint8_t> makePatSection() {
  std::vector<std::uint8_t> s = startSection(kTableIdPat, kTransportStreamId);
  appendU16(s, kProgramNumber);
  appendU16(s, 0xe000U | kPmtPid);  // reserved '111' + program_map_PID
  finishSection(s);
  return s;
}

std::vector<std::uint8_t> makePmtSection(const ProgramStreams& streams) {
  std::vector<std::uint8_t> s = startSection(kTableIdPmt, kProgramNumber);
  appendU16(s, 0xe000U | streams.pcrPid);  // reserved '111' + PCR_PID
  appendU16(s, 0xf000U);                   // reserved '1111' + program_info_length 0
  auto addStream = [&s](std::uint8_t streamType, std::uint16_t pid) {
    s.push_back(streamType);
    appendU16(s, 0xe000U | pid);  // reserved '111' + elementary_PID
    appendU16(s, 0xf000U);        // reserved '1111' + ES_info_length 0
  };
  if (streams.hasVideo) addStream(kStreamTypeH264, kVideoPid);
  if (streams.hasAudio) addStream(kStreamTypeAdtsAac, kAudioPid);
  finishSection(s);
  return s;
}

}  // namespace ls::ts
