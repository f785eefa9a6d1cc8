// MediaServerService: validation of media-server input, updates, and which
// server a hook call comes from.
#include "control/media_server_service.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "support/control_fixture.hpp"

namespace ls::control {
namespace {

MediaServerInput externalInput(const std::string& name = "edge") {
  MediaServerInput in;
  in.name = name;
  in.type = MediaServerType::kZlMediaKit;
  in.rtmpBaseUrl = "rtmp://" + name + ".example.com:1935/live";
  in.hlsBaseUrl = "https://" + name + ".example.com";
  return in;
}

MediaServerInput embeddedInput() {
  MediaServerInput in = externalInput("embedded");
  in.type = MediaServerType::kEmbedded;
  return in;
}

// The problems validation finds, one line each.
std::vector<std::string> problems(const MediaServerInput& in) {
  const Status s = validateMediaServerInput(in);
  if (s.isOk()) return {};
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_FALSE(s.details().empty());
  if (!s.details().empty()) {
    EXPECT_EQ(s.message(), s.details().front()) << "the message is the first problem";
  }
  return s.details();
}

std::vector<std::string> just(const std::string& problem) {
  return {problem};
}

TEST(MediaServerValidationTest, AWellFormedExternalServerPasses) {
  MediaServerInput in = externalInput();
  in.hlsPathTemplate = "hls/{app}/{streamKey}/index.m3u8";
  in.hookAllow = {"10.0.0.0/8", "192.0.2.7", "fd00::/8"};
  in.remoteId = "zlm-edge-1";
  in.apiUrl = "http://10.0.0.5:80/";
  in.apiSecret = "035c73f7-bb6b-4889-a715-d9eb2d1925cc";
  in.projectIds = {"6f1c2a4e-1d2b-4c3d-8e9f-0a1b2c3d4e5f"};
  EXPECT_EQ(problems(in), std::vector<std::string>{});
  EXPECT_EQ(problems(embeddedInput()), std::vector<std::string>{});
}

TEST(MediaServerValidationTest, ThePathTemplateMustNameTheStreamAndStayUnderTheBaseUrl) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"live/index.m3u8", "hlsPathTemplate must contain {streamKey}"},
      {"/{app}/{streamKey}.m3u8", "hlsPathTemplate must be relative to the HLS base URL (no leading '/')"},
      {"{app}//{streamKey}.m3u8", "hlsPathTemplate must not contain '//'"},
      {"{app}/../{streamKey}.m3u8", "hlsPathTemplate must not contain '..' segments"},
      {"../{streamKey}.m3u8", "hlsPathTemplate must not contain '..' segments"},
      {"{app}/{streamKey}.m3u8?token=1",
       "hlsPathTemplate may hold only letters, digits, - . _ ~ / and the placeholders {streamKey} and {app}"},
      {"{app}/{stream}/{streamKey}.m3u8",
       "hlsPathTemplate may hold only letters, digits, - . _ ~ / and the placeholders {streamKey} and {app}"},
      {std::string(250, 'a') + "/{streamKey}", "hlsPathTemplate must be 1 to 255 characters"},
  };
  for (const auto& [pathTemplate, expected] : cases) {
    MediaServerInput in = externalInput();
    in.hlsPathTemplate = pathTemplate;
    EXPECT_EQ(problems(in), just(expected)) << pathTemplate;
  }
}

TEST(MediaServerValidationTest, HookAddressBlocksAreParsedAndCounted) {
  MediaServerInput in = externalInput();
  in.hookAllow = {"10.0.0.1/8"};
  EXPECT_EQ(problems(in), just("hookAllow: '10.0.0.1/8' has host bits set beyond its prefix"));
  in.hookAllow = {"edge.example.com"};
  EXPECT_EQ(problems(in), just("hookAllow: 'edge.example.com' is not an IP address or CIDR block"));
  in.hookAllow = {"10.0.0.0/33"};
  ASSERT_EQ(problems(in).size(), 1u);
  EXPECT_TRUE(problems(in)[0].starts_with("hookAllow: '10.0.0.0/33' has a prefix length outside 0.."))
      << problems(in)[0];

  in.hookAllow.assign(65, "192.0.2.7");
  EXPECT_EQ(problems(in), just("hookAllow may list at most 64 address blocks"));
  in.hookAllow.assign(64, "192.0.2.7");
  EXPECT_EQ(problems(in), std::vector<std::string>{});
}

TEST(MediaServerValidationTest, NodeApiRemoteIdAndProjects) {
  MediaServerInput in = externalInput();
  in.apiSecret = "s3cret";
  EXPECT_EQ(problems(in), just("apiSecret needs an apiUrl"));
  in.apiUrl = "ftp://10.0.0.5";
  EXPECT_EQ(problems(in), just("apiUrl must be an http:// or https:// URL"));
  in.apiUrl = "https://10.0.0.5";
  in.apiSecret = "two words";
  EXPECT_EQ(problems(in), just("apiSecret must be at most 256 printable characters without spaces"));
  in.apiSecret = std::string(257, 'x');
  EXPECT_EQ(problems(in), just("apiSecret must be at most 256 printable characters without spaces"));

  in = externalInput();
  in.remoteId = "zlm edge";
  EXPECT_EQ(problems(in), just("remoteId must be at most 255 printable characters without spaces"));
  in.remoteId = std::string(256, 'z');
  EXPECT_EQ(problems(in), just("remoteId must be at most 255 printable characters without spaces"));

  in = externalInput();
  in.projectIds = {"nope"};
  EXPECT_EQ(problems(in), just("project 'nope' is not a project id (UUID)"));
  in.projectIds = {std::string(100, 'p')};
  EXPECT_EQ(problems(in), just("project '" + std::string(64, 'p') + "' is not a project id (UUID)"))
      << "an overlong id is cut short in the message";
  const std::string id = "6f1c2a4e-1d2b-4c3d-8e9f-0a1b2c3d4e5f";
  in.projectIds = {id, id};
  EXPECT_EQ(problems(in), just("project " + id + " is listed twice"));
}

TEST(MediaServerValidationTest, ExternalOnlySettingsAreRefusedForTheEmbeddedServer) {
  MediaServerInput in = embeddedInput();
  in.hlsPathTemplate = "{app}/{streamKey}/index.m3u8";
  EXPECT_EQ(problems(in), just("hlsPathTemplate applies to external media servers only"));
  in = embeddedInput();
  in.hookAllow = {"10.0.0.0/8"};
  EXPECT_EQ(problems(in), just("hookAllow applies to external media servers only"));
  in = embeddedInput();
  in.apiUrl = "http://127.0.0.1:8080";
  EXPECT_EQ(problems(in), just("apiUrl applies to external media servers only"));
  in = embeddedInput();
  in.remoteId = "embedded";
  EXPECT_EQ(problems(in), just("remoteId applies to external media servers only"));
  in = embeddedInput();
  in.apiSecret = "s3cret";
  EXPECT_EQ(problems(in), just("apiSecret needs an apiUrl"));
  in = embeddedInput();
  in.projectIds = {"6f1c2a4e-1d2b-4c3d-8e9f-0a1b2c3d4e5f"};
  EXPECT_EQ(problems(in), std::vector<std::string>{}) << "the embedded server may be kept for some projects";
}

TEST(MediaServerValidationTest, EveryProblemIsReportedOnce) {
  MediaServerInput in = externalInput();
  in.name.clear();
  in.rtmpBaseUrl = "http://wrong";
  in.hookAllow = {"nope"};
  in.apiSecret = "x";
  in.projectIds = {"bad"};
  EXPECT_EQ(problems(in), (std::vector<std::string>{
                              "name must be 1 to 255 characters", "rtmpBaseUrl must be an rtmp:// or rtmps:// URL",
                              "hookAllow: 'nope' is not an IP address or CIDR block", "apiSecret needs an apiUrl",
                              "project 'bad' is not a project id (UUID)"}));
}

class MediaServerServiceTest : public testing::ControlFixture {
 protected:
  AddedMediaServer add(MediaServerInput in) {
    clock_.advance(1);
    auto added = servers_->add(in);
    EXPECT_TRUE(added.ok()) << added.status().message();
    return added.ok() ? *added : AddedMediaServer{};
  }

  MediaServer stored(const std::string& id) {
    auto found = servers_->get(id);
    EXPECT_TRUE(found.ok()) << found.status().message();
    return found.ok() ? *found : MediaServer{};
  }

  Result<MediaServer> hookFrom(std::string_view address, std::string_view secret = {}, std::string_view remoteId = {}) {
    return servers_->authenticateHook(HookCaller{secret, address, remoteId});
  }
};

TEST_F(MediaServerServiceTest, AddIssuesAHookSecretForExternalServersOnly) {
  MediaServerInput in = externalInput();
  in.apiUrl = "http://10.0.0.5:80//";
  in.projectIds = {project_.id};
  const AddedMediaServer added = add(in);
  EXPECT_TRUE(added.hookSecret.starts_with("ls_hook_"));
  EXPECT_EQ(added.server.hookSecretHash.find(added.hookSecret), std::string::npos);
  const MediaServer read = stored(added.server.id);
  EXPECT_EQ(read.apiUrl, "http://10.0.0.5:80") << "kept without its trailing slashes";
  EXPECT_EQ(read.projectIds, std::vector<std::string>{project_.id});
  EXPECT_EQ(read.hookSecretHash, added.server.hookSecretHash);

  EXPECT_TRUE(server_.hookSecretHash.empty()) << "the embedded server takes no hooks";
}

TEST_F(MediaServerServiceTest, AddWithAnUnknownProjectStoresNothing) {
  MediaServerInput in = externalInput();
  in.projectIds = {project_.id, "00000000-0000-4000-8000-000000000000"};
  auto added = servers_->add(in);
  EXPECT_EQ(added.status().code(), Code::kNotFound);
  EXPECT_EQ(servers_->list()->size(), 1u) << "only the embedded server";
}

TEST_F(MediaServerServiceTest, UpdateKeepsTypeIdAndHookSecretAndReplacesProjects) {
  MediaServerInput in = externalInput("edge");
  in.projectIds = {project_.id};
  in.hookAllow = {"10.0.0.0/24"};
  const AddedMediaServer added = add(in);

  MediaServerInput change = externalInput("renamed");
  change.type = MediaServerType::kMediaMtx;  // not something an update can change
  change.projectIds = {otherProject_.id};
  change.apiUrl = "https://10.0.0.5:9997";
  change.apiSecret = "node-password";
  auto updated = servers_->update(added.server.id, change);
  ASSERT_TRUE(updated.ok()) << updated.status().message();
  EXPECT_EQ(updated->id, added.server.id);
  EXPECT_EQ(updated->type, MediaServerType::kZlMediaKit);
  EXPECT_EQ(updated->hookSecretHash, added.server.hookSecretHash);

  const MediaServer read = stored(added.server.id);
  EXPECT_EQ(read.name, "renamed");
  EXPECT_EQ(read.type, MediaServerType::kZlMediaKit);
  EXPECT_EQ(read.projectIds, std::vector<std::string>{otherProject_.id});
  EXPECT_TRUE(read.hookAllow.empty());
  EXPECT_EQ(read.apiUrl, "https://10.0.0.5:9997");
  EXPECT_EQ(read.apiSecret, "node-password");
  EXPECT_EQ(read.createdAt, added.server.createdAt);
  auto byHook = hookFrom("203.0.113.9", added.hookSecret);
  ASSERT_TRUE(byHook.ok()) << "the node's configured secret still works";
  EXPECT_EQ(byHook->id, added.server.id);

  // Back to every project.
  MediaServerInput global = inputOf(read);
  global.projectIds.clear();
  ASSERT_TRUE(servers_->update(added.server.id, global).ok());
  EXPECT_TRUE(stored(added.server.id).projectIds.empty());
}

TEST_F(MediaServerServiceTest, UpdateRefusesUnknownServersProjectsAndBadInputWithoutChangingAnything) {
  MediaServerInput in = externalInput("edge");
  in.projectIds = {project_.id};
  const AddedMediaServer added = add(in);

  MediaServerInput change = inputOf(stored(added.server.id));
  change.name = "changed";
  change.projectIds = {otherProject_.id, "00000000-0000-4000-8000-000000000000"};
  EXPECT_EQ(servers_->update(added.server.id, change).status().code(), Code::kNotFound);
  MediaServer read = stored(added.server.id);
  EXPECT_EQ(read.name, "edge") << "the update is one transaction";
  EXPECT_EQ(read.projectIds, std::vector<std::string>{project_.id});

  change.projectIds = {};
  change.apiSecret = "needs-a-url";
  EXPECT_EQ(servers_->update(added.server.id, change).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(stored(added.server.id).name, "edge");

  EXPECT_EQ(servers_->update("00000000-0000-4000-8000-000000000000", externalInput()).status().code(), Code::kNotFound);

  // The embedded server stays embedded, so external-only settings are still refused.
  MediaServerInput embedded = inputOf(server_);
  embedded.apiUrl = "http://127.0.0.1:8080";
  EXPECT_EQ(servers_->update(server_.id, embedded).status().code(), Code::kInvalidArgument);
}

TEST_F(MediaServerServiceTest, RemovingAServerTakesItsAssignmentsAlong) {
  MediaServerInput in = externalInput();
  in.projectIds = {project_.id, otherProject_.id};
  const AddedMediaServer added = add(in);
  ASSERT_TRUE(servers_->remove(added.server.id).isOk());
  EXPECT_EQ(servers_->get(added.server.id).status().code(), Code::kNotFound);
  EXPECT_EQ(servers_->remove(added.server.id).code(), Code::kNotFound);
}

class HookAuthenticationTest : public MediaServerServiceTest {
 protected:
  void SetUp() override {
    MediaServerServiceTest::SetUp();
    MediaServerInput a = externalInput("edge-a");
    a.hookAllow = {"10.0.0.0/24"};
    a.remoteId = "zlm-a";
    a.apiUrl = "http://10.0.0.5";
    a.apiSecret = "api-secret-of-a";
    a_ = add(a);
    MediaServerInput b = externalInput("edge-b");
    b.type = MediaServerType::kMediaMtx;
    b.hookAllow = {"192.0.2.7"};
    b_ = add(b);
  }

  AddedMediaServer a_;
  AddedMediaServer b_;
};

TEST_F(HookAuthenticationTest, TheSecretWinsOverTheAddress) {
  auto byB = hookFrom("10.0.0.9", b_.hookSecret);
  ASSERT_TRUE(byB.ok()) << byB.status().message();
  EXPECT_EQ(byB->id, b_.server.id) << "a secret names its server wherever the call comes from";
  auto anywhere = hookFrom("203.0.113.9", a_.hookSecret, "someone-else");
  ASSERT_TRUE(anywhere.ok());
  EXPECT_EQ(anywhere->id, a_.server.id);
}

TEST_F(HookAuthenticationTest, AWrongSecretIsRefusedEvenFromAnAllowedAddress) {
  auto wrong = hookFrom("10.0.0.9", "ls_hook_not-the-secret");
  EXPECT_EQ(wrong.status().code(), Code::kUnauthenticated);
  EXPECT_EQ(wrong.status().message(), "invalid hook secret");
  EXPECT_EQ(hookFrom("10.0.0.9", std::string(257, 'x')).status().code(), Code::kUnauthenticated);
}

TEST_F(HookAuthenticationTest, WithoutASecretTheAddressListFindsTheServer) {
  auto a = hookFrom("10.0.0.9");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->id, a_.server.id);
  auto mapped = hookFrom("::ffff:10.0.0.200");
  ASSERT_TRUE(mapped.ok()) << "an IPv4-mapped address is its IPv4 form";
  EXPECT_EQ(mapped->id, a_.server.id);
  auto b = hookFrom("192.0.2.7");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->id, b_.server.id);
  auto matching = hookFrom("10.0.0.9", {}, "zlm-a");
  ASSERT_TRUE(matching.ok());
  EXPECT_EQ(matching->id, a_.server.id);
}

TEST_F(HookAuthenticationTest, AnUnlistedAddressIsRefusedWithoutEchoingAnySecret) {
  for (const char* address : {"10.0.1.9", "192.0.2.8", "127.0.0.1", "not an address", ""}) {
    auto refused = hookFrom(address);
    EXPECT_EQ(refused.status().code(), Code::kUnauthenticated) << address;
    const std::string& message = refused.status().message();
    EXPECT_NE(message.find("hook address list"), std::string::npos) << message;
    for (const std::string& secret : {a_.hookSecret, b_.hookSecret, std::string("api-secret-of-a")}) {
      EXPECT_EQ(message.find(secret), std::string::npos) << message;
    }
  }
}

TEST_F(HookAuthenticationTest, AnotherNodeBehindAnAllowedAddressIsRefused) {
  // edge-a names its node zlm-a: a node calling itself otherwise is not edge-a.
  auto stranger = hookFrom("10.0.0.9", {}, "zlm-new");
  EXPECT_EQ(stranger.status().code(), Code::kUnauthenticated);
  EXPECT_NE(stranger.status().message().find("remote id"), std::string::npos) << stranger.status().message();
  EXPECT_EQ(stranger.status().message().find("zlm-new"), std::string::npos) << "the caller's words are not echoed";
  // edge-b names none, so any remote id is accepted from its address.
  auto b = hookFrom("192.0.2.7", {}, "whatever");
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->id, b_.server.id);
}

TEST_F(HookAuthenticationTest, TwoServersAllowingOneAddressNeedTheRemoteIdToTellThemApart) {
  MediaServerInput c = externalInput("edge-c");
  c.hookAllow = {"10.0.0.0/16"};
  c.remoteId = "zlm-c";
  const AddedMediaServer added = add(c);

  auto ambiguous = hookFrom("10.0.0.9");
  EXPECT_EQ(ambiguous.status().code(), Code::kUnauthenticated);
  EXPECT_NE(ambiguous.status().message().find("several media servers"), std::string::npos)
      << ambiguous.status().message();
  auto a = hookFrom("10.0.0.9", {}, "zlm-a");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->id, a_.server.id);
  auto byC = hookFrom("10.0.0.9", {}, "zlm-c");
  ASSERT_TRUE(byC.ok()) << byC.status().message();
  EXPECT_EQ(byC->id, added.server.id);
  auto onlyC = hookFrom("10.0.7.9");
  ASSERT_TRUE(onlyC.ok()) << "only edge-c allows 10.0.7.9";
  EXPECT_EQ(onlyC->id, added.server.id);

  auto neither = hookFrom("10.0.0.9", {}, "zlm-x");
  EXPECT_EQ(neither.status().code(), Code::kUnauthenticated);
  EXPECT_EQ(neither.status().message().find("in no media server's hook address list"), std::string::npos)
      << "the address is listed; it is the remote id that matches none: " << neither.status().message();
}

TEST_F(HookAuthenticationTest, TheEmbeddedServerTakesNoHooks) {
  MediaServerInput embedded = inputOf(server_);
  ASSERT_TRUE(embedded.hookAllow.empty());
  auto local = hookFrom("127.0.0.1");
  EXPECT_EQ(local.status().code(), Code::kUnauthenticated) << "no bypass for loopback";
}

}  // namespace
}  // namespace ls::control
