// Writes the seed corpora of the rtmp fuzz targets from the test builders.
// Runs (and rewrites tests/fuzz/corpus/rtmp_*/) only when LS_WRITE_FUZZ_SEEDS
// names the corpus root; otherwise it only checks that the seeds are valid.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "media/rtmp/amf0.hpp"
#include "media/rtmp/server_connection.hpp"
#include "unit/media/rtmp/rtmp_client_script.hpp"

namespace ls::rtmp {
namespace {

using test::amfNull;
using test::amfNum;
using test::amfStr;
using test::Bytes;
using test::hex;

struct NullObserver : ServerConnectionObserver {
  ServerConnection* connection = nullptr;
  int errors = 0;
  void onPublishRequest(const PublishRequest&) override { connection->acceptPublish(); }
  void onMetadata(const StreamMetadata&) override {}
  void onVideo(std::int64_t, std::span<const std::uint8_t>) override {}
  void onAudio(std::int64_t, std::span<const std::uint8_t>) override {}
  void onUnpublish() override {}
  void onError(const Status&) override { ++errors; }
};

// The fuzz target's first byte selects its mode: bit 0 set = prepend a valid
// handshake (C0 C1 C2) to the rest, so seeds for that mode hold chunks only.
std::vector<std::pair<std::string, Bytes>> connectionSeeds() {
  test::ClientScript c;
  const Bytes full = test::concat(
      {c.ffmpegUpToPublish("key?pushToken=abc"), c.metadata(), c.video(0, hex("17 00 000000 0164001fffe1")),
       c.audio(0, hex("af 00 1210")), c.video(33, test::concat({hex("17 01 000000"), test::pattern(300, 1)})),
       c.command("FCUnpublish", 7, {amfNull(), amfStr("key")}), c.command("deleteStream", 8, {amfNull(), amfNum(1)})});
  const std::size_t handshake = 1 + 1536 + 1536;
  test::ClientScript chunksOnly;
  const Bytes chunks =
      test::concat({chunksOnly.setChunkSize(256), chunksOnly.connect("live", "rtmp://h/live"),
                    chunksOnly.command("createStream", 2, {amfNull()}),
                    chunksOnly.command("publish", 3, {amfNull(), amfStr("k"), amfStr("live")}, 1),
                    chunksOnly.video(0xFFFFFFF0u, test::pattern(600, 2)), chunksOnly.audio(0x10, hex("af01"))});
  return {
      {"raw_ffmpeg_flow", test::concat({hex("00"), full})},
      {"after_handshake_flow", test::concat({hex("01"), chunks})},
      {"after_handshake_ffmpeg_tail", test::concat({hex("01"), Bytes(full.begin() + handshake, full.end())})},
  };
}

std::vector<std::pair<std::string, Bytes>> amf0Seeds() {
  Bytes connectResult;
  buildConnectResult(connectResult, 1, 0);
  const Bytes metadata = test::concat(
      {amfStr("@setDataFrame"), amfStr("onMetaData"),
       test::amfEcma({{"width", amfNum(1920)}, {"height", amfNum(1080)}, {"encoder", amfStr("Lavf60.3.100")}})});
  Bytes everything;
  amf0::Value v = amf0::Value::object();
  v.add("arr", amf0::Value::strictArray({amf0::Value::number(1), amf0::Value::boolean(true)}))
      .add("date", amf0::Value::date(1.6e12))
      .add("long", amf0::Value::longString("x"))
      .add("u", amf0::Value::undefined());
  amf0::encode(v, everything);
  return {{"connect_result", connectResult}, {"metadata", metadata}, {"all_types", everything}};
}

void writeSeeds(const std::filesystem::path& dir, const std::vector<std::pair<std::string, Bytes>>& seeds) {
  std::filesystem::create_directories(dir);
  for (const auto& [name, bytes] : seeds) {
    std::ofstream f(dir / name, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
}

TEST(FuzzSeeds, ConnectionSeedsPublishCleanly) {
  for (const auto& [name, bytes] : connectionSeeds()) {
    test::CountingRandom random;
    NullObserver observer;
    ServerConnection connection(observer, random);
    observer.connection = &connection;
    Bytes input(bytes.begin() + 1, bytes.end());
    if (bytes[0] & 1) input = test::concat({test::ClientScript::c0c1(), test::ClientScript::c2(), input});
    EXPECT_TRUE(connection.feed(input).isOk()) << name;
    EXPECT_EQ(observer.errors, 0) << name;
  }
  for (const auto& [name, bytes] : amf0Seeds()) EXPECT_TRUE(amf0::decodeAll(bytes).ok()) << name;
}

TEST(FuzzSeeds, WriteWhenAsked) {
  const char* root = std::getenv("LS_WRITE_FUZZ_SEEDS");
  if (root == nullptr) GTEST_SKIP() << "set LS_WRITE_FUZZ_SEEDS=<tests/fuzz/corpus> to rewrite the seeds";
  writeSeeds(std::filesystem::path(root) / "rtmp_handshake_chunk", connectionSeeds());
  writeSeeds(std::filesystem::path(root) / "rtmp_amf0", amf0Seeds());
}

}  // namespace
}  // namespace ls::rtmp
