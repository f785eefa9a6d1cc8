// WebhookService on a real SQLite store: endpoints added, listed, changed and
// removed with their audit entries (never a secret), secret rotation with its
// overlap, a test event's pending delivery and its resend, and the 404s and
// 409s the routes and the CLI pass on.
#include <gtest/gtest.h>

#include "control/audit_log.hpp"
#include "control/webhook_service.hpp"
#include "support/control_fixture.hpp"

namespace ls::testing {
namespace {

class WebhookServiceTest : public ControlFixture {
 protected:
  void SetUp() override {
    ControlFixture::SetUp();
    webhooks_ = std::make_unique<control::WebhookService>(*store_, clock_, random_);
  }

  std::vector<AuditEntry> audit() {
    auto page = projects_->auditLog(AuditQuery{.teamId = project_.teamId, .page = 1, .limit = 100});
    EXPECT_TRUE(page.ok()) << page.status().message();
    return page.ok() ? page->items : std::vector<AuditEntry>{};
  }

  WebhookEndpoint add(const std::string& projectId, const std::string& url = "https://partner.example/hooks") {
    auto added = webhooks_->add(projectId, {url, {}, "", true}, user_);
    EXPECT_TRUE(added.ok()) << added.status().message();
    return added.ok() ? *added : WebhookEndpoint{};
  }

  const Actor user_{ActorType::kUser, "user-1", "ann@example.com"};
  std::unique_ptr<control::WebhookService> webhooks_;
};

TEST_F(WebhookServiceTest, AddListUpdateRemoveAreAuditedWithoutSecrets) {
  auto added = webhooks_->add(project_.id, {"https://partner.example/a", {"livestream.started"}, "ops", true}, user_);
  ASSERT_TRUE(added.ok()) << added.status().message();
  EXPECT_TRUE(added->secret.starts_with("whsec_"));
  EXPECT_EQ(added->projectId, project_.id);
  EXPECT_EQ(added->eventTypes, std::vector<std::string>{"livestream.started"});
  EXPECT_EQ(added->createdAt, clock_.now());

  auto list = webhooks_->list(project_.id);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, added->id);
  EXPECT_TRUE(webhooks_->list(otherProject_.id)->empty());

  clock_.advance(1000);
  WebhookEndpointPatch patch;
  patch.enabled = false;
  patch.eventTypes = std::vector<std::string>{};
  auto updated = webhooks_->update(added->id, patch, user_);
  ASSERT_TRUE(updated.ok()) << updated.status().message();
  EXPECT_FALSE(updated->enabled);
  EXPECT_TRUE(updated->eventTypes.empty());
  EXPECT_EQ(updated->updatedAt, clock_.now());

  auto removed = webhooks_->remove(added->id, user_);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(webhooks_->get(added->id).status().code(), Code::kNotFound);
  EXPECT_EQ(webhooks_->get(added->id).status().message(), "webhook " + added->id + " not found");

  const auto entries = audit();
  ASSERT_GE(entries.size(), 3u);
  EXPECT_EQ(entries[0].action, control::audit::kWebhookDeleted);
  EXPECT_EQ(entries[1].action, control::audit::kWebhookUpdated);
  EXPECT_EQ(entries[1].detailsJson, R"({"fields":["events","enabled"],"events":[],"from":true,"enabled":false})");
  EXPECT_EQ(entries[2].action, control::audit::kWebhookCreated);
  EXPECT_EQ(entries[2].detailsJson, R"({"events":["livestream.started"],"enabled":true})");
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(entries[i].actor.id, "user-1");
    EXPECT_EQ(entries[i].projectId, project_.id);
    EXPECT_EQ(entries[i].targetType, "webhook");
    EXPECT_EQ(entries[i].targetId, added->id);
    EXPECT_EQ(entries[i].detailsJson.find("whsec_"), std::string::npos);
    EXPECT_EQ(entries[i].detailsJson.find("partner.example"), std::string::npos);
  }
}

TEST_F(WebhookServiceTest, RefusesBadInputAndUnknownThings) {
  auto bad = webhooks_->add(project_.id, {"ftp://u@x", {"nope", "nope"}, std::string(501, 'd'), true}, user_);
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(bad.status().details().size(), 4u);
  EXPECT_EQ(webhooks_->add("00000000-0000-4000-8000-000000000000", {"https://x.example/", {}, "", true}, user_)
                .status()
                .code(),
            Code::kNotFound);
  const WebhookEndpoint e = add(project_.id);
  WebhookEndpointPatch patch;
  patch.url = "https://user:pw@x.example/";
  EXPECT_EQ(webhooks_->update(e.id, patch, user_).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(webhooks_->rotateSecret(e.id, -1, user_).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(webhooks_->rotateSecret(e.id, control::kMaxWebhookSecretOverlapSeconds + 1, user_).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(webhooks_->attempts(e.id, 0, 10).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(webhooks_->attempts(e.id, 1, 101).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(webhooks_->remove("00000000-0000-4000-8000-000000000000", user_).status().code(), Code::kNotFound);
}

TEST_F(WebhookServiceTest, RotationKeepsThePreviousSecretForTheOverlap) {
  const WebhookEndpoint e = add(project_.id);
  auto rotated = webhooks_->rotateSecret(e.id, std::nullopt, user_);
  ASSERT_TRUE(rotated.ok()) << rotated.status().message();
  EXPECT_NE(rotated->secret, e.secret);
  EXPECT_EQ(rotated->previousSecret, e.secret);
  EXPECT_EQ(control::secretRotatingUntil(*rotated, clock_.now()),
            clock_.now() + control::kDefaultWebhookSecretOverlapSeconds * 1000);
  auto again = webhooks_->rotateSecret(e.id, 60, user_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->previousSecret, rotated->secret);
  EXPECT_EQ(control::secretRotatingUntil(*again, clock_.now()), clock_.now() + 60'000);
  EXPECT_EQ(audit()[0].detailsJson, R"({"overlapSeconds":60})");
}

TEST_F(WebhookServiceTest, TestEventIsOnePendingDeliveryAndResendQueuesItAgain) {
  const WebhookEndpoint e = add(project_.id);
  auto delivery = webhooks_->sendTest(e.id, user_);
  ASSERT_TRUE(delivery.ok()) << delivery.status().message();
  EXPECT_EQ(delivery->state, WebhookDeliveryState::kPending);
  EXPECT_EQ(delivery->endpointId, e.id);
  auto event = store_->findWebhookEvent(delivery->eventId);
  ASSERT_TRUE(event.ok() && event->has_value());
  EXPECT_EQ((*event)->type, "webhook.test");
  EXPECT_EQ((*event)->body, control::webhookTestBody(e.id, clock_.now()));
  auto events = webhooks_->events(project_.id, 1, 20);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);

  clock_.advance(5000);
  auto again = webhooks_->resend(e.id, delivery->eventId, user_);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->eventId, delivery->eventId);
  EXPECT_NE(again->id, delivery->id);

  // Another project's endpoint cannot resend it.
  const WebhookEndpoint theirs = add(otherProject_.id);
  EXPECT_EQ(webhooks_->resend(theirs.id, delivery->eventId, user_).status().code(), Code::kNotFound);
  EXPECT_EQ(webhooks_->resend(e.id, "evt_00000000000000000000000000000000", user_).status().code(), Code::kNotFound);

  WebhookEndpointPatch off;
  off.enabled = false;
  ASSERT_TRUE(webhooks_->update(e.id, off, user_).ok());
  EXPECT_EQ(webhooks_->sendTest(e.id, user_).status().code(), Code::kConflict);
  EXPECT_EQ(webhooks_->resend(e.id, delivery->eventId, user_).status().code(), Code::kConflict);
  auto attempts = webhooks_->attempts(e.id, 1, 20);
  ASSERT_TRUE(attempts.ok());
  EXPECT_TRUE(attempts->empty());
}

}  // namespace
}  // namespace ls::testing
