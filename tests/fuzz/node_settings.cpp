// An address block or path template from an operator must parse or be
// refused with a message, never crash; what parses must behave: a block
// contains its own first address and never a non-address, an accepted
// template yields a relative path holding the stream key and no "..".
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "control/urls.hpp"
#include "core/address_block.hpp"

namespace {

void check(bool invariant) {
  if (!invariant) std::abort();
}

constexpr std::string_view kKey = "ee04affe2a669854052102fe762bd715";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  if (auto block = ls::parseAddressBlock(text); block.ok()) {
    check(block->prefixLength >= 0 && block->prefixLength <= (block->v6 ? 128 : 32));
    const std::string_view address = text.substr(0, text.find('/'));
    check(ls::blockContains(*block, address));
    check(!ls::blockContains(*block, "not an address"));
  } else {
    check(!block.status().message().empty());
  }
  // The same bytes as an address against a block that holds everything.
  if (auto any = ls::parseAddressBlock("::/0"); any.ok()) (void)ls::blockContains(*any, text);

  if (ls::control::validateHlsPathTemplate(text).isOk()) {
    ls::MediaServer server;
    server.type = ls::MediaServerType::kZlMediaKit;
    server.hlsBaseUrl = "http://node.example";
    server.hlsPathTemplate = std::string(text);
    const std::string path = ls::control::hlsPath(server, kKey);
    check(path.find(kKey) != std::string::npos);
    check(!path.empty() && path.front() != '/');
    check(path.find("..") == std::string::npos || path.find("/../") == std::string::npos);
    check(ls::control::hlsSources(server, kKey).front().url == "http://node.example/" + path);
  }
  return 0;
}
