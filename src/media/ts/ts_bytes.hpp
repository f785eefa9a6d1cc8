// The byte buffer TS packets are written into.
//
// A std::vector whose growth leaves new bytes uninitialized: the muxer grows
// the buffer one 188-byte packet at a time and overwrites every byte right
// away, so value-initializing them first (what std::vector<uint8_t>::resize
// does) was pure overhead on the ingest path (bench/RESULTS.md, "Media
// findings", finding 2). Construction from a value or a list still
// initializes, as for any vector.
#pragma once

#include <cstdint>
#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace ls::ts {

template <class T>
class DefaultInitAllocator : public std::allocator<T> {
 public:
  template <class U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };
  DefaultInitAllocator() noexcept = default;
  template <class U>
  explicit DefaultInitAllocator(const DefaultInitAllocator<U>& /*other*/) noexcept {}

  // resize(n) and emplace_back() with no arguments: default-initialize.
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

using TsBytes = std::vector<std::uint8_t, DefaultInitAllocator<std::uint8_t>>;

}  // namespace ls::ts
