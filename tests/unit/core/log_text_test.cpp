#include "core/log_text.hpp"

#include <gtest/gtest.h>

namespace ls {
namespace {

TEST(LogText, PrintableTextAndUtf8PassUnchanged) {
  EXPECT_EQ(logText("live/0123abcd?pushToken=x"), "live/0123abcd?pushToken=x");
  EXPECT_EQ(logText("Caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x8e\xa5"), "Caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x8e\xa5");
}

TEST(LogText, LineBreaksAndControlBytesCannotForgeOrHideLines) {
  EXPECT_EQ(logText("key\n2026-01-01 [info] forged"), "key\\n2026-01-01 [info] forged");
  EXPECT_EQ(logText("a\rb\tc"), "a\\rb\\tc");
  EXPECT_EQ(logText(std::string("nul\0x", 5)), "nul\\x00x");
  EXPECT_EQ(logText("del\x7f"), "del\\x7f");
  EXPECT_EQ(logText("back\\slash"), "back\\\\slash") << "an escaped-looking input stays distinguishable";
}

TEST(LogText, AnsiAndC1TerminalControlsAreEscaped) {
  EXPECT_EQ(logText("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
  EXPECT_EQ(logText("\xc2\x9b" "31m"), "\\xc2\\x9b31m") << "CSI as U+009B";
  EXPECT_EQ(logText("\x9b" "31m"), "\\x9b31m") << "a bare 8-bit CSI byte";
}

TEST(LogText, MalformedUtf8IsEscapedBytewise) {
  EXPECT_EQ(logText("\xc3"), "\\xc3");
  EXPECT_EQ(logText("\xe0\x80\xaf"), "\\xe0\\x80\\xaf") << "overlong";
  EXPECT_EQ(logText("\xed\xa0\x80"), "\\xed\\xa0\\x80") << "surrogate";
  EXPECT_EQ(logText("\xff\xfe"), "\\xff\\xfe");
}

TEST(LogText, LongValuesAreCut) {
  const std::string longValue(1000, 'a');
  EXPECT_EQ(logText(longValue, 10), "aaaaaaaaaa...");
  EXPECT_EQ(logText(longValue).size(), 256u + 3u);
}

}  // namespace
}  // namespace ls
