// Config text from a file (and values from flags and the environment) must
// give a clear error or a valid Config, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "app/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto values = ls::app::parseConfigText(text);
  if (values.ok()) {
    ls::app::Config cfg;
    for (const auto& [key, value] : *values) (void)ls::app::applyConfigValue(cfg, key, value);
  }
  // The same bytes as a value of every key, as a flag would pass them.
  ls::app::Config cfg;
  for (std::string_view key : ls::app::configKeys()) (void)ls::app::applyConfigValue(cfg, key, text);
  return 0;
}
