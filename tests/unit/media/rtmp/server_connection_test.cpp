#include "media/rtmp/server_connection.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "unit/media/rtmp/rtmp_client_script.hpp"

namespace ls::rtmp {
namespace {

using test::amfNull;
using test::amfNum;
using test::amfObj;
using test::amfStr;
using test::Bytes;
using test::hex;

struct Recorder : ServerConnectionObserver {
  struct Media {
    bool video;
    std::int64_t timestamp;
    Bytes payload;
    bool operator==(const Media&) const = default;
  };
  std::vector<PublishRequest> requests;
  std::vector<StreamMetadata> metadata;
  std::vector<Media> media;
  int unpublishes = 0;
  std::vector<Status> errors;
  std::function<void()> onRequest;

  void onPublishRequest(const PublishRequest& request) override {
    requests.push_back(request);
    if (onRequest) onRequest();
  }
  void onMetadata(const StreamMetadata& m) override { metadata.push_back(m); }
  void onVideo(std::int64_t ts, std::span<const std::uint8_t> p) override {
    media.push_back({true, ts, Bytes(p.begin(), p.end())});
  }
  void onAudio(std::int64_t ts, std::span<const std::uint8_t> p) override {
    media.push_back({false, ts, Bytes(p.begin(), p.end())});
  }
  void onUnpublish() override { ++unpublishes; }
  void onError(const Status& status) override { errors.push_back(status); }
};

struct Reply {
  std::uint32_t csid;
  std::uint8_t type;
  std::uint32_t msid;
  Bytes payload;
  bool operator==(const Reply&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Reply& r) {
  return os << "{csid " << r.csid << " type " << int{r.type} << " msid " << r.msid << " len " << r.payload.size()
            << "}";
}

// Drives a ServerConnection and reads its output the way a client would.
struct Harness {
  test::CountingRandom random;
  Recorder recorder;
  ServerConnection connection{recorder, random};
  ChunkDecoder replyDecoder;
  std::size_t handshakeLeft = 3073;
  test::ClientScript client;

  Status feed(const Bytes& bytes, std::size_t piece = 0) {
    Status last;
    for (std::size_t pos = 0; pos < bytes.size();) {
      const std::size_t n = piece == 0 ? bytes.size() - pos : std::min(piece, bytes.size() - pos);
      last = connection.feed(std::span(bytes).subspan(pos, n));
      pos += n;
    }
    return last;
  }

  std::vector<Reply> replies() {
    std::vector<Reply> out;
    std::span<const std::uint8_t> in = connection.pendingOutput();
    const std::size_t total = in.size();
    const std::size_t skip = std::min(handshakeLeft, in.size());
    handshakeLeft -= skip;
    in = in.subspan(skip);
    while (!in.empty()) {
      Result<ChunkDecodeStep> step = replyDecoder.decode(in);
      EXPECT_TRUE(step.ok()) << step.status().message();
      if (!step.ok()) break;
      in = in.subspan(step->consumed);
      if (step->message) {
        const ChunkMessage& m = *step->message;
        out.push_back({m.chunkStreamId, m.typeId, m.messageStreamId, Bytes(m.payload.begin(), m.payload.end())});
      }
    }
    connection.consumeOutput(total);
    return out;
  }
};

Bytes onStatus(std::string_view level, std::string_view code, std::string_view description) {
  return test::concat(
      {amfStr("onStatus"), amfNum(0), amfNull(),
       amfObj({{"level", amfStr(level)}, {"code", amfStr(code)}, {"description", amfStr(description)}})});
}

Bytes connectResult() {
  return test::concat({amfStr("_result"), amfNum(1),
                       amfObj({{"fmsVer", amfStr("FMS/3,0,1,123")}, {"capabilities", amfNum(31)}, {"mode", amfNum(1)}}),
                       amfObj({{"level", amfStr("status")},
                               {"code", amfStr("NetConnection.Connect.Success")},
                               {"description", amfStr("Connection succeeded.")},
                               {"objectEncoding", amfNum(0)}})});
}

TEST(ServerConnection, FfmpegPublishFlowFromHandshakeToDeleteStream) {
  Harness h;
  test::ClientScript& c = h.client;

  ASSERT_TRUE(h.feed(c.c0c1()).isOk());
  EXPECT_EQ(h.connection.pendingOutput().size(), 3073u);
  EXPECT_TRUE(h.replies().empty());
  EXPECT_EQ(h.connection.state(), ServerConnection::State::kHandshake);

  // C2, Set Chunk Size and connect arrive together.
  ASSERT_TRUE(
      h.feed(test::concat({c.c2(), c.setChunkSize(4096),
                           c.connect("live?pushToken=fromApp", "rtmp://localhost:1935/live?pushToken=fromApp")}))
          .isOk());
  EXPECT_EQ(h.connection.state(), ServerConnection::State::kConnected);
  const std::vector<Reply> connectReplies = h.replies();
  ASSERT_EQ(connectReplies.size(), 5u);
  EXPECT_EQ(connectReplies[0], (Reply{2, 5, 0, hex("004c4b40")}));     // Window Acknowledgement Size 5000000
  EXPECT_EQ(connectReplies[1], (Reply{2, 6, 0, hex("004c4b40 02")}));  // Set Peer Bandwidth, dynamic
  EXPECT_EQ(connectReplies[2], (Reply{2, 1, 0, hex("00001000")}));     // Set Chunk Size 4096
  EXPECT_EQ(connectReplies[3], (Reply{3, 20, 0, connectResult()}));
  EXPECT_EQ(connectReplies[4], (Reply{3, 20, 0, test::concat({amfStr("onBWDone"), amfNum(0), amfNull()})}));
  EXPECT_EQ(h.replyDecoder.chunkSize(), 4096u);

  ASSERT_TRUE(h.feed(test::concat({c.command("releaseStream", 2, {amfNull(), amfStr("key?pushToken=abc")}),
                                   c.command("FCPublish", 3, {amfNull(), amfStr("key?pushToken=abc")}),
                                   c.command("createStream", 4, {amfNull()}), c.command("_checkbw", 5, {amfNull()})}))
                  .isOk());
  const std::vector<Reply> setupReplies = h.replies();
  ASSERT_EQ(setupReplies.size(), 4u);
  EXPECT_EQ(setupReplies[0], (Reply{3, 20, 0, test::concat({amfStr("_result"), amfNum(2), amfNull()})}));
  EXPECT_EQ(setupReplies[1], (Reply{3, 20, 0, test::concat({amfStr("_result"), amfNum(3), amfNull()})}));
  EXPECT_EQ(
      setupReplies[2],
      (Reply{3, 20, 0,
             test::concat({amfStr("onFCPublish"), amfNum(0), amfNull(),
                           amfObj({{"code", amfStr("NetStream.Publish.Start")}, {"description", amfStr("key")}})})}));
  EXPECT_EQ(setupReplies[3], (Reply{3, 20, 0, test::concat({amfStr("_result"), amfNum(4), amfNull(), amfNum(1)})}));

  ASSERT_TRUE(h.feed(c.command("publish", 6, {amfNull(), amfStr("key?pushToken=abc&x=1"), amfStr("live")}, 1)).isOk());
  EXPECT_EQ(h.connection.state(), ServerConnection::State::kPublishPending);
  ASSERT_EQ(h.recorder.requests.size(), 1u);
  const PublishRequest& request = h.recorder.requests[0];
  EXPECT_EQ(request.app, "live");
  EXPECT_EQ(request.appQuery, "pushToken=fromApp");
  EXPECT_EQ(request.tcUrl, "rtmp://localhost:1935/live?pushToken=fromApp");
  EXPECT_EQ(request.tcUrlQuery, "pushToken=fromApp");
  EXPECT_EQ(request.streamName, "key");
  EXPECT_EQ(request.streamQuery, "pushToken=abc&x=1");
  EXPECT_EQ(request.publishType, "live");
  EXPECT_EQ(request.flashVer, "FMLE/3.0 (compatible; Lavf60.3.100)");
  EXPECT_EQ(request.messageStreamId, 1u);
  EXPECT_TRUE(h.replies().empty()) << "nothing is answered before the owner decides";

  // Media before the decision is dropped.
  ASSERT_TRUE(h.feed(test::concat({c.metadata(), c.video(0, hex("17 00 000000 01"))})).isOk());
  EXPECT_TRUE(h.recorder.media.empty());
  EXPECT_TRUE(h.recorder.metadata.empty());

  ASSERT_TRUE(h.connection.acceptPublish());
  EXPECT_FALSE(h.connection.acceptPublish());
  EXPECT_TRUE(h.connection.publishing());
  const std::vector<Reply> startReplies = h.replies();
  ASSERT_EQ(startReplies.size(), 2u);
  EXPECT_EQ(startReplies[0], (Reply{2, 4, 0, hex("0000 00000001")}));  // Stream Begin 1
  EXPECT_EQ(startReplies[1], (Reply{5, 20, 1, onStatus("status", "NetStream.Publish.Start", "key is now published.")}));

  const Bytes keyframe = test::concat({hex("17 01 000000"), test::pattern(6000, 1)});
  ASSERT_TRUE(h.feed(test::concat({c.metadata(), c.video(0, hex("17 00 000000 01")), c.audio(0, hex("af 00 1210")),
                                   c.video(33, keyframe), c.audio(23, hex("af 01 2122"))}))
                  .isOk());
  ASSERT_EQ(h.recorder.metadata.size(), 1u);
  EXPECT_EQ(h.recorder.metadata[0].width, 1280.0);
  EXPECT_EQ(h.recorder.metadata[0].height, 720.0);
  EXPECT_EQ(h.recorder.metadata[0].frameRate, 30.0);
  EXPECT_EQ(h.recorder.metadata[0].videoDataRate, 2500.0);
  EXPECT_EQ(h.recorder.metadata[0].audioDataRate, 128.0);
  const std::vector<Recorder::Media> expectedMedia = {{true, 0, hex("17 00 000000 01")},
                                                      {false, 0, hex("af 00 1210")},
                                                      {true, 33, keyframe},
                                                      {false, 23, hex("af 01 2122")}};
  EXPECT_EQ(h.recorder.media, expectedMedia);

  ASSERT_TRUE(h.feed(test::concat({c.command("FCUnpublish", 7, {amfNull(), amfStr("key?pushToken=abc&x=1")}),
                                   c.command("deleteStream", 8, {amfNull(), amfNum(1)})}))
                  .isOk());
  EXPECT_EQ(h.recorder.unpublishes, 1);
  EXPECT_EQ(h.connection.state(), ServerConnection::State::kConnected);
  const std::vector<Reply> endReplies = h.replies();
  ASSERT_EQ(endReplies.size(), 2u);
  EXPECT_EQ(endReplies[0],
            (Reply{5, 20, 1, onStatus("status", "NetStream.Unpublish.Success", "key is now unpublished.")}));
  EXPECT_EQ(endReplies[1], (Reply{3, 20, 0, test::concat({amfStr("_result"), amfNum(7), amfNull()})}));
  EXPECT_TRUE(h.recorder.errors.empty());
  EXPECT_FALSE(h.connection.shouldClose());
}

TEST(ServerConnection, OneByteFeedingGivesTheSameEventsAndOutput) {
  auto run = [](std::size_t piece) {
    Harness h;
    h.recorder.onRequest = [&h] { h.connection.acceptPublish(); };
    const Bytes input = test::concat({h.client.ffmpegUpToPublish("key"), h.client.metadata(),
                                      h.client.video(0, test::pattern(9000, 3)), h.client.audio(5, hex("af01"))});
    EXPECT_TRUE(h.feed(input, piece).isOk());
    const std::span<const std::uint8_t> out = h.connection.pendingOutput();
    return std::make_pair(Bytes(out.begin(), out.end()), h.recorder.media);
  };
  const auto whole = run(0);
  const auto bytewise = run(1);
  EXPECT_EQ(whole.first, bytewise.first);
  EXPECT_EQ(whole.second, bytewise.second);
  ASSERT_EQ(whole.second.size(), 2u);
  EXPECT_EQ(whole.second[0].payload, test::pattern(9000, 3));
}

TEST(ServerConnection, RejectedPublishAnswersWithReasonAndCloses) {
  Harness h;
  ASSERT_TRUE(h.feed(h.client.ffmpegUpToPublish("key?pushToken=expired")).isOk());
  h.replies();
  ASSERT_TRUE(h.connection.rejectPublish(Code::kUnauthenticated, "push token expired"));
  EXPECT_EQ(h.connection.state(), ServerConnection::State::kClosing);
  EXPECT_TRUE(h.connection.shouldClose());
  const std::vector<Reply> replies = h.replies();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0], (Reply{5, 20, 1, onStatus("error", "NetStream.Publish.Unauthorized", "push token expired")}));
  // Later input is ignored.
  ASSERT_TRUE(h.feed(h.client.video(0, hex("1700"))).isOk());
  EXPECT_TRUE(h.recorder.media.empty());
  EXPECT_FALSE(h.connection.acceptPublish());
}

TEST(ServerConnection, UnknownStreamIsBadName) {
  Harness h;
  h.recorder.onRequest = [&h] { h.connection.rejectPublish(Code::kNotFound, "no such livestream"); };
  ASSERT_TRUE(h.feed(h.client.ffmpegUpToPublish("nope")).isOk());
  const std::vector<Reply> replies = h.replies();
  ASSERT_FALSE(replies.empty());
  EXPECT_EQ(replies.back(), (Reply{5, 20, 1, onStatus("error", "NetStream.Publish.BadName", "no such livestream")}));
}

TEST(ServerConnection, PublishOnAnotherStreamIdAndWithoutCreateStream) {
  Harness h;
  test::ClientScript& c = h.client;
  h.recorder.onRequest = [&h] { h.connection.acceptPublish(); };
  // GStreamer-like: releaseStream/FCPublish without transactions, then a
  // publish on stream 7 although nothing was created.
  ASSERT_TRUE(h.feed(test::concat({c.c0c1(), c.c2(), c.connect("live", "rtmp://h/live"),
                                   c.command("releaseStream", 0, {amfNull(), amfStr("key")}),
                                   c.command("FCPublish", 0, {amfNull(), amfStr("key")}),
                                   c.command("publish", 0, {amfNull(), amfStr("key"), amfStr("live")}, 7),
                                   c.video(10, hex("1701"), 7), c.audio(11, hex("af01"), 1)}))
                  .isOk());
  const std::vector<Reply> replies = h.replies();
  ASSERT_EQ(replies.size(), 5u + 1u + 2u);  // connect (5), onFCPublish, StreamBegin + onStatus
  EXPECT_EQ(replies[5].payload[3], 'o');    // onFCPublish, no _result for transaction 0
  EXPECT_EQ(replies[6], (Reply{2, 4, 0, hex("0000 00000007")}));
  EXPECT_EQ(replies[7].msid, 7u);
  ASSERT_EQ(h.recorder.media.size(), 2u);
  EXPECT_EQ(h.recorder.media[0].timestamp, 10);
  EXPECT_EQ(h.recorder.media[1].timestamp, 11);
}

TEST(ServerConnection, TimestampsUnwrapPast32Bits) {
  Harness h;
  h.recorder.onRequest = [&h] { h.connection.acceptPublish(); };
  test::ClientScript& c = h.client;
  ASSERT_TRUE(
      h.feed(test::concat({c.ffmpegUpToPublish("key"), c.video(0xFFFFFF00u, hex("01")), c.audio(0xFFFFFFF0u, hex("02")),
                           c.video(0x00000010u, hex("03")), c.audio(0x00000008u, hex("04"))}))
          .isOk());
  ASSERT_EQ(h.recorder.media.size(), 4u);
  EXPECT_EQ(h.recorder.media[0].timestamp, 0xFFFFFF00LL);
  EXPECT_EQ(h.recorder.media[1].timestamp, 0xFFFFFFF0LL);
  EXPECT_EQ(h.recorder.media[2].timestamp, 0x100000010LL);
  EXPECT_EQ(h.recorder.media[3].timestamp, 0x100000008LL);
}

TEST(ServerConnection, AggregateMessagesAreSplit) {
  Harness h;
  h.recorder.onRequest = [&h] { h.connection.acceptPublish(); };
  // Two video sub-messages (ts 1000 and 1033) inside an aggregate stamped 5000.
  const Bytes aggregate =
      test::concat({hex("09 000002 0003e8 00 000000 1701 0000000d"), hex("09 000002 000409 00 000000 2701 0000000d")});
  ASSERT_TRUE(h.feed(test::concat({h.client.ffmpegUpToPublish("key"),
                                   h.client.message(message_type::kAggregate, 6, 1, 5000, aggregate)}))
                  .isOk());
  const std::vector<Recorder::Media> expected = {{true, 5000, hex("1701")}, {true, 5033, hex("2701")}};
  EXPECT_EQ(h.recorder.media, expected);
}

TEST(ServerConnection, AcknowledgesThePeersWindowAndAnswersPings) {
  Harness h;
  h.recorder.onRequest = [&h] { h.connection.acceptPublish(); };
  test::ClientScript& c = h.client;
  ASSERT_TRUE(h.feed(test::concat({c.ffmpegUpToPublish("key"),
                                   c.message(message_type::kWindowAckSize, 2, 0, 0, hex("00002710"))}))
                  .isOk());  // window 10000
  h.replies();
  const std::uint64_t before = h.connection.bytesReceived();
  ASSERT_TRUE(h.feed(c.video(0, test::pattern(12000, 1))).isOk());
  const std::vector<Reply> acks = h.replies();
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].type, message_type::kAcknowledgement);
  EXPECT_EQ(acks[0].csid, 2u);
  const Bytes& p = acks[0].payload;
  ASSERT_EQ(p.size(), 4u);
  const std::uint32_t sequence =
      std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
  EXPECT_GE(sequence, 10000u);
  EXPECT_LE(sequence, before + 12000 + 20);

  ASSERT_TRUE(h.feed(c.message(message_type::kUserControl, 2, 0, 0, hex("0006 00001234"))).isOk());
  const std::vector<Reply> pong = h.replies();
  ASSERT_EQ(pong.size(), 1u);
  EXPECT_EQ(pong[0], (Reply{2, 4, 0, hex("0007 00001234")}));
}

TEST(ServerConnection, UnknownCallsGetAnErrorNotificationsDoNot) {
  Harness h;
  test::ClientScript& c = h.client;
  ASSERT_TRUE(h.feed(test::concat({c.c0c1(), c.c2(), c.connect("live", "rtmp://h/live")})).isOk());
  h.replies();
  ASSERT_TRUE(h.feed(test::concat({c.command("play", 9, {amfNull(), amfStr("key")}), c.command("onSomething", 3, {}),
                                   c.command("getStreamLength", 4, {amfNull(), amfStr("key")})}))
                  .isOk());
  const std::vector<Reply> replies = h.replies();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].payload, test::concat({amfStr("_error"), amfNum(9), amfNull(),
                                              amfObj({{"level", amfStr("error")},
                                                      {"code", amfStr("NetConnection.Call.Failed")},
                                                      {"description", amfStr("Method not supported: play")}})}));
}

TEST(ServerConnection, WithdrawnPublishCannotBeAccepted) {
  Harness h;
  ASSERT_TRUE(h.feed(test::concat({h.client.ffmpegUpToPublish("key"), h.client.command("closeStream", 0, {amfNull()})}))
                  .isOk());
  EXPECT_EQ(h.connection.state(), ServerConnection::State::kConnected);
  EXPECT_FALSE(h.connection.acceptPublish());
  EXPECT_EQ(h.recorder.unpublishes, 0);
}

TEST(ServerConnection, SecondPublishIsRefusedWithoutStateChange) {
  Harness h;
  ASSERT_TRUE(h.feed(test::concat({h.client.ffmpegUpToPublish("key"),
                                   h.client.command("publish", 9, {amfNull(), amfStr("other"), amfStr("live")}, 1)}))
                  .isOk());
  EXPECT_EQ(h.recorder.requests.size(), 1u);
  EXPECT_EQ(h.connection.state(), ServerConnection::State::kPublishPending);
  const std::vector<Reply> replies = h.replies();
  EXPECT_EQ(replies.back(),
            (Reply{5, 20, 1, onStatus("error", "NetStream.Publish.BadName", "A publish is already in progress.")}));
}

TEST(ServerConnection, ProtocolErrorsFailOnce) {
  Harness h;
  ASSERT_TRUE(h.feed(test::concat({h.client.c0c1(), h.client.c2()})).isOk());
  const Status st = h.feed(h.client.command("createStream", 2, {amfNull()}));
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_EQ(h.connection.state(), ServerConnection::State::kFailed);
  EXPECT_FALSE(h.feed(hex("03")).isOk());
  EXPECT_EQ(h.recorder.errors.size(), 1u);

  Harness big;
  ASSERT_TRUE(big.feed(test::concat({big.client.c0c1(), big.client.c2()})).isOk());
  EXPECT_EQ(big.feed(hex("06 000000 ffffff 09 01000000")).code(), Code::kPayloadTooLarge);
  ASSERT_EQ(big.recorder.errors.size(), 1u);

  Harness rtmpe;
  EXPECT_FALSE(rtmpe.feed(hex("06")).isOk());
  EXPECT_EQ(rtmpe.recorder.errors.size(), 1u);
}

TEST(ServerConnection, LargeMessagesOnlyOnceAPublishIsAccepted) {
  // Nobody authorized yet: a 128 KiB message is refused at its header, so a
  // stranger cannot make the server hold megabytes of half message.
  Harness early;
  ASSERT_TRUE(early.feed(test::concat({early.client.c0c1(), early.client.c2()})).isOk());
  EXPECT_EQ(early.feed(hex("06 000000 020000 09 01000000")).code(), Code::kPayloadTooLarge);

  Harness h;
  test::ClientScript& c = h.client;
  ASSERT_TRUE(h.feed(test::concat({c.c0c1(), c.c2(), c.setChunkSize(4096), c.connect("live", "rtmp://x/live"),
                                   c.command("createStream", 2, {amfNull()}),
                                   c.command("publish", 3, {amfNull(), amfStr("key"), amfStr("live")}, 1)}))
                  .isOk());
  ASSERT_EQ(h.connection.state(), ServerConnection::State::kPublishPending);
  ASSERT_TRUE(h.connection.acceptPublish());
  // A 1 MiB keyframe is ordinary media: its header and first chunk are taken.
  EXPECT_TRUE(h.feed(test::concat({hex("06 000000 100000 09 01000000"), Bytes(4096, 0x17)})).isOk());
  EXPECT_EQ(h.connection.pendingInputBytes(), 4096u);
}

TEST(ServerConnection, Amf3EnvelopedCommandsWork) {
  Harness h;
  test::ClientScript& c = h.client;
  const Bytes connect = test::concat({hex("00"), amfStr("connect"), amfNum(1), amfObj({{"app", amfStr("live")}})});
  ASSERT_TRUE(h.feed(test::concat({c.c0c1(), c.c2(), c.message(message_type::kCommandAmf3, 3, 0, 0, connect)})).isOk());
  EXPECT_EQ(h.connection.state(), ServerConnection::State::kConnected);
}

}  // namespace
}  // namespace ls::rtmp
