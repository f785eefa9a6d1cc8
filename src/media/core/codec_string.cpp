#include <cstdio>

#include "media/core/frame.hpp"

namespace ls::media {

std::string VideoConfig::codecString() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "avc1.%02x%02x%02x", profileIdc, constraintFlags, levelIdc);
  return buf;
}

std::string AudioConfig::codecString() const {
  return "mp4a.40." + std::to_string(objectType);
}

}  // namespace ls::media
