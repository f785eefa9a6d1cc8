#include "ingest/usage_flusher.hpp"

#include <spdlog/spdlog.h>

#include "core/log_text.hpp"

namespace ls::ingest {

UsageFlusher::UsageFlusher(usage::UsageMeter& meter, UsageReporter& reporter, Random& random,
                           std::chrono::milliseconds interval)
    : meter_(meter), reporter_(reporter), random_(random), interval_(interval) {}

UsageFlusher::~UsageFlusher() {
  stop();
}

void UsageFlusher::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stop_) return;
  thread_ = std::thread([this] { run(); });
}

void UsageFlusher::stop() {
  {
    std::lock_guard lock(mu_);
    if (stop_) return;
    stop_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  if (Status s = flushOnce(); !s.isOk()) {
    spdlog::warn("usage: the last batch could not be stored at shutdown and is lost: {}", logText(s.message()));
  }
}

Status UsageFlusher::sendPending() {
  const Status s = reporter_.report(*pending_);
  if (!s.isOk()) {
    ++counters_.failures;
    if (!failing_) spdlog::warn("usage: batch {} not stored, retrying: {}", pending_->id, logText(s.message()));
    failing_ = true;
    return s;
  }
  if (failing_) spdlog::info("usage: batches are stored again");
  failing_ = false;
  ++counters_.batches;
  counters_.rows += pending_->rows.size();
  pending_.reset();
  return Status::ok();
}

Status UsageFlusher::flushOnce() {
  std::lock_guard lock(flushMu_);
  if (pending_) LS_RETURN_IF_ERROR(sendPending());
  std::vector<usage::UsageRow> rows = meter_.drain();
  if (rows.empty()) return Status::ok();
  pending_ = usage::UsageBatch{newUuidV4(random_), std::move(rows)};
  return sendPending();
}

void UsageFlusher::run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    wake_.wait_for(lock, interval_, [this] { return stop_; });
    if (stop_) break;
    lock.unlock();
    (void)flushOnce();
    lock.lock();
  }
}

}  // namespace ls::ingest
