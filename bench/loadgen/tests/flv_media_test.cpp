#include "loadgen/flv_media.hpp"

#include <gtest/gtest.h>

#include "media/flv/flv_file.hpp"

namespace ls::loadgen {
namespace {

using Bytes = std::vector<std::uint8_t>;

void add(Bytes& file, std::uint8_t type, std::uint32_t ts, Bytes body) {
  ASSERT_TRUE(flv::appendFlvTag(type, ts, body, file).isOk());
}

// A file as FFmpeg writes it: metadata, both sequence headers, then frames
// starting at a non-zero time (a cut from a longer recording).
Bytes sampleFile() {
  Bytes f;
  flv::appendFlvFileHeader(true, true, f);
  add(f, flv::kTagTypeScriptData, 0, {0x02, 0x00, 0x0A, 'o', 'n', 'M', 'e', 't', 'a', 'D', 'a', 't', 'a'});
  add(f, flv::kTagTypeVideo, 0, {0x17, 0x00, 0, 0, 0, 0x01, 0x64});  // AVC sequence header
  add(f, flv::kTagTypeAudio, 0, {0xAF, 0x00, 0x12, 0x10});           // AAC sequence header
  add(f, flv::kTagTypeVideo, 100, {0x17, 0x01, 0, 0, 0, 0xAA});      // keyframe
  add(f, flv::kTagTypeAudio, 100, {0xAF, 0x01, 0x21});
  add(f, flv::kTagTypeAudio, 123, {0xAF, 0x01, 0x22});
  add(f, flv::kTagTypeVideo, 133, {0x27, 0x01, 0, 0, 0, 0xBB});  // inter frame
  add(f, flv::kTagTypeVideo, 166, {0x27, 0x01, 0, 0, 0, 0xCC});
  add(f, flv::kTagTypeVideo, 0, {0x17, 0x00, 0, 0, 0, 0x01, 0x4D});  // a repeated header is not looped
  return f;
}

TEST(FlvMedia, ClassifiesTagsAndRebasesTime) {
  auto media = FlvMedia::fromBytes(sampleFile());
  ASSERT_TRUE(media.ok()) << media.status().message();
  ASSERT_EQ(media->sequenceHeaders().size(), 2u);
  EXPECT_EQ(media->body(media->sequenceHeaders()[0])[6], 0x64);
  const auto& tags = media->tags();
  ASSERT_EQ(tags.size(), 5u);
  EXPECT_EQ(tags[0].timeMs, 0);
  EXPECT_TRUE(tags[0].keyframe);
  EXPECT_FALSE(tags[1].keyframe);
  EXPECT_EQ(tags[2].timeMs, 23);
  EXPECT_EQ(tags[4].timeMs, 66);
  EXPECT_EQ(media->body(tags[4]).back(), 0xCC);
  EXPECT_TRUE(media->startsWithKeyframe());
  EXPECT_EQ(media->metadata().size(), 13u);
  // Last tag at 66 ms plus one video frame interval (33 ms; audio's is 23).
  EXPECT_EQ(media->loopDurationMs(), 99);
}

TEST(FlvMedia, RejectsFilesWithoutFrames) {
  Bytes f;
  flv::appendFlvFileHeader(true, true, f);
  EXPECT_FALSE(FlvMedia::fromBytes(f).ok());
  EXPECT_FALSE(FlvMedia::fromBytes(Bytes{'N', 'O', 'T', 'F', 'L', 'V'}).ok());
}

}  // namespace
}  // namespace ls::loadgen
