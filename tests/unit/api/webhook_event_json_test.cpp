// The app's webhook renderer: an event's `data` is exactly what the partner
// API answers for that livestream at that moment (GET /api/v1/livestreams/:id
// builds livestreamJson(LivestreamService::get, apiBaseUrl, Secrets::kOmit)),
// and a media server's is mediaServerJson as the media-server list shows it.
#include "api/webhook_event_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <tuple>
#include <utility>

#include "api/livestream_json.hpp"
#include "support/control_fixture.hpp"

namespace ls::api {
namespace {

constexpr const char* kApi = "http://api.example";

class WebhookEventJsonTest : public testing::ControlFixture {
 protected:
  void SetUp() override {
    ControlFixture::SetUp();
    if (HasFatalFailure()) return;
    store_->setWebhookRenderer(webhookRenderer(kApi, control::NodeLeaseOptions{}, true));
    WebhookEndpoint e;
    e.id = "8f6d0c8e-1f3b-4c2a-9e57-6c1f0a2b3c4d";
    e.projectId = project_.id;
    e.url = "https://hooks.example.com/";
    e.secret = "whsec_a2V5";
    ASSERT_TRUE(store_->insertWebhookEndpoint(e).ok());
  }

  // The newest event's type and data.
  std::pair<std::string, boost::json::value> lastEvent() {
    auto events = store_->listWebhookEvents(project_.id, 1, 1);
    EXPECT_TRUE(events.ok() && events->size() == 1u);
    if (!events.ok() || events->empty()) return {};
    const boost::json::value body = boost::json::parse((*events)[0].body);
    return {std::string(body.at("type").as_string()), body.at("data")};
  }

  boost::json::value apiView(const std::string& id) {
    auto record = livestreams_->get(project_, id);
    EXPECT_TRUE(record.ok()) << record.status().message();
    return livestreamJson(*record, kApi, Secrets::kOmit, true);
  }
};

TEST_F(WebhookEventJsonTest, LivestreamDataIsWhatThePartnerApiShowsWithoutSecrets) {
  const control::LivestreamRecord made = createStream("launch", 60);
  const std::string id = made.livestream.id;
  auto [type, data] = lastEvent();
  EXPECT_EQ(type, "livestream.created");
  EXPECT_EQ(data, apiView(id));
  const std::string text = boost::json::serialize(data);
  ASSERT_TRUE(made.pushToken.has_value());
  EXPECT_EQ(text.find(*made.pushToken), std::string::npos);
  EXPECT_EQ(text.find("pushToken"), std::string::npos);

  clock_.advance(1000);
  ASSERT_TRUE(store_->startLivestream(id, made.livestream.currentTokenId, clock_.now(), {}).isOk());
  std::tie(type, data) = lastEvent();
  EXPECT_EQ(type, "livestream.started");
  EXPECT_EQ(data, apiView(id));
  EXPECT_EQ(data.at("status"), "STARTED");

  clock_.advance(1000);
  ASSERT_TRUE(store_->endLivestream(id, clock_.now()).isOk());
  std::tie(type, data) = lastEvent();
  EXPECT_EQ(type, "livestream.ended");
  EXPECT_EQ(data, apiView(id));

  // The token's expiry: TOKEN_EXPIRED, as the API reads it then.
  clock_.set(made.livestream.tokenExpiresAt);
  auto swept = store_->emitTokenExpiredEvents(clock_.now());
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(*swept, 1);
  std::tie(type, data) = lastEvent();
  EXPECT_EQ(type, "livestream.token_expired");
  EXPECT_EQ(data, apiView(id));
  EXPECT_EQ(data.at("status"), "TOKEN_EXPIRED");
}

TEST_F(WebhookEventJsonTest, MediaServerDataIsTheListedViewAfterTheChange) {
  const MediaServer edge = addExternalServer("edge", {}, {project_.id});
  auto offline = store_->markNodeOffline(edge.id, clock_.now(), clock_.now());
  ASSERT_TRUE(offline.ok() && offline->has_value());
  auto [type, data] = lastEvent();
  EXPECT_EQ(type, "media_server.offline");
  auto server = store_->findMediaServer(edge.id);
  ASSERT_TRUE(server.ok() && server->has_value());
  control::NodeView view;
  view.server = **server;
  view.status = control::nodeStatus(**server, clock_.now(), control::NodeLeaseOptions{});
  EXPECT_EQ(data, mediaServerJson(view));
  EXPECT_EQ(data.at("status"), "OFFLINE");
  EXPECT_EQ(data.at("liveStreams").to_number<std::int64_t>(), 0);
}

}  // namespace
}  // namespace ls::api
