// NodeSupervisor: its own threads on real time, against a scripted NodeApi.
// Assertions wait for a condition with a deadline; the only timing bound is
// the schedule's own guarantee (at most one poll of a node per interval).
#include "control/node_supervisor.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "support/control_fixture.hpp"
#include "support/scripted_node_api.hpp"

namespace ls::control {
namespace {

using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

constexpr std::int64_t kPollIntervalMs = 50;

// Holds polls back until opened.
class Gate {
 public:
  void pass() {
    std::unique_lock lock(mutex_);
    opened_.wait(lock, [this] { return open_; });
  }
  void open() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    opened_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = false;
};

bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds deadline = 10s) {
  const auto until = Steady::now() + deadline;
  while (!condition()) {
    if (Steady::now() > until) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

class NodeSupervisorTest : public testing::ControlFixture {
 protected:
  void SetUp() override {
    ControlFixture::SetUp();
    NodeLeaseOptions o;
    o.pollIntervalMs = kPollIntervalMs;
    nodes_ = std::make_unique<NodeService>(*store_, wall_, &api_, o);
  }
  void TearDown() override {
    gate_.open();  // a poll held back must not keep stop() waiting
    supervisor_.reset();
  }

  MediaServer addNode(const std::string& name, std::string apiUrl) {
    clock_.advance(1);
    MediaServerInput in;
    in.name = name;
    in.type = MediaServerType::kMediaMtx;
    in.rtmpBaseUrl = "rtmp://" + name + ".example.com:1935/live";
    in.hlsBaseUrl = "http://" + name + ".example.com:8888";
    in.apiUrl = std::move(apiUrl);
    auto added = servers_->add(in);
    EXPECT_TRUE(added.ok()) << added.status().message();
    return added.ok() ? added->server : MediaServer{};
  }

  void startSupervisor(std::int64_t tickMs) {
    NodeSupervisorOptions o;
    o.tickMs = tickMs;
    o.pollThreads = 4;
    supervisor_ = std::make_unique<NodeSupervisor>(*nodes_, *store_, wall_, o);
    supervisor_->start();
  }

  SystemClock wall_;
  testing::ScriptedNodeApi api_;
  Gate gate_;
  std::unique_ptr<NodeService> nodes_;
  std::unique_ptr<NodeSupervisor> supervisor_;
};

TEST_F(NodeSupervisorTest, PollsEachNodeWithAnApiAboutEveryPollInterval) {
  const MediaServer polled = addNode("polled", "http://10.0.0.5:9997");
  const MediaServer hooksOnly = addNode("hooks-only", "");
  const auto began = Steady::now();
  startSupervisor(5);
  ASSERT_TRUE(waitFor([&] { return api_.polls(polled.id) >= 5; })) << "polls: " << api_.polls(polled.id);
  supervisor_->stop();
  const auto elapsedMs = std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - began).count();

  // Each poll starts at least an interval after the previous one started.
  EXPECT_LE(api_.polls(polled.id), elapsedMs / kPollIntervalMs + 2) << "in " << elapsedMs << " ms";
  EXPECT_EQ(api_.polls(hooksOnly.id), 0);
  EXPECT_EQ(api_.maxConcurrentPolls(polled.id), 1);
  auto read = store_->findMediaServer(polled.id);
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_TRUE((*read)->liveness.heartbeatAt.has_value()) << "answered polls renew the lease";
}

TEST_F(NodeSupervisorTest, ASlowNodeIsNotPolledTwiceAtOnceAndDoesNotHoldUpAnother) {
  const MediaServer slow = addNode("slow", "http://10.0.0.6:9997");
  const MediaServer fast = addNode("fast", "http://10.0.0.7:9997");
  const std::string slowId = slow.id;
  api_.duringPoll([this, slowId](const MediaServer& server) {
    if (server.id == slowId) gate_.pass();
  });
  startSupervisor(5);
  ASSERT_TRUE(waitFor([&] { return api_.polls(slow.id) >= 1 && api_.polls(fast.id) >= 5; }))
      << "slow: " << api_.polls(slow.id) << ", fast: " << api_.polls(fast.id);
  EXPECT_EQ(api_.polls(slow.id), 1) << "its next poll waits for the one in flight";

  gate_.open();
  ASSERT_TRUE(waitFor([&] { return api_.polls(slow.id) >= 3; })) << "slow: " << api_.polls(slow.id);
  supervisor_->stop();
  EXPECT_EQ(api_.maxConcurrentPolls(slow.id), 1);
  EXPECT_EQ(api_.maxConcurrentPolls(fast.id), 1);
}

TEST_F(NodeSupervisorTest, StopWakesTheTickerAndWaitsForThePollInFlight) {
  const MediaServer polled = addNode("polled", "http://10.0.0.5:9997");
  std::atomic<bool> pollFinished{false};
  api_.duringPoll([&](const MediaServer&) {
    std::this_thread::sleep_for(100ms);
    pollFinished = true;
  });
  startSupervisor(60'000);  // the first tick runs at once, the next one in a minute
  ASSERT_TRUE(waitFor([&] { return api_.polls(polled.id) >= 1; }));
  const auto stopping = Steady::now();
  supervisor_->stop();
  EXPECT_LT(Steady::now() - stopping, 10s) << "stop() must not wait for the next tick";
  EXPECT_TRUE(pollFinished) << "the poll in flight finished before stop() returned";
  EXPECT_EQ(api_.polls(polled.id), 1);
}

TEST_F(NodeSupervisorTest, TheTickerSweepsLapsedLeases) {
  const MediaServer silent = addNode("silent", "");
  auto made = livestreams_->create(project_, {"live", silent.id, std::nullopt});
  ASSERT_TRUE(made.ok()) << made.status().message();
  const Livestream& live = made->livestream;
  ASSERT_TRUE(store_->startLivestream(live.id, live.currentTokenId, clock_.now(), {}).isOk());
  NodeContact longAgo;
  longAgo.at = wall_.now() - 3'600'000;
  longAgo.heartbeat = true;
  ASSERT_TRUE(store_->recordNodeContact(silent.id, longAgo).ok());
  startSupervisor(5);
  ASSERT_TRUE(waitFor([&] {
    auto read = store_->findMediaServer(silent.id);
    return read.ok() && read->has_value() && (*read)->liveness.offlineSince.has_value();
  }));
  EXPECT_EQ(store_->findLivestream(live.id).value()->phase, LivestreamStatus::kEnded);
  EXPECT_EQ(api_.polls(silent.id), 0);
}

}  // namespace
}  // namespace ls::control
