// CRC-32/MPEG-2 of PSI sections (ISO/IEC 13818-1 Annex A): polynomial
// 0x04C11DB7, MSB first, initial value 0xFFFFFFFF, no final XOR. Running it
// over a whole section including its CRC_32 field yields 0.
#pragma once

#include <cstdint>
#include <span>

namespace ls::ts {

std::uint32_t crc32Mpeg2(std::span<const std::uint8_t> bytes);

}  // namespace ls::ts
