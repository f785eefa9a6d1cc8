#include "media/rtmp/messages.hpp"

#include <gtest/gtest.h>

#include "media/rtmp/status_map.hpp"
#include "unit/media/rtmp/rtmp_test_support.hpp"

namespace ls::rtmp {
namespace {

using test::amfEcma;
using test::amfNull;
using test::amfNum;
using test::amfObj;
using test::amfStr;
using test::Bytes;
using test::hex;

// The connect FFmpeg 6 sends when publishing to rtmp://localhost/live/key.
Bytes ffmpegConnect() {
  return test::concat({amfStr("connect"), amfNum(1),
                       amfObj({{"app", amfStr("live")},
                               {"type", amfStr("nonprivate")},
                               {"flashVer", amfStr("FMLE/3.0 (compatible; Lavf60.3.100)")},
                               {"tcUrl", amfStr("rtmp://localhost:1935/live?pushToken=t0k")}})});
}

TEST(Messages, ParsesConnect) {
  Result<Command> command = parseCommand(ffmpegConnect(), false);
  ASSERT_TRUE(command.ok()) << command.status().message();
  EXPECT_EQ(command->name, "connect");
  EXPECT_EQ(command->transactionId, 1.0);
  EXPECT_TRUE(command->arguments.empty());
  const ConnectRequest c = parseConnect(*command);
  EXPECT_EQ(c.app, "live");
  EXPECT_EQ(c.tcUrl, "rtmp://localhost:1935/live?pushToken=t0k");
  EXPECT_EQ(c.flashVer, "FMLE/3.0 (compatible; Lavf60.3.100)");
  EXPECT_EQ(c.swfUrl, "");
  EXPECT_EQ(c.objectEncoding, 0.0);
}

TEST(Messages, ParsesTheAmf3CommandEnvelope) {
  Result<Command> command = parseCommand(test::concat({hex("00"), ffmpegConnect()}), true);
  ASSERT_TRUE(command.ok());
  EXPECT_EQ(parseConnect(*command).app, "live");
}

TEST(Messages, ParsesPublishAndToleratesShortCommands) {
  Result<Command> publish = parseCommand(
      test::concat({amfStr("publish"), amfNum(5), amfNull(), amfStr("key?pushToken=abc"), amfStr("live")}), false);
  ASSERT_TRUE(publish.ok());
  Result<PublishArgs> args = parsePublish(*publish);
  ASSERT_TRUE(args.ok());
  EXPECT_EQ(args->name, "key?pushToken=abc");
  EXPECT_EQ(args->type, "live");

  Result<Command> noName = parseCommand(test::concat({amfStr("publish"), amfNum(5), amfNull()}), false);
  ASSERT_TRUE(noName.ok());
  EXPECT_FALSE(parsePublish(*noName).ok());

  Result<Command> bare = parseCommand(amfStr("closeStream"), false);
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->transactionId, 0.0);
  EXPECT_TRUE(bare->commandObject.isNull());

  EXPECT_FALSE(parseCommand(amfNum(1), false).ok());            // no name
  EXPECT_FALSE(parseCommand(hex("02 0005 6162"), false).ok());  // truncated
}

Bytes obsMetadata() {
  return test::concat({amfStr("@setDataFrame"), amfStr("onMetaData"),
                       amfEcma({{"duration", amfNum(0)},
                                {"width", amfNum(1280)},
                                {"height", amfNum(720)},
                                {"videodatarate", amfNum(2500)},
                                {"framerate", amfNum(30)},
                                {"videocodecid", amfNum(7)},
                                {"audiodatarate", amfNum(160)},
                                {"audiosamplerate", amfNum(48000)},
                                {"audiocodecid", amfNum(10)},
                                {"encoder", amfStr("obs-output module (libobs version 29.1.3)")}})});
}

TEST(Messages, ParsesSetDataFrameMetadata) {
  Result<std::optional<StreamMetadata>> m = parseDataMessage(obsMetadata(), false);
  ASSERT_TRUE(m.ok()) << m.status().message();
  ASSERT_TRUE(m->has_value());
  const StreamMetadata& md = **m;
  EXPECT_EQ(md.width, 1280.0);
  EXPECT_EQ(md.height, 720.0);
  EXPECT_EQ(md.frameRate, 30.0);
  EXPECT_EQ(md.videoDataRate, 2500.0);
  EXPECT_EQ(md.audioDataRate, 160.0);
  EXPECT_EQ(md.videoCodecId, 7.0);
  EXPECT_EQ(md.audioCodecId, 10.0);
  EXPECT_EQ(md.audioSampleRate, 48000.0);
  EXPECT_EQ(md.encoder, "obs-output module (libobs version 29.1.3)");
  EXPECT_EQ(md.properties.properties().size(), 10u);
  EXPECT_EQ(md.properties.properties()[0].key, "duration");
}

TEST(Messages, ParsesBareOnMetaDataAndIgnoresOtherData) {
  Result<std::optional<StreamMetadata>> bare =
      parseDataMessage(test::concat({amfStr("onMetaData"), amfObj({{"videoframerate", amfNum(25)}})}), false);
  ASSERT_TRUE(bare.ok() && bare->has_value());
  EXPECT_EQ((*bare)->frameRate, 25.0);
  EXPECT_EQ((*bare)->width, std::nullopt);

  Result<std::optional<StreamMetadata>> text =
      parseDataMessage(test::concat({amfStr("onTextData"), amfObj({{"text", amfStr("hi")}})}), false);
  ASSERT_TRUE(text.ok());
  EXPECT_FALSE(text->has_value());

  EXPECT_FALSE(parseDataMessage(hex("02 00"), false).ok());
}

TEST(Messages, ProtocolControlPayloads) {
  Bytes out;
  buildWindowAckSize(out, 5'000'000);
  EXPECT_EQ(out, hex("004c4b40"));
  out.clear();
  buildSetPeerBandwidth(out, 5'000'000, 2);
  EXPECT_EQ(out, hex("004c4b40 02"));
  out.clear();
  buildSetChunkSize(out, 4096);
  EXPECT_EQ(out, hex("00001000"));
  out.clear();
  buildAcknowledgement(out, 0x01020304);
  EXPECT_EQ(out, hex("01020304"));
  out.clear();
  buildUserControl(out, UserControlEvent::kStreamBegin, 1);
  EXPECT_EQ(out, hex("0000 00000001"));

  Result<UserControl> ping = parseUserControl(hex("0006 0000abcd"));
  ASSERT_TRUE(ping.ok());
  EXPECT_EQ(ping->event, UserControlEvent::kPingRequest);
  EXPECT_EQ(ping->value, 0xABCDu);
  EXPECT_FALSE(parseUserControl(hex("00")).ok());
  EXPECT_EQ(parseUint32Payload(hex("00001000")).value(), 4096u);
  EXPECT_FALSE(parseUint32Payload(hex("0010")).ok());
}

TEST(Messages, CommandReplies) {
  Bytes out;
  buildConnectResult(out, 1, 0);
  EXPECT_EQ(out, test::concat(
                     {amfStr("_result"), amfNum(1),
                      amfObj({{"fmsVer", amfStr("FMS/3,0,1,123")}, {"capabilities", amfNum(31)}, {"mode", amfNum(1)}}),
                      amfObj({{"level", amfStr("status")},
                              {"code", amfStr("NetConnection.Connect.Success")},
                              {"description", amfStr("Connection succeeded.")},
                              {"objectEncoding", amfNum(0)}})}));
  out.clear();
  buildOnBwDone(out);
  EXPECT_EQ(out, test::concat({amfStr("onBWDone"), amfNum(0), amfNull()}));
  out.clear();
  buildCreateStreamResult(out, 4, 1);
  EXPECT_EQ(out, test::concat({amfStr("_result"), amfNum(4), amfNull(), amfNum(1)}));
  out.clear();
  buildEmptyResult(out, 2);
  EXPECT_EQ(out, test::concat({amfStr("_result"), amfNum(2), amfNull()}));
  out.clear();
  buildOnFcPublish(out, "key");
  EXPECT_EQ(out, test::concat({amfStr("onFCPublish"), amfNum(0), amfNull(),
                               amfObj({{"code", amfStr("NetStream.Publish.Start")}, {"description", amfStr("key")}})}));
  out.clear();
  buildOnStatus(out, "error", status_code::kPublishBadName, "no such stream");
  EXPECT_EQ(out, test::concat({amfStr("onStatus"), amfNum(0), amfNull(),
                               amfObj({{"level", amfStr("error")},
                                       {"code", amfStr("NetStream.Publish.BadName")},
                                       {"description", amfStr("no such stream")}})}));
  out.clear();
  buildError(out, 9, status_code::kCallFailed, "Method not supported: play");
  EXPECT_EQ(out, test::concat({amfStr("_error"), amfNum(9), amfNull(),
                               amfObj({{"level", amfStr("error")},
                                       {"code", amfStr("NetConnection.Call.Failed")},
                                       {"description", amfStr("Method not supported: play")}})}));
}

TEST(StatusMap, CredentialProblemsAreUnauthorizedTheRestBadName) {
  EXPECT_EQ(publishRejectionCode(Code::kUnauthenticated), "NetStream.Publish.Unauthorized");
  EXPECT_EQ(publishRejectionCode(Code::kPermissionDenied), "NetStream.Publish.Unauthorized");
  EXPECT_EQ(publishRejectionCode(Code::kNotFound), "NetStream.Publish.BadName");
  EXPECT_EQ(publishRejectionCode(Code::kConflict), "NetStream.Publish.BadName");
  EXPECT_EQ(publishRejectionCode(Code::kUnavailable), "NetStream.Publish.BadName");
}

}  // namespace
}  // namespace ls::rtmp
