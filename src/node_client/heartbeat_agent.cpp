#include "node_client/heartbeat_agent.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "core/log_text.hpp"
#include "ingest/steering_json.hpp"

namespace ls::node_client {

HeartbeatAgent::HeartbeatAgent(http_client::HttpClient& client, NodeCredentials node, std::string bootId,
                               LiveKeys liveKeys, ingest::StreamCutter& cutter, HeartbeatOptions options)
    : client_(client),
      node_(std::move(node)),
      bootId_(std::move(bootId)),
      liveKeys_(std::move(liveKeys)),
      cutter_(cutter),
      options_(options) {}

HeartbeatAgent::~HeartbeatAgent() { stop(); }

Status HeartbeatAgent::beat() {
  const std::vector<std::string> keys = liveKeys_();
  boost::json::object body{{"bootId", bootId_},
                           {"streams", boost::json::array(keys.begin(), keys.end())},
                           {"intervalMs", options_.interval.count()}};
  auto answer = callControl(client_, node_, "heartbeat", boost::json::serialize(body), options_.timeout);
  if (!answer.ok()) return answer.status();
  if (answer->status == 401) {
    return Status(Code::kUnauthenticated, "the API tier at " + node_.controlUrl +
                                              " refuses this node's credentials (node.id / node.secret)");
  }
  if (answer->status != 200) return unavailable("heartbeat answered HTTP " + std::to_string(answer->status));
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(answer->body, ec);
  if (ec || !value.is_object()) return unavailable("heartbeat answer is not a JSON object");
  if (const boost::json::value* cut = value.as_object().if_contains("cut"); cut != nullptr && cut->is_array()) {
    for (const boost::json::value& key : cut->get_array()) {
      if (!key.is_string()) continue;
      spdlog::warn("the API tier does not hold stream {} as live on this node: cutting its publisher",
                   logText(key.get_string()));
      cutter_.cutStream(key.get_string(), "the livestream is not live on this node");
    }
  }
  if (const boost::json::value* steering = value.as_object().if_contains("steering");
      steering != nullptr && options_.onSteering) {
    auto snapshot = ingest::parseSteeringJson(*steering);
    if (snapshot.ok()) {
      options_.onSteering(*snapshot);
    } else {
      spdlog::warn("heartbeat answer: unusable content steering ({}); keeping the last", logText(snapshot.status().message()));
    }
  }
  return Status::ok();
}

void HeartbeatAgent::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void HeartbeatAgent::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void HeartbeatAgent::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    noteOutcome(beat());
    lock.lock();
    wake_.wait_for(lock, options_.interval, [this] { return stopping_; });
  }
}

void HeartbeatAgent::noteOutcome(const Status& outcome) {
  const std::string problem = outcome.isOk() ? std::string() : outcome.message();
  if (!first_ && problem == lastProblem_) return;
  const bool wasFirst = first_;
  first_ = false;
  lastProblem_ = problem;
  if (!problem.empty()) {
    spdlog::warn("heartbeat to the API tier failed (publishes are refused until it answers): {}", logText(problem));
  } else if (!wasFirst) {
    spdlog::info("the API tier answers heartbeats again");
  }
}

}  // namespace ls::node_client
