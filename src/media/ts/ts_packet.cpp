#include "media/ts/ts_packet.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace ls::ts {
namespace {

constexpr std::uint8_t kPayloadUnitStart = 0x40;
constexpr std::uint8_t kAdaptationAndPayload = 0x30;
constexpr std::uint8_t kPayloadOnly = 0x10;
constexpr std::uint8_t kRandomAccessFlag = 0x40;
constexpr std::uint8_t kPcrFlag = 0x10;
constexpr std::uint8_t kStuffingByte = 0xff;
constexpr std::size_t kPcrSize = 6;

std::uint8_t* appendPacketHeader(TsBytes& out, std::uint16_t pid, bool unitStart,
                                 bool adaptationField, std::uint8_t& continuityCounter) {
  const std::size_t at = out.size();
  out.resize(at + kPacketSize);
  std::uint8_t* p = out.data() + at;
  p[0] = kSyncByte;
  p[1] = static_cast<std::uint8_t>((unitStart ? kPayloadUnitStart : 0) | ((pid >> 8) & 0x1f));
  p[2] = static_cast<std::uint8_t>(pid);
  p[3] = static_cast<std::uint8_t>((adaptationField ? kAdaptationAndPayload : kPayloadOnly) | continuityCounter);
  continuityCounter = (continuityCounter + 1) & 0x0f;
  return p;
}

// program_clock_reference_base (33) + 6 reserved bits + extension (9, here 0).
void writePcr(std::uint8_t* p, std::uint64_t base) {
  p[0] = static_cast<std::uint8_t>(base >> 25);
  p[1] = static_cast<std::uint8_t>(base >> 17);
  p[2] = static_cast<std::uint8_t>(base >> 9);
  p[3] = static_cast<std::uint8_t>(base >> 1);
  p[4] = static_cast<std::uint8_t>(((base & 1) << 7) | 0x7e);
  p[5] = 0;
}

}  // namespace

void ensureCapacity(TsBytes& out, std::size_t extra) {
  const std::size_t needed = out.size() + extra;
  if (needed > out.capacity()) out.reserve(std::max(needed, out.capacity() * 2));
}

PesPacketizer::PesPacketizer(TsBytes& out, std::uint16_t pid, std::uint8_t& continuityCounter,
                             std::size_t pesSize, const FirstPacketFlags& flags)
    : out_(out), pid_(pid), continuityCounter_(continuityCounter), flags_(flags), remaining_(pesSize) {}

std::size_t PesPacketizer::maxPacketBytes(std::size_t pesSize) {
  // The first packet loses at most 2 + 6 bytes to its adaptation field.
  return (pesSize / kMaxPayloadSize + 2) * kPacketSize;
}

void PesPacketizer::openPacket() {
  std::uint8_t afFlags = 0;
  std::size_t afFieldsSize = 0;  // length byte + flags byte + optional fields, before stuffing
  if (first_) {
    if (flags_.randomAccess) afFlags |= kRandomAccessFlag;
    if (flags_.pcrBase) afFlags |= kPcrFlag;
    if (afFlags != 0) afFieldsSize = 2 + (flags_.pcrBase ? kPcrSize : 0);
  }
  const std::size_t capacity = kMaxPayloadSize - afFieldsSize;
  const std::size_t payload = std::min(remaining_, capacity);
  // Stuffing only ever lands in the last packet, whose payload is short.
  const std::size_t afSize = afFieldsSize + (capacity - payload);
  std::uint8_t* p = appendPacketHeader(out_, pid_, first_, afSize > 0, continuityCounter_);
  if (afSize > 0) {
    p[4] = static_cast<std::uint8_t>(afSize - 1);  // adaptation_field_length; 0 is one byte of stuffing
    if (afSize > 1) {
      p[5] = afFlags;
      std::size_t at = 6;
      if (first_ && flags_.pcrBase) {
        writePcr(p + at, *flags_.pcrBase);
        at += kPcrSize;
      }
      std::memset(p + at, kStuffingByte, kPacketHeaderSize + afSize - at);
    }
  }
  first_ = false;
  cursor_ = out_.size() - payload;
  spaceLeft_ = payload;
  remaining_ -= payload;
}

void PesPacketizer::write(std::span<const std::uint8_t> bytes) {
  while (!bytes.empty()) {
    if (spaceLeft_ == 0) {
      assert(remaining_ > 0 && "more bytes written than the PES size announced");
      if (remaining_ == 0) return;
      openPacket();
    }
    const std::size_t n = std::min(spaceLeft_, bytes.size());
    std::memcpy(out_.data() + cursor_, bytes.data(), n);
    cursor_ += n;
    spaceLeft_ -= n;
    bytes = bytes.subspan(n);
  }
}

void appendSectionPacket(TsBytes& out, std::uint16_t pid, std::uint8_t& continuityCounter,
                         std::span<const std::uint8_t> section) {
  assert(section.size() + 1 <= kMaxPayloadSize);
  std::uint8_t* p = appendPacketHeader(out, pid, true, false, continuityCounter);
  p[4] = 0;  // pointer_field: the section starts right away
  std::memcpy(p + 5, section.data(), section.size());
  std::memset(p + 5 + section.size(), kStuffingByte, kMaxPayloadSize - 1 - section.size());
}

}  // namespace ls::ts
