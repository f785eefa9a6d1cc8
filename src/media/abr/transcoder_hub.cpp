#include "media/abr/transcoder_hub.hpp"

#include <algorithm>

#include "media/abr/ffmpeg_error.hpp"

namespace ls::abr {

TranscoderHub::TranscoderHub(AbrOptions options, const Clock& clock) : options_(std::move(options)), clock_(clock) {
  routeFfmpegLogs();
}

TranscoderHub::~TranscoderHub() {
  stopAll();
}

bool TranscoderHub::wants(const media::VideoConfig* config) const {
  if (!options_.enabled || config == nullptr) return false;
  if (config->width == 0 || config->height == 0) return true;
  return !planLadder(options_.ladder, config->width, config->height).empty();
}

std::unique_ptr<media::MediaSink> TranscoderHub::start(TranscoderSetup setup) {
  setup.latency = &latency_;
  auto transcoder = std::make_shared<Transcoder>(options_, clock_, std::move(setup));
  {
    std::lock_guard lock(mu_);
    if (stopped_) return nullptr;
    transcoders_.push_back(transcoder);
  }
  transcoder->start();
  return std::make_unique<TranscoderSink>(std::move(transcoder));
}

std::vector<TranscoderStats::Snapshot> TranscoderHub::snapshot() const {
  std::vector<std::shared_ptr<Transcoder>> list;
  {
    std::lock_guard lock(mu_);
    list = transcoders_;
  }
  std::vector<TranscoderStats::Snapshot> out;
  out.reserve(list.size());
  for (const auto& t : list) {
    if (t->stats().running.load(std::memory_order_relaxed)) out.push_back(t->stats().snapshot());
  }
  return out;
}

std::size_t TranscoderHub::reap() {
  std::vector<std::shared_ptr<Transcoder>> done;
  {
    std::lock_guard lock(mu_);
    auto split =
        std::stable_partition(transcoders_.begin(), transcoders_.end(), [](const auto& t) { return !t->finished(); });
    done.assign(std::make_move_iterator(split), std::make_move_iterator(transcoders_.end()));
    transcoders_.erase(split, transcoders_.end());
  }
  // Their threads have returned: these joins do not wait.
  for (const auto& t : done) t->join();
  return done.size();
}

void TranscoderHub::stopAll() {
  std::vector<std::shared_ptr<Transcoder>> all;
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    all.swap(transcoders_);
  }
  for (const auto& t : all) t->abort();
  for (const auto& t : all) t->join();
}

}  // namespace ls::abr
