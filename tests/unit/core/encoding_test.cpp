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

TEST(Base64, EncodesStandardAlphabetWithPadding) {
  const auto enc = [](std::string_view s) {
    return base64Encode(std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
  };
  EXPECT_EQ(enc(""), "");
  EXPECT_EQ(enc("f"), "Zg==");
  EXPECT_EQ(enc("fo"), "Zm8=");
  EXPECT_EQ(enc("foo"), "Zm9v");
  EXPECT_EQ(enc("foobar"), "Zm9vYmFy");
  const std::vector<std::uint8_t> high{0xfb, 0xff, 0xbf};
  EXPECT_EQ(base64Encode(high), "+/+/");
}

TEST(Base64, DecodesAndRejects) {
  EXPECT_EQ(base64Decode("Zm9vYmFy"), bytes("foobar"));
  EXPECT_EQ(base64Decode("Zm8="), bytes("fo"));
  EXPECT_EQ(base64Decode("Zg=="), bytes("f"));
  EXPECT_EQ(base64Decode(""), bytes(""));
  EXPECT_EQ(base64Decode("+/+/"), (std::vector<std::uint8_t>{0xfb, 0xff, 0xbf}));
  EXPECT_FALSE(base64Decode("Zm8").has_value());     // padding required
  EXPECT_FALSE(base64Decode("Zg=").has_value());
  EXPECT_FALSE(base64Decode("Z===").has_value());    // impossible length
  EXPECT_FALSE(base64Decode("Zm-_").has_value());    // url alphabet
  EXPECT_FALSE(base64Decode("Zh==").has_value());    // non-zero trailing bits
  EXPECT_FALSE(base64Decode("Zm=v").has_value());    // padding inside
  EXPECT_FALSE(base64Decode("====").has_value());
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
