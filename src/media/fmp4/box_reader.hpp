// A small ISO BMFF box walker for checking what this layer writes (unit
// tests, the fmp4_fragment fuzz target): lists sibling boxes and checks that
// their sizes add up, descends into the containers init segments and
// fragments use, and checks that a fragment's trun data offsets and sample
// sizes cover its mdat payload exactly. Works on spans; never throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace ls::fmp4 {

// A four-character code as a big-endian integer, e.g. boxType("moof").
constexpr std::uint32_t boxType(const char (&code)[5]) {
  return (std::uint32_t{static_cast<std::uint8_t>(code[0])} << 24) |
         (std::uint32_t{static_cast<std::uint8_t>(code[1])} << 16) |
         (std::uint32_t{static_cast<std::uint8_t>(code[2])} << 8) | std::uint32_t{static_cast<std::uint8_t>(code[3])};
}

struct Box {
  std::uint32_t type = 0;
  std::size_t offset = 0;               // of the box within the bytes it was read from
  std::span<const std::uint8_t> bytes;  // the whole box, header included
  std::span<const std::uint8_t> body;   // after the 8-byte (or 16-byte largesize) header
};

// The boxes that fill `data` exactly: every size at least its header and
// within what is left (size 1: 64-bit largesize; size 0: to the end).
Result<std::vector<Box>> readBoxes(std::span<const std::uint8_t> data);
// The child boxes of a container. stsd and dref skip their FullBox header and
// entry count, avc1 and mp4a their sample entry fields; other boxes are read
// from the start of their body.
Result<std::vector<Box>> childBoxes(const Box& box);
// Walks the whole tree, descending into moov, trak, mdia, minf, dinf, dref,
// stbl, stsd, avc1, mp4a, mvex, moof, traf, edts; every level must add up.
Status checkBoxTree(std::span<const std::uint8_t> data);
// The first box along a path such as "moov/trak/mdia/mdhd" (first match at each level).
std::optional<Box> findBox(std::span<const std::uint8_t> data, std::string_view path);
// One moof followed by one mdat: each traf has a tfhd with
// default-base-is-moof and one trun with a data offset and sample sizes; the
// sample data of all runs lies inside the mdat payload, covering it exactly
// without overlaps.
Status checkFragment(std::span<const std::uint8_t> fragment);

// Big-endian reads; 0 past the end.
std::uint32_t readU32(std::span<const std::uint8_t> data, std::size_t at);
std::uint64_t readU64(std::span<const std::uint8_t> data, std::size_t at);

}  // namespace ls::fmp4
