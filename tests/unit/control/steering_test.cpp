#include "control/steering.hpp"

#include <gtest/gtest.h>

namespace ls::control {
namespace {

ProbeResult ok(std::int64_t ms) { return {true, ms, 200, ""}; }
ProbeResult failed() { return {false, 0, 0, "Couldn't connect to server"}; }

SteeringOptions opts() {
  SteeringOptions o;
  o.failuresToDown = 2;
  o.successesToUp = 2;
  o.hysteresisMs = 30;
  o.hysteresisPercent = 20;
  o.ttlSeconds = 5;
  return o;
}

MediaServer server3() {
  MediaServer s;
  s.id = "s1";
  s.name = "main";
  s.hlsBaseUrl = "http://origin.example";
  s.cdns = {{"bunny", "https://b.example"}, {"gcore", "https://g.example"}, {"akamai", "https://a.example"}};
  return s;
}

std::vector<std::string> ids(const SteeringSnapshot& s) {
  std::vector<std::string> out;
  for (const SteeringPathway& p : s.pathways) out.push_back(p.id);
  return out;
}

std::vector<std::string> names(const std::vector<CdnEndpoint>& cdns) {
  std::vector<std::string> out;
  for (const CdnEndpoint& c : cdns) out.push_back(c.name);
  return out;
}

TEST(CdnHealthPolicy, DownAfterConsecutiveFailuresUpAfterConsecutiveAnswers) {
  CdnHealth h;
  EXPECT_TRUE(h.healthy());  // never probed: offered
  h = applyProbe(h, ok(40), opts());
  EXPECT_EQ(h.state, CdnHealth::State::kUp);
  h = applyProbe(h, failed(), opts());
  EXPECT_EQ(h.state, CdnHealth::State::kUp);  // one failure is not enough
  h = applyProbe(h, ok(40), opts());
  h = applyProbe(h, failed(), opts());
  EXPECT_EQ(h.state, CdnHealth::State::kUp);  // not consecutive
  h = applyProbe(h, failed(), opts());
  EXPECT_EQ(h.state, CdnHealth::State::kDown);
  EXPECT_EQ(h.problem, "Couldn't connect to server");
  h = applyProbe(h, ok(40), opts());
  EXPECT_EQ(h.state, CdnHealth::State::kDown);  // one answer is not enough
  h = applyProbe(h, ok(40), opts());
  EXPECT_EQ(h.state, CdnHealth::State::kUp);
  EXPECT_EQ(h.probes, 7u);
  EXPECT_EQ(h.failedProbes, 3u);
}

TEST(CdnHealthPolicy, LatencyIsSmoothed) {
  CdnHealth h;
  h = applyProbe(h, ok(100), opts());
  EXPECT_EQ(h.latencyMs, 100);
  h = applyProbe(h, ok(20), opts());
  EXPECT_EQ(h.latencyMs, 80);
  EXPECT_EQ(h.lastLatencyMs, 20);
}

TEST(Ranking, HealthyByLatencyThenDownDrainedNever) {
  MediaServer s = server3();
  HealthMap health;
  health["bunny"] = applyProbe({}, ok(200), opts());
  health["gcore"] = applyProbe({}, ok(50), opts());
  health["akamai"] = applyProbe(applyProbe({}, failed(), opts()), failed(), opts());
  EXPECT_EQ(rankCdns(s.cdns, health, {}, opts()), (std::vector<std::string>{"gcore", "bunny", "akamai"}));
  s.cdns[1].steering = CdnSteering::kDrain;
  EXPECT_EQ(rankCdns(s.cdns, health, {}, opts()), (std::vector<std::string>{"bunny", "akamai"}));
}

TEST(Ranking, EqualCdnsDoNotFlap) {
  MediaServer s = server3();
  s.cdns.pop_back();
  HealthMap health;
  health["bunny"] = applyProbe({}, ok(100), opts());
  health["gcore"] = applyProbe({}, ok(90), opts());
  // bunny ranked first last time: 10 ms is within the hysteresis, it stays.
  EXPECT_EQ(rankCdns(s.cdns, health, {"bunny", "gcore"}, opts()), (std::vector<std::string>{"bunny", "gcore"}));
  EXPECT_EQ(rankCdns(s.cdns, health, {"gcore", "bunny"}, opts()), (std::vector<std::string>{"gcore", "bunny"}));
  // Clearly faster (beyond 30 ms and 20 %) moves up.
  health["gcore"] = applyProbe({}, ok(40), opts());
  EXPECT_EQ(rankCdns(s.cdns, health, {"bunny", "gcore"}, opts()), (std::vector<std::string>{"gcore", "bunny"}));
}

TEST(Ranking, PinnedFirstWhileHealthy) {
  MediaServer s = server3();
  s.cdns[2].steering = CdnSteering::kPin;
  HealthMap health;
  health["bunny"] = applyProbe({}, ok(10), opts());
  health["gcore"] = applyProbe({}, ok(20), opts());
  health["akamai"] = applyProbe({}, ok(500), opts());
  EXPECT_EQ(rankCdns(s.cdns, health, {}, opts()).front(), "akamai");
  health["akamai"] = applyProbe(applyProbe(health["akamai"], failed(), opts()), failed(), opts());
  EXPECT_EQ(rankCdns(s.cdns, health, {}, opts()), (std::vector<std::string>{"bunny", "gcore", "akamai"}));
}

TEST(Ranking, ManifestPutsOriginAfterHealthyCdnsAndBeforeDownOnes) {
  MediaServer s = server3();
  HealthMap health;
  health["akamai"] = applyProbe(applyProbe({}, failed(), opts()), failed(), opts());
  const auto ranked = rankCdns(s.cdns, health, {}, opts());
  const SteeringSnapshot snap = snapshotFor(s, ranked, health, opts());
  EXPECT_EQ(ids(snap), (std::vector<std::string>{"bunny", "gcore", "origin", "akamai"}));
  EXPECT_EQ(snap.originBaseUrl, "http://origin.example");
  EXPECT_EQ(snap.ttlSeconds, 5);
  EXPECT_TRUE(snap.active());
  // Every CDN down: the origin leads.
  health["bunny"] = health["akamai"];
  health["gcore"] = health["akamai"];
  EXPECT_EQ(ids(snapshotFor(s, rankCdns(s.cdns, health, ranked, opts()), health, opts())).front(), "origin");
}

TEST(Ranking, BaseUrlsAPlaylistCannotCarryAreNotOffered) {
  MediaServer s = server3();
  s.cdns[1].baseUrl = "https://g.example/?token=1";
  const SteeringSnapshot snap = snapshotFor(s, rankCdns(s.cdns, {}, {}, opts()), {}, opts());
  EXPECT_EQ(ids(snap), (std::vector<std::string>{"bunny", "akamai", "origin"}));
}

TEST(Ranking, HlsSourcesOrderDrainedLast) {
  MediaServer s = server3();
  s.cdns[0].steering = CdnSteering::kDrain;
  HealthMap health;
  health["gcore"] = applyProbe({}, ok(300), opts());
  health["akamai"] = applyProbe({}, ok(30), opts());
  EXPECT_EQ(names(orderedCdns(s.cdns, rankCdns(s.cdns, health, {}, opts()))),
            (std::vector<std::string>{"akamai", "gcore", "bunny"}));
}

TEST(SteeringStateTest, ProbesReorderAndPinDrainApplyAtOnce) {
  SteeringState state(opts());
  std::vector<std::string> told;
  state.setListener([&](const std::string& id) { told.push_back(id); });
  MediaServer s = server3();
  state.configure(s);
  EXPECT_EQ(ids(state.snapshot("s1")), (std::vector<std::string>{"bunny", "gcore", "akamai", "origin"}));
  state.record("s1", "bunny", failed());
  state.record("s1", "bunny", failed());
  EXPECT_EQ(ids(state.snapshot("s1")), (std::vector<std::string>{"gcore", "akamai", "origin", "bunny"}));
  EXPECT_EQ(names(state.orderCdns(s)), (std::vector<std::string>{"gcore", "akamai", "bunny"}));
  s.cdns[2].steering = CdnSteering::kPin;
  s.cdns[1].steering = CdnSteering::kDrain;
  state.configure(s);
  EXPECT_EQ(ids(state.snapshot("s1")), (std::vector<std::string>{"akamai", "origin", "bunny"}));
  EXPECT_EQ(names(state.orderCdns(s)), (std::vector<std::string>{"akamai", "bunny", "gcore"}));
  EXPECT_EQ(told.size(), 4u);
  const auto views = state.views();
  ASSERT_EQ(views.size(), 3u);
  EXPECT_EQ(views[0].cdn, "bunny");
  EXPECT_EQ(views[0].health.state, CdnHealth::State::kDown);
  EXPECT_EQ(views[0].rank, 3);
  EXPECT_EQ(views[1].rank, 0);  // drained
  std::string metrics;
  appendSteeringMetrics(metrics, views);
  EXPECT_NE(metrics.find("lunarstream_cdn_up{media_server=\"main\",cdn=\"bunny\",mode=\"auto\"} 0\n"), std::string::npos);
  EXPECT_NE(metrics.find("lunarstream_cdn_probes_total{media_server=\"main\",cdn=\"bunny\",mode=\"auto\",outcome=\"failed\"} 2\n"),
            std::string::npos);
  EXPECT_NE(metrics.find("lunarstream_cdn_steering_rank{media_server=\"main\",cdn=\"akamai\",mode=\"pin\"} 1\n"),
            std::string::npos);
  state.retain({});
  EXPECT_FALSE(state.snapshot("s1").active());
}

TEST(SteeringStateTest, OffOrOnePathwayMeansNoSteering) {
  SteeringOptions off = opts();
  off.enabled = false;
  SteeringState disabled(off);
  MediaServer s = server3();
  s.cdns[2].steering = CdnSteering::kPin;
  disabled.configure(s);
  EXPECT_FALSE(disabled.snapshot("s1").active());
  // Off, pins and drains still order hlsSources.
  EXPECT_EQ(names(disabled.orderCdns(s)).front(), "akamai");
  SteeringState state(opts());
  s.cdns.clear();
  state.configure(s);
  EXPECT_FALSE(state.snapshot("s1").active());
}

}  // namespace
}  // namespace ls::control
