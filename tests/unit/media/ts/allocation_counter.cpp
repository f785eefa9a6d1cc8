// Replacement global allocation functions for the media_ts test binary, kept
// in their own translation unit so the compiler never sees them inlined into
// container code (GCC 12 then reports malloc/free as a new/delete mismatch).
#include "unit/media/ts/allocation_counter.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<std::size_t> gAllocations{0};
}  // namespace

void* operator new(std::size_t size) {
  gAllocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  return operator new(size);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}

namespace ls::ts::testing {

std::size_t allocationCount() {
  return gAllocations.load(std::memory_order_relaxed);
}

}  // namespace ls::ts::testing
