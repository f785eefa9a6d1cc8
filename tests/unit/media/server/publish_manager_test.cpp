// The publish manager owns publishing for any protocol: a test source that
// is not RTMP goes through it and produces the same HLS as a real RTMP
// publish (ffmpeg) of the same media; refusals, key conflicts and ENDED
// writes that fail are handled there, not in a protocol session.
#include "media/server/publish_manager.hpp"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <future>
#include <iterator>
#include <mutex>
#include <sstream>
#include <thread>

#include "media/flv/flv_file.hpp"
#include "media/flv/tag_demuxer.hpp"
#include "media/server/rtmp/rtmp_listener.hpp"
#include "support/temp_dir.hpp"

namespace ls::media_server {
namespace {

namespace asio = boost::asio;
constexpr const char* kKey = "0123456789abcdef0123456789abcdef";

// Grants every publish (unless told to refuse) and records lifecycle calls;
// ENDED writes can be made to fail, as a full disk would.
class TestIngest final : public ingest::IngestService {
 public:
  Result<ingest::PublishGrant> authorizePublish(const ingest::PublishRequest& request) override {
    std::lock_guard lock(mu_);
    endsSeenAtLastDecision = ends.size();
    requests.push_back(request);
    if (refuse) return Status(Code::kUnauthenticated, "push token is invalid");
    ingest::PublishGrant grant;
    grant.livestreamId = "ls-" + std::to_string(requests.size());
    grant.projectId = "p";
    grant.streamKey = request.streamKey;
    grant.abrEnabled = false;
    return grant;
  }
  Status onPublishEnded(const ingest::PublishEnd& end) override {
    std::lock_guard lock(mu_);
    ++endAttempts;
    if (failEnds) return Status(Code::kUnavailable, "database or disk is full");
    ends.push_back(end);
    cv_.notify_all();
    return Status::ok();
  }
  bool waitForEnds(std::size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(20), [&] { return ends.size() >= n; });
  }
  void setFailEnds(bool fail) {
    std::lock_guard lock(mu_);
    failEnds = fail;
  }
  std::size_t endAttemptsNow() {
    std::lock_guard lock(mu_);
    return endAttempts;
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<ingest::PublishRequest> requests;
  std::vector<ingest::PublishEnd> ends;
  std::size_t endAttempts = 0;
  std::size_t endsSeenAtLastDecision = 0;
  bool refuse = false;
  bool failEnds = false;
};

// One media node built from its parts: a loop, the control thread, HLS.
struct Node {
  Node() {
    threads.emplace_back([this] { loop.run(); });
    threads.emplace_back([this] { control.run(); });
  }
  ~Node() {
    loopGuard.reset();
    controlGuard.reset();
    for (auto& t : threads) t.join();
  }
  // Runs fn on the loop and waits for it.
  template <typename Fn>
  void onLoop(Fn fn) {
    std::promise<void> done;
    asio::post(loop, [&] {
      fn();
      done.set_value();
    });
    done.get_future().wait();
  }

  ManualClock clock{1'750'000'000'000};
  asio::io_context loop{1};
  asio::io_context control{1};
  asio::executor_work_guard<asio::io_context::executor_type> loopGuard{loop.get_executor()};
  asio::executor_work_guard<asio::io_context::executor_type> controlGuard{control.get_executor()};
  hls::HlsRegistry hls;
  PublisherTable table;
  TestIngest ingest;
  PublishManager manager{PublishManagerOptions{"node-1", 2000, 20, 200}, ingest, control, clock, hls, nullptr, table};
  std::vector<std::thread> threads;
};

// A publisher that is not RTMP: it reads an FLV file and hands its media to
// the publication as frames.
class FileSource final : public Publisher, public std::enable_shared_from_this<FileSource> {
 public:
  void kick(std::string reason) override { kicked = std::move(reason); }
  [[nodiscard]] const std::string& protocol() const override { return protocol_; }
  [[nodiscard]] const std::string& peer() const override { return peer_; }
  [[nodiscard]] const PublisherCounters& counters() const override { return counters_; }

  std::string kicked;

 private:
  std::string protocol_ = "test";
  std::string peer_ = "test-source";
  PublisherCounters counters_;
};

Result<std::unique_ptr<Publication>> requestOn(Node& node, const std::shared_ptr<Publisher>& publisher,
                                               const std::string& key) {
  std::promise<Result<std::unique_ptr<Publication>>> decided;
  node.manager.requestPublish(publisher, {"test", "live", key, "pushToken=t", "test-source"}, node.loop.get_executor(),
                              [&](Result<std::unique_ptr<Publication>> d) { decided.set_value(std::move(d)); });
  return decided.get_future().get();
}

std::vector<std::uint8_t> readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void feedFlv(const std::vector<std::uint8_t>& file, media::MediaSink& sink) {
  flv::FlvFileReader reader;
  std::span<const std::uint8_t> rest(file);
  while (!rest.empty()) {
    auto event = reader.next(rest);
    ASSERT_TRUE(event.ok()) << event.status().message();
    ASSERT_NE(event->kind, flv::FlvFileReader::EventKind::kNeedMore);
    if (event->kind == flv::FlvFileReader::EventKind::kTag) {
      const auto& tag = event->tag;
      if (tag.type == flv::kTagTypeVideo) {
        ASSERT_TRUE(flv::demuxVideoTag(tag.timestamp, tag.body, sink).isOk());
      } else if (tag.type == flv::kTagTypeAudio) {
        ASSERT_TRUE(flv::demuxAudioTag(tag.timestamp, tag.body, sink).isOk());
      }
    }
    rest = rest.subspan(event->consumed);
  }
}

struct HlsCopy {
  std::string playlist;
  std::vector<std::vector<std::uint8_t>> segments;
};

HlsCopy copyHls(hls::HlsRegistry& registry, const std::string& key) {
  HlsCopy out;
  auto stream = registry.find(key);
  if (!stream) return out;
  auto rendition = stream->rendition("original");
  if (!rendition) return out;
  out.playlist = *rendition->playlist();
  std::istringstream lines(out.playlist);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    auto segment = rendition->segment(line);
    if (segment) out.segments.emplace_back(segment->bytes.begin(), segment->bytes.end());
  }
  return out;
}

int run(const std::string& command) { return std::system(command.c_str()); }

// A tenth of a second of 320x240 H.264 (and AAC when `audio`), from ffmpeg;
// empty if ffmpeg failed.
std::vector<std::uint8_t> shortFlv(bool audio) {
  testing::TempDir dir;
  const auto path = dir.path() / "short.flv";
  const std::string sine = audio ? "-f lavfi -i sine=sample_rate=44100 " : "";
  const std::string aac = audio ? "-c:a aac " : "";
  if (run("ffmpeg -nostdin -hide_banner -loglevel error -f lavfi -i testsrc=size=320x240:rate=30 " + sine +
          "-t 0.1 -c:v libx264 -preset ultrafast -pix_fmt yuv420p " + aac + "-f flv " + path.string()) != 0) {
    return {};
  }
  return readFile(path);
}

TEST(PublishManager, ANonRtmpSourceMakesTheSameHlsAsAnRtmpPublishOfTheSameMedia) {
  testing::TempDir dir;
  const auto flvPath = dir.path() / "media.flv";
  ASSERT_EQ(run("ffmpeg -nostdin -hide_banner -loglevel error -f lavfi -i testsrc=size=320x240:rate=30 "
                "-f lavfi -i sine=frequency=440:sample_rate=44100 -t 7 -c:v libx264 -preset ultrafast -g 30 "
                "-pix_fmt yuv420p -c:a aac -b:a 64k -f flv " + flvPath.string()),
            0)
      << "ffmpeg makes the test media";
  const auto file = readFile(flvPath);

  // Through RTMP: ffmpeg copies the file's packets into a real RTMP session.
  Node rtmpNode;
  SecureRandom random;
  ConnectionBudget budget;
  RtmpListener listener({&rtmpNode.loop}, RtmpSessionContext{{}, rtmpNode.manager, rtmpNode.table, budget, random});
  auto port = listener.listen("127.0.0.1", 0);
  ASSERT_TRUE(port.ok()) << port.status().message();
  rtmpNode.onLoop([&] { listener.start(); });
  ASSERT_EQ(run("ffmpeg -nostdin -hide_banner -loglevel error -i " + flvPath.string() +
                " -c copy -f flv 'rtmp://127.0.0.1:" + std::to_string(*port) + "/live/" + kKey + "?pushToken=t'"),
            0);
  ASSERT_TRUE(rtmpNode.ingest.waitForEnds(1)) << "the RTMP publish ended";
  rtmpNode.onLoop([&] { listener.close(); });

  // Through the test source: the same manager, no RTMP anywhere.
  Node testNode;
  auto source = std::make_shared<FileSource>();
  auto publication = requestOn(testNode, source, kKey);
  ASSERT_TRUE(publication.ok()) << publication.status().message();
  testNode.onLoop([&] {
    feedFlv(file, (*publication)->sink());
    (*publication)->end();
  });
  ASSERT_TRUE(testNode.ingest.waitForEnds(1));

  const HlsCopy viaRtmp = copyHls(rtmpNode.hls, kKey);
  const HlsCopy viaTest = copyHls(testNode.hls, kKey);
  ASSERT_GE(viaRtmp.segments.size(), 3u) << viaRtmp.playlist;
  EXPECT_NE(viaRtmp.playlist.find("#EXT-X-ENDLIST"), std::string::npos);
  EXPECT_EQ(viaTest.playlist, viaRtmp.playlist);
  ASSERT_EQ(viaTest.segments.size(), viaRtmp.segments.size());
  for (std::size_t i = 0; i < viaRtmp.segments.size(); ++i) {
    EXPECT_EQ(viaTest.segments[i], viaRtmp.segments[i]) << "segment " << i;
  }
  EXPECT_EQ(rtmpNode.ingest.requests.at(0).pushToken, "t");
  EXPECT_EQ(rtmpNode.ingest.ends.at(0).livestreamId, "ls-1");
  EXPECT_EQ(rtmpNode.ingest.ends.at(0).mediaServerId, "node-1");
}

TEST(PublishManager, RefusalsReachTheSessionAndAreCounted) {
  Node node;
  node.ingest.refuse = true;
  auto decision = requestOn(node, std::make_shared<FileSource>(), kKey);
  ASSERT_FALSE(decision.ok());
  EXPECT_EQ(decision.status().code(), Code::kUnauthenticated);
  EXPECT_EQ(node.manager.counters().refusedByCode[static_cast<std::size_t>(Code::kUnauthenticated)].load(), 1u);
  EXPECT_EQ(node.table.publishing(), 0u);
}

TEST(PublishManager, ASecondPublisherOfALiveKeyIsRefusedAndItsGrantHandedBack) {
  Node node;
  auto first = std::make_shared<FileSource>();
  auto live = requestOn(node, first, kKey);
  ASSERT_TRUE(live.ok());
  auto second = requestOn(node, std::make_shared<FileSource>(), kKey);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Code::kConflict);
  ASSERT_TRUE(node.ingest.waitForEnds(1));
  EXPECT_EQ(node.ingest.ends.at(0).livestreamId, "ls-2") << "only the refused grant is ended";
  node.manager.cut(kKey, "livestream deleted");
  EXPECT_EQ(first->kicked, "livestream deleted");
  node.onLoop([&] { live->reset(); });
  ASSERT_TRUE(node.ingest.waitForEnds(2));
  EXPECT_EQ(node.ingest.ends.at(1).livestreamId, "ls-1");
}

TEST(PublishManager, AnEndedWriteThatFailsIsRetriedUntilItLandsAndGoesBeforeTheNextDecision) {
  Node node;
  node.ingest.setFailEnds(true);
  auto publication = requestOn(node, std::make_shared<FileSource>(), kKey);
  ASSERT_TRUE(publication.ok());
  node.onLoop([&] { publication->reset(); });
  for (int i = 0; i < 200 && node.ingest.endAttemptsNow() < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GE(node.ingest.endAttemptsNow(), 3u) << "retried while storage fails";
  EXPECT_TRUE(node.ingest.ends.empty());
  EXPECT_EQ(node.table.publishing(), 0u) << "the key is free on this node at once";

  // Storage is back: the reconnect's decision comes after the owed ENDED.
  node.ingest.setFailEnds(false);
  auto again = requestOn(node, std::make_shared<FileSource>(), kKey);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(node.ingest.endsSeenAtLastDecision, 1u);
  EXPECT_GE(node.manager.counters().endWriteRetries.load(), 1u);
  node.onLoop([&] { again->reset(); });
  ASSERT_TRUE(node.ingest.waitForEnds(2));
}

TEST(PublishManager, TheOriginalIsListedFromDeclaredRatesBeforeItsFirstSegment) {
  Node node;
  auto publication = requestOn(node, std::make_shared<FileSource>(), kKey);
  ASSERT_TRUE(publication.ok());
  const auto file = shortFlv(true);
  ASSERT_FALSE(file.empty());
  node.onLoop([&] {
    (*publication)->declareRates({2'000'000, 128'000});
    feedFlv(file, (*publication)->sink());
  });
  auto stream = node.hls.find(kKey);
  ASSERT_NE(stream, nullptr);
  ASSERT_NE(stream->master(), nullptr) << "listed before any segment";
  EXPECT_NE(stream->master()->find("BANDWIDTH=2234400,"), std::string::npos) << *stream->master();
  node.onLoop([&] { publication->reset(); });
}

TEST(PublishManager, AVideoStreamWithoutADeclaredVideoRateWaitsForItsFirstSegment) {
  Node node;
  auto publication = requestOn(node, std::make_shared<FileSource>(), kKey);
  ASSERT_TRUE(publication.ok());
  const auto file = shortFlv(false);
  ASSERT_FALSE(file.empty());
  node.onLoop([&] {
    (*publication)->declareRates({0, 128'000});
    feedFlv(file, (*publication)->sink());
  });
  auto stream = node.hls.find(kKey);
  ASSERT_NE(stream, nullptr);
  EXPECT_EQ(stream->master(), nullptr) << "an audio rate alone would understate a video stream";
  node.onLoop([&] { publication->reset(); });
}

TEST(PublishManager, HlsIsOpenFromTheGrantAndEndsWithAPublishThatSentNoFrame) {
  Node node;
  auto publication = requestOn(node, std::make_shared<FileSource>(), kKey);
  ASSERT_TRUE(publication.ok());
  auto stream = node.hls.find(kKey);
  ASSERT_NE(stream, nullptr) << "playlist requests are held from the grant on, not answered 404";
  EXPECT_FALSE(stream->endedAt().has_value());
  node.onLoop([&] { publication->reset(); });
  EXPECT_TRUE(stream->endedAt().has_value()) << "ended, so it is swept after the linger";
  EXPECT_EQ(node.hls.sweep(node.clock.now() + 3'600'000), 1u);
}

}  // namespace
}  // namespace ls::media_server
