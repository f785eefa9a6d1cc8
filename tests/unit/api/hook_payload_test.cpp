#include "api/hook_payload.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ls::api {
namespace {

// The bodies as the servers send them, every field included: ZLMediaKit's
// on_publish / on_stream_changed and MediaMTX's authHTTPAddress request.
constexpr std::string_view kZlmPublish =
    R"({"mediaServerId":"your_server_id","app":"live","stream":"ee04affe2a669854052102fe762bd715",)"
    R"("params":"pushToken=h.p.s","ip":"198.51.100.7","port":55123,"id":"140234","schema":"rtmp",)"
    R"("vhost":"__defaultVhost__","originType":1,"originTypeStr":"rtmp_push"})";
constexpr std::string_view kZlmRtmpGone =
    R"({"regist":false,"schema":"rtmp","vhost":"__defaultVhost__","app":"live",)"
    R"("stream":"ee04affe2a669854052102fe762bd715","mediaServerId":"your_server_id"})";
constexpr std::string_view kMediaMtxPublish =
    R"({"ip":"198.51.100.9","user":"","password":"","token":"","action":"publish",)"
    R"("path":"live/ee04affe2a669854052102fe762bd715","protocol":"rtmp",)"
    R"("id":"6f1e9c3e-1b2a-4d0c-9a51-1f0c2b3d4e5f","query":"pushToken=h.p.s"})";

constexpr std::string_view kKey = "ee04affe2a669854052102fe762bd715";

void expectRejected(const Status& status) {
  EXPECT_EQ(status.code(), Code::kInvalidArgument);
  EXPECT_EQ(status.message(), "hook body must be a JSON object");
}

TEST(ZlmPublishPayload, ReadsTheFieldsOfARealBody) {
  auto p = parseZlmPublish(kZlmPublish);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->app, "live");
  EXPECT_EQ(p->stream, kKey);
  EXPECT_EQ(p->params, "pushToken=h.p.s");
  EXPECT_EQ(p->ip, "198.51.100.7");
}

TEST(ZlmPublishPayload, MissingOrNonStringFieldsReadAsEmpty) {
  // Left to the service, whose refusal ("push token missing") ZLMediaKit logs.
  auto p = parseZlmPublish(R"({"app":7,"stream":null,"params":["pushToken=x"]})");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->app, "");
  EXPECT_EQ(p->stream, "");
  EXPECT_EQ(p->params, "");
  EXPECT_EQ(p->ip, "");
}

TEST(ZlmStreamChangedPayload, ReadsRegistSchemaAndTheNodeMeta) {
  auto gone = parseZlmStreamChanged(kZlmRtmpGone);
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(gone->regist, false);
  EXPECT_EQ(gone->schema, "rtmp");
  EXPECT_EQ(gone->app, "live");
  EXPECT_EQ(gone->stream, kKey);
  EXPECT_EQ(gone->meta.mediaServerId, "your_server_id");
  EXPECT_FALSE(gone->meta.hookIndex.has_value());

  auto indexed = parseZlmStreamChanged(R"({"regist":true,"schema":"hls","stream":"k","hook_index":41})");
  ASSERT_TRUE(indexed.ok());
  EXPECT_EQ(indexed->regist, true);
  EXPECT_EQ(indexed->meta.hookIndex, 41);
}

TEST(ZlmStreamChangedPayload, RegistMustBeABoolean) {
  for (std::string_view body : {R"({"schema":"rtmp","stream":"k"})", R"({"regist":0,"schema":"rtmp","stream":"k"})",
                                R"({"regist":"false","schema":"rtmp","stream":"k"})"}) {
    auto e = parseZlmStreamChanged(body);
    ASSERT_TRUE(e.ok()) << body;
    EXPECT_FALSE(e->regist.has_value()) << body;
  }
}

TEST(ZlmHookMeta, HookIndexIsANonNegativeInteger) {
  for (std::string_view body : {R"({"hook_index":-1})", R"({"hook_index":"3"})", R"({"hook_index":1.5})",
                                R"({"hook_index":18446744073709551615})"}) {
    auto e = parseZlmStreamRef(body);
    ASSERT_TRUE(e.ok()) << body;
    EXPECT_FALSE(e->meta.hookIndex.has_value()) << body;
  }
  EXPECT_EQ(parseZlmStreamRef(R"({"hook_index":0})")->meta.hookIndex, 0);
}

TEST(ZlmPublishPayload, TheRegistrationThatCarriesAPublish) {
  EXPECT_EQ(registrationSchemaFor("rtmp"), "rtmp");
  EXPECT_EQ(registrationSchemaFor("rtsp"), "rtsp");
  // SRT, WebRTC and RTP pushes are registered through muxers only.
  EXPECT_EQ(registrationSchemaFor("srt"), "");
  EXPECT_EQ(registrationSchemaFor("rtc"), "");
  EXPECT_TRUE(mayEndPublish("rtmp"));
  EXPECT_TRUE(mayEndPublish("ts"));
  EXPECT_FALSE(mayEndPublish("hls"));
  EXPECT_FALSE(mayEndPublish("hls.fmp4"));
}

TEST(ZlmServerStartedPayload, ReadsOnlyTheKeepaliveInterval) {
  auto s = parseZlmServerStarted(
      R"({"api.secret":"s3cret","hook.alive_interval":"2.5","general.mediaServerId":"n1","hook_index":0})");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->keepaliveIntervalMs, 2500);
  EXPECT_EQ(s->meta.hookIndex, 0);
  for (std::string_view body : {R"({"hook.alive_interval":"ten"})", R"({"hook.alive_interval":"0"})",
                                R"({"hook.alive_interval":"99999"})", R"({"hook.alive_interval":"5s"})", "{}"}) {
    auto bad = parseZlmServerStarted(body);
    ASSERT_TRUE(bad.ok()) << body;
    EXPECT_EQ(bad->keepaliveIntervalMs, 0) << body;
  }
}

TEST(ZlmKeepalivePayload, ReadsTheMediaSourceCount) {
  auto k = parseZlmKeepalive(R"({"data":{"MediaSource":5,"TcpSession":3},"hook_index":12})");
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->mediaSources, 5);
  EXPECT_EQ(k->meta.hookIndex, 12);
  EXPECT_EQ(parseZlmKeepalive(R"({"data":{"MediaSource":0}})")->mediaSources, 0);
  EXPECT_FALSE(parseZlmKeepalive(R"({"data":{}})")->mediaSources.has_value());
  EXPECT_FALSE(parseZlmKeepalive(R"({"data":[1]})")->mediaSources.has_value());
}

TEST(MediaMtxAuthPayload, SplitsThePathIntoAppAndStreamKey) {
  auto a = parseMediaMtxAuth(kMediaMtxPublish);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->action, "publish");
  EXPECT_EQ(a->app, "live");
  EXPECT_EQ(a->streamKey, kKey);
  EXPECT_EQ(a->query, "pushToken=h.p.s");
  EXPECT_EQ(a->ip, "198.51.100.9");

  auto slashed = parseMediaMtxAuth(R"({"action":"read","path":"/live/a/b"})");
  ASSERT_TRUE(slashed.ok());
  EXPECT_EQ(slashed->action, "read");
  EXPECT_EQ(slashed->app, "live");
  EXPECT_EQ(slashed->streamKey, "a/b");

  auto bare = parseMediaMtxAuth(R"({"action":"publish","path":"live"})");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->app, "live");
  EXPECT_EQ(bare->streamKey, "");
}

TEST(MediaMtxAuthPayload, MissingOrNonStringFieldsReadAsEmpty) {
  auto a = parseMediaMtxAuth(R"({"action":1,"path":{"p":"live/k"},"query":false,"id":null})");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->action, "");
  EXPECT_EQ(a->app, "");
  EXPECT_EQ(a->streamKey, "");
  EXPECT_EQ(a->query, "");
  EXPECT_EQ(a->ip, "");
}

TEST(MediaMtxPathEventPayload, TheBodyPathWinsOverTheQuery) {
  auto e = parseMediaMtxPathEvent(R"({"path":"live/ee04affe2a669854052102fe762bd715"})", "live/other");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->app, "live");
  EXPECT_EQ(e->streamKey, kKey);
}

TEST(MediaMtxPathEventPayload, FallsBackToTheQueryPath) {
  // runOnNotReady as a curl command: no body, the path in the URL.
  auto e = parseMediaMtxPathEvent("", "live/ee04affe2a669854052102fe762bd715");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->app, "live");
  EXPECT_EQ(e->streamKey, kKey);
  auto typed = parseMediaMtxPathEvent(R"({"path":42})", "live/k");
  ASSERT_TRUE(typed.ok());
  EXPECT_EQ(typed->streamKey, "k");
  auto none = parseMediaMtxPathEvent("{}", "");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->app, "");
  EXPECT_EQ(none->streamKey, "");
}

TEST(HookPayload, AnEmptyBodyIsAnEmptyObject) {
  auto p = parseZlmPublish("");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->stream, "");
  auto c = parseZlmStreamChanged("");
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->regist.has_value());
  auto a = parseMediaMtxAuth("");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->action, "");
}

TEST(HookPayload, RejectsWhatIsNotAJsonObject) {
  const std::string deep = std::string(9, '[') + std::string(9, ']');
  const std::string deepInObject = R"({"a":)" + std::string(8, '[') + std::string(8, ']') + "}";
  for (std::string_view body :
       {std::string_view("{nope"), std::string_view("[1]"), std::string_view("\"live\""), std::string_view("null"),
        std::string_view("{\"a\":1} {}"), std::string_view(" "), std::string_view("{\"a\":\"\xff\"}"),
        std::string_view(deep), std::string_view(deepInObject)}) {
    expectRejected(parseZlmPublish(body).status());
    expectRejected(parseZlmStreamChanged(body).status());
    expectRejected(parseMediaMtxAuth(body).status());
    expectRejected(parseMediaMtxPathEvent(body, "live/k").status());
  }
}

TEST(HookPayload, AcceptsNestingUpToEightLevels) {
  const std::string nested = R"({"a":)" + std::string(7, '[') + std::string(7, ']') + R"(,"stream":"k"})";
  auto p = parseZlmPublish(nested);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->stream, "k");
}

}  // namespace
}  // namespace ls::api
