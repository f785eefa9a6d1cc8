#include "media/flv/flv_file.hpp"

#include <gtest/gtest.h>

#include <string>

#include "unit/media/flv/test_bytes.hpp"

namespace ls::flv {
namespace {

using testing::fromHex;

std::vector<std::uint8_t> sampleFile() {
  std::vector<std::uint8_t> out;
  appendFlvFileHeader(true, true, out);
  const auto script = fromHex("02 000a 6f6e4d65746144617461");
  const auto video = fromHex("17 00 000000 01 64 00 1f ff e1 0002 6700 01 0002 68ee");
  const auto audio = fromHex("af 00 12 10");
  EXPECT_TRUE(appendFlvTag(kTagTypeScriptData, 0, script, out).isOk());
  EXPECT_TRUE(appendFlvTag(kTagTypeVideo, 0, video, out).isOk());
  EXPECT_TRUE(appendFlvTag(kTagTypeAudio, 0x12345678, audio, out).isOk());
  return out;
}

TEST(FlvFileWriter, WritesHeaderAndTagLayout) {
  std::vector<std::uint8_t> out;
  appendFlvFileHeader(true, false, out);
  EXPECT_EQ(out, fromHex("464c56 01 04 00000009 00000000"));
  out.clear();
  ASSERT_TRUE(appendFlvTag(kTagTypeAudio, 0x01020304, fromHex("af 01 aa"), out).isOk());
  // type, DataSize 3, Timestamp 0x020304, TimestampExtended 0x01, StreamID 0, body, PreviousTagSize 14.
  EXPECT_EQ(out, fromHex("08 000003 020304 01 000000 af01aa 0000000e"));
}

TEST(FlvFileReader, ReadsHeaderThenTags) {
  const auto file = sampleFile();
  FlvFileReader reader;
  std::span<const std::uint8_t> rest(file);

  Result<FlvFileReader::Event> event = reader.next(rest);
  ASSERT_TRUE(event.ok()) << event.status().message();
  ASSERT_EQ(event->kind, FlvFileReader::EventKind::kHeader);
  EXPECT_EQ(event->header.version, 1);
  EXPECT_TRUE(event->header.hasAudio);
  EXPECT_TRUE(event->header.hasVideo);
  EXPECT_EQ(event->header.dataOffset, 9U);
  EXPECT_EQ(event->consumed, 13U);
  rest = rest.subspan(event->consumed);

  std::vector<FlvTag> tags;
  while (!rest.empty()) {
    event = reader.next(rest);
    ASSERT_TRUE(event.ok()) << event.status().message();
    ASSERT_EQ(event->kind, FlvFileReader::EventKind::kTag);
    tags.push_back(event->tag);
    rest = rest.subspan(event->consumed);
  }
  ASSERT_EQ(tags.size(), 3U);
  EXPECT_EQ(tags[0].type, kTagTypeScriptData);
  EXPECT_EQ(tags[1].type, kTagTypeVideo);
  EXPECT_EQ(tags[1].body.size(), 20U);
  EXPECT_EQ(tags[1].body[0], 0x17);
  EXPECT_EQ(tags[2].type, kTagTypeAudio);
  EXPECT_EQ(tags[2].timestamp, 0x12345678U);
  EXPECT_EQ(tags[2].body.data(), file.data() + file.size() - 4 - 4);  // a view, not a copy
}

TEST(FlvFileReader, AsksForMoreOnEveryPartialInput) {
  const auto file = sampleFile();
  // Feed the file growing by one byte at a time, as a socket might deliver it.
  FlvFileReader reader;
  std::size_t start = 0;
  int tags = 0;
  for (std::size_t end = 0; end <= file.size(); ++end) {
    Result<FlvFileReader::Event> event = reader.next(std::span(file).subspan(start, end - start));
    ASSERT_TRUE(event.ok()) << event.status().message();
    if (event->kind == FlvFileReader::EventKind::kNeedMore) {
      EXPECT_GT(event->needed, end - start);
      continue;
    }
    if (event->kind == FlvFileReader::EventKind::kTag) ++tags;
    start += event->consumed;
  }
  EXPECT_EQ(tags, 3);
  EXPECT_EQ(start, file.size());
}

TEST(FlvFileReader, HonoursLargerDataOffset) {
  auto file = fromHex("464c56 01 05 0000000c aabbcc 00000000");
  ASSERT_TRUE(appendFlvTag(kTagTypeAudio, 7, fromHex("af 01 00"), file).isOk());
  FlvFileReader reader;
  Result<FlvFileReader::Event> event = reader.next(file);
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(event->consumed, 16U);
  event = reader.next(std::span(file).subspan(16));
  ASSERT_TRUE(event.ok());
  ASSERT_EQ(event->kind, FlvFileReader::EventKind::kTag);
  EXPECT_EQ(event->tag.timestamp, 7U);
}

TEST(FlvFileReader, RejectsMalformedFilesStickily) {
  auto expectError = [](const std::vector<std::uint8_t>& bytes, const char* what) {
    FlvFileReader reader;
    std::span<const std::uint8_t> rest(bytes);
    for (;;) {
      Result<FlvFileReader::Event> event = reader.next(rest);
      if (!event.ok()) {
        EXPECT_FALSE(reader.next(rest).ok()) << what << ": errors are sticky";
        return;
      }
      if (event->kind == FlvFileReader::EventKind::kNeedMore) {
        ADD_FAILURE() << what << ": accepted";
        return;
      }
      rest = rest.subspan(event->consumed);
    }
  };
  expectError(fromHex("464c58 01 05 00000009 00000000"), "bad signature");
  expectError(fromHex("464c56 02 05 00000009 00000000"), "version 2");
  expectError(fromHex("464c56 01 05 00000008 00000000"), "DataOffset below 9");
  expectError(fromHex("464c56 01 05 7fffffff 00000000"), "huge DataOffset");
  expectError(fromHex("464c56 01 05 00000009 00000001"), "PreviousTagSize0");
  auto badPrevious = sampleFile();
  badPrevious.back() ^= 1;
  expectError(badPrevious, "PreviousTagSize");
  auto encrypted = sampleFile();
  encrypted[13] |= 0x20;
  expectError(encrypted, "Filter bit");
}

TEST(FlvFileReader, CanSkipPreviousTagSizeCheck) {
  auto file = sampleFile();
  file.back() ^= 1;
  FlvFileReader reader(FlvReaderOptions{.checkPreviousTagSize = false});
  std::span<const std::uint8_t> rest(file);
  int events = 0;
  while (!rest.empty()) {
    Result<FlvFileReader::Event> event = reader.next(rest);
    ASSERT_TRUE(event.ok()) << event.status().message();
    ASSERT_NE(event->kind, FlvFileReader::EventKind::kNeedMore);
    rest = rest.subspan(event->consumed);
    ++events;
  }
  EXPECT_EQ(events, 4);
}

TEST(FlvFileWriter, RejectsOversizedBody) {
  std::vector<std::uint8_t> big(0x1000000);
  std::vector<std::uint8_t> out;
  EXPECT_FALSE(appendFlvTag(kTagTypeVideo, 0, big, out).isOk());
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace ls::flv
