#include "media/abr/ladder.hpp"

#include <algorithm>
#include <cmath>

namespace ls::abr {

namespace {

std::uint32_t evenRound(double value) {
  const double halves = std::round(value / 2.0);
  return halves < 1.0 ? 2u : static_cast<std::uint32_t>(halves) * 2u;
}

std::uint32_t evenFloor(std::uint32_t value) {
  return std::max(2u, value & ~1u);
}

}  // namespace

std::vector<PlannedRendition> planLadder(const std::vector<RenditionSpec>& ladder, std::uint32_t inputWidth,
                                         std::uint32_t inputHeight) {
  std::vector<PlannedRendition> out;
  if (inputWidth == 0 || inputHeight == 0) return out;
  for (const RenditionSpec& spec : ladder) {
    if (spec.height < inputHeight) out.push_back(fitRung(spec, inputWidth, inputHeight));
  }
  std::stable_sort(out.begin(), out.end(), [](const PlannedRendition& a, const PlannedRendition& b) {
    const auto pixels = [](const PlannedRendition& r) { return std::uint64_t{r.width} * r.height; };
    if (pixels(a) != pixels(b)) return pixels(a) > pixels(b);
    return a.spec.bitrate > b.spec.bitrate;
  });
  return out;
}

PlannedRendition fitRung(const RenditionSpec& spec, std::uint32_t inputWidth, std::uint32_t inputHeight) {
  PlannedRendition planned{spec, spec.maxWidth, spec.height};
  if (inputWidth == 0 || inputHeight == 0) return planned;
  const double aspect = static_cast<double>(inputWidth) / static_cast<double>(inputHeight);
  const std::uint32_t maxWidth = std::min(spec.maxWidth, evenFloor(inputWidth));
  const std::uint32_t maxHeight = std::min(spec.height, evenFloor(inputHeight));
  const std::uint32_t width = evenRound(maxHeight * aspect);
  if (width <= maxWidth) {
    planned.width = width;
    planned.height = maxHeight;
  } else {
    planned.width = maxWidth;
    planned.height = std::min(evenRound(maxWidth / aspect), maxHeight);
  }
  return planned;
}

}  // namespace ls::abr
