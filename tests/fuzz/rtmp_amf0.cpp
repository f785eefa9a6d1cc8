// libFuzzer target: AMF0 decode of arbitrary bytes (as a value sequence, a
// command and a data message). Whatever decodes must re-encode to a fixed
// point: encode(decode(encode(v))) == encode(v).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "media/rtmp/amf0.hpp"
#include "media/rtmp/messages.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> in(data, size);
  ls::rtmp::amf0::Limits limits;
  limits.maxElements = 4096;

  (void)ls::rtmp::parseCommand(in, false, limits);
  (void)ls::rtmp::parseDataMessage(in, true, limits);

  ls::Result<std::vector<ls::rtmp::amf0::Value>> values = ls::rtmp::amf0::decodeAll(in, limits);
  if (!values.ok()) return 0;
  std::vector<std::uint8_t> once;
  for (const ls::rtmp::amf0::Value& v : *values) ls::rtmp::amf0::encode(v, once);
  ls::Result<std::vector<ls::rtmp::amf0::Value>> again = ls::rtmp::amf0::decodeAll(once, limits);
  if (!again.ok()) std::abort();
  std::vector<std::uint8_t> twice;
  for (const ls::rtmp::amf0::Value& v : *again) ls::rtmp::amf0::encode(v, twice);
  if (once != twice || *values != *again) std::abort();
  return 0;
}
