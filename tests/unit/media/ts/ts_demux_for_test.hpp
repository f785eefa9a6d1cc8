// A small, strict MPEG-TS demuxer for tests: PAT -> PMT -> PES reassembly,
// written independently of the muxer (from ISO/IEC 13818-1 directly) so the
// round-trip tests check the muxer against the spec, not against itself.
// Structural problems are collected in `errors` rather than thrown.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "media/ts/crc32_mpeg2.hpp"

namespace ls::ts::testing {

struct DemuxedPes {
  std::uint8_t streamId = 0;
  std::uint16_t declaredLength = 0;  // PES_packet_length as coded
  std::optional<std::uint64_t> pts;
  std::optional<std::uint64_t> dts;
  std::vector<std::uint8_t> payload;  // elementary stream bytes
  bool randomAccess = false;          // random_access_indicator of the first packet
  std::optional<std::uint64_t> pcrBase;
};

struct DemuxedStream {
  std::uint8_t streamType = 0;
  std::vector<DemuxedPes> pes;
};

class TsDemuxForTest {
 public:
  std::optional<std::uint16_t> pmtPid;
  std::optional<std::uint16_t> pcrPid;
  std::map<std::uint16_t, DemuxedStream> streams;                 // by elementary PID
  std::map<std::uint16_t, std::vector<std::uint8_t>> continuity;  // counters seen, by PID
  std::vector<std::string> errors;
  int patCount = 0;
  int pmtCount = 0;

  void feed(std::span<const std::uint8_t> ts) {
    if (ts.size() % 188 != 0) errors.push_back("stream length not a multiple of 188");
    for (std::size_t at = 0; at + 188 <= ts.size(); at += 188) packet(ts.subspan(at, 188));
    finish();
  }

 private:
  struct Assembly {
    std::vector<std::uint8_t> bytes;
    bool randomAccess = false;
    std::optional<std::uint64_t> pcrBase;
    bool open = false;
  };
  std::map<std::uint16_t, Assembly> assembling_;

  static std::uint64_t timestamp(const std::uint8_t* p) {
    return (std::uint64_t{(p[0] >> 1) & 0x07U} << 30) | (std::uint64_t{p[1]} << 22) |
           (std::uint64_t{(p[2] >> 1) & 0x7fU} << 15) | (std::uint64_t{p[3]} << 7) | ((p[4] >> 1) & 0x7fU);
  }

  void packet(std::span<const std::uint8_t> p) {
    if (p[0] != 0x47) errors.push_back("missing sync byte");
    const bool unitStart = (p[1] & 0x40) != 0;
    const auto pid = static_cast<std::uint16_t>(((p[1] & 0x1f) << 8) | p[2]);
    const unsigned afc = (p[3] >> 4) & 3U;
    continuity[pid].push_back(p[3] & 0x0f);
    std::size_t at = 4;
    bool randomAccess = false;
    std::optional<std::uint64_t> pcr;
    if (afc == 2 || afc == 3) {
      const std::size_t afLength = p[4];
      if (afLength > (afc == 2 ? 183U : 182U)) errors.push_back("adaptation field too long");
      if (afLength > 0) {
        randomAccess = (p[5] & 0x40) != 0;
        if ((p[5] & 0x10) != 0) {
          pcr = (std::uint64_t{p[6]} << 25) | (std::uint64_t{p[7]} << 17) | (std::uint64_t{p[8]} << 9) |
                (std::uint64_t{p[9]} << 1) | (p[10] >> 7);
        }
      }
      at = 5 + afLength;
    }
    if (afc == 0 || afc == 2 || at >= 188) return;
    const auto payload = p.subspan(at);
    if (pid == 0) {
      section(payload, true);
    } else if (pmtPid && pid == *pmtPid) {
      section(payload, false);
    } else if (streams.count(pid) != 0) {
      Assembly& a = assembling_[pid];
      if (unitStart) {
        flush(pid);
        a = Assembly{};
        a.open = true;
        a.randomAccess = randomAccess;
        a.pcrBase = pcr;
      } else if (!a.open) {
        errors.push_back("PES continuation without a start");
        return;
      }
      a.bytes.insert(a.bytes.end(), payload.begin(), payload.end());
    } else {
      errors.push_back("packet on unknown PID " + std::to_string(pid));
    }
  }

  void section(std::span<const std::uint8_t> payload, bool isPat) {
    const std::size_t pointer = payload[0];
    const auto s = payload.subspan(1 + pointer);
    const std::size_t length = ((s[1] & 0x0fU) << 8) | s[2];
    const auto whole = s.first(3 + length);
    if (crc32Mpeg2(whole) != 0) errors.push_back("bad CRC");
    if (isPat) {
      ++patCount;
      if (s[0] != 0x00) errors.push_back("PAT table_id");
      pmtPid = static_cast<std::uint16_t>(((s[10] & 0x1f) << 8) | s[11]);
      return;
    }
    ++pmtCount;
    if (s[0] != 0x02) errors.push_back("PMT table_id");
    pcrPid = static_cast<std::uint16_t>(((s[8] & 0x1f) << 8) | s[9]);
    const std::size_t programInfoLength = ((s[10] & 0x0fU) << 8) | s[11];
    std::size_t at = 12 + programInfoLength;
    while (at + 5 <= 3 + length - 4) {
      const auto pid = static_cast<std::uint16_t>(((s[at + 1] & 0x1f) << 8) | s[at + 2]);
      streams[pid].streamType = s[at];
      at += 5 + (((s[at + 3] & 0x0fU) << 8) | s[at + 4]);
    }
  }

  void flush(std::uint16_t pid) {
    Assembly& a = assembling_[pid];
    if (!a.open) return;
    a.open = false;
    const auto& b = a.bytes;
    if (b.size() < 9 || b[0] != 0 || b[1] != 0 || b[2] != 1) {
      errors.push_back("bad PES start code");
      return;
    }
    DemuxedPes pes;
    pes.streamId = b[3];
    pes.declaredLength = static_cast<std::uint16_t>((b[4] << 8) | b[5]);
    if ((b[6] & 0xc0) != 0x80) errors.push_back("PES '10' marker missing");
    const unsigned flags = b[7] >> 6;
    const std::size_t headerLength = b[8];
    if (flags == 2 || flags == 3) pes.pts = timestamp(&b[9]);
    if (flags == 3) pes.dts = timestamp(&b[14]);
    if (pes.declaredLength != 0 && pes.declaredLength != b.size() - 6) {
      errors.push_back("PES_packet_length does not match the bytes carried");
    }
    pes.payload.assign(b.begin() + static_cast<std::ptrdiff_t>(9 + headerLength), b.end());
    pes.randomAccess = a.randomAccess;
    pes.pcrBase = a.pcrBase;
    streams[pid].pes.push_back(std::move(pes));
  }

  void finish() {
    for (auto& [pid, a] : assembling_) flush(pid);
  }
};

}  // namespace ls::ts::testing
