// Which ladder rungs a stream gets and at what picture size (SPEC §5:
// "never above the input's resolution"). Pure: no FFmpeg, no threads.
#pragma once

#include <cstdint>
#include <vector>

#include "media/abr/ladder_config.hpp"

namespace ls::abr {

// A rung chosen for one input size.
struct PlannedRendition {
  RenditionSpec spec;
  std::uint32_t width = 0;
  std::uint32_t height = 0;
};

// The rungs strictly below the input's height (never an upscale, and never a
// copy of the original at the same height), highest first, sized by fitRung.
// Empty for an input at or below the smallest rung, or of unknown size.
std::vector<PlannedRendition> planLadder(const std::vector<RenditionSpec>& ladder, std::uint32_t inputWidth,
                                         std::uint32_t inputHeight);

// A rung's picture size for an input: the rung's height, or the input's when
// that is smaller (a running rendition whose input shrank mid-stream is never
// upscaled); the width keeps the input's aspect ratio. An input wider than
// the rung's box gets the box's width and a height that keeps the aspect
// ratio, so no rendition costs more pixels than its box. Sides are even
// (4:2:0 chroma) and never above the input's.
PlannedRendition fitRung(const RenditionSpec& spec, std::uint32_t inputWidth, std::uint32_t inputHeight);

}  // namespace ls::abr
