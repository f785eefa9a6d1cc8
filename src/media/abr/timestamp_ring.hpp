// A fixed-size FIFO of values, for timestamps that wait for a codec to give
// their picture back (a decoder's reorder delay, x264's lookahead). No
// allocation; when full the oldest value is dropped, which only happens if
// a codec swallowed pictures — the consumers resynchronise at keyframes.
#pragma once

#include <array>
#include <cstddef>

namespace ls::abr {

template <typename T, std::size_t N>
class TimestampRing {
 public:
  void push(const T& value) {
    if (count_ == N) pop();
    values_[(head_ + count_) % N] = value;
    ++count_;
  }
  [[nodiscard]] bool empty() const { return count_ == 0; }
  [[nodiscard]] std::size_t size() const { return count_; }
  [[nodiscard]] const T& front() const { return values_[head_]; }
  void pop() {
    if (count_ == 0) return;
    head_ = (head_ + 1) % N;
    --count_;
  }
  void clear() { head_ = count_ = 0; }

 private:
  std::array<T, N> values_{};
  std::size_t head_ = 0;
  std::size_t count_ = 0;
};

}  // namespace ls::abr
