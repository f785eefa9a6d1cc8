#include "media/hls/segment_store.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <utility>

namespace ls::hls {

namespace {

constexpr std::string_view kSegmentPrefix = "seg";
constexpr std::string_view kSegmentSuffix = ".ts";

}  // namespace

// ---------------------------------------------------------------- Rendition

ts::TsBytes SegmentBufferPool::take(std::size_t minCapacity) {
  ts::TsBytes buffer;
  {
    std::lock_guard lock(mu_);
    if (!free_.empty()) {
      buffer = std::move(free_.back());
      free_.pop_back();
    }
  }
  buffer.clear();
  if (buffer.capacity() < minCapacity) {
    // Segment sizes vary by a few percent: growing by a quarter more than asked
    // lets the pooled buffers settle above the largest size instead of being
    // reallocated (and faulted in afresh) every other segment.
    buffer = {};
    buffer.reserve(minCapacity + minCapacity / 4);
  }
  return buffer;
}

void SegmentBufferPool::give(ts::TsBytes buffer) {
  if (buffer.capacity() == 0) return;
  std::lock_guard lock(mu_);
  if (free_.size() < maxBuffers_) free_.push_back(std::move(buffer));
}

std::size_t SegmentBufferPool::size() const {
  std::lock_guard lock(mu_);
  return free_.size();
}

Rendition::Rendition(std::string name, RenditionOptions options, std::uint64_t firstSequence,
                     std::shared_ptr<ChangeWaiters> changes)
    : name_(std::move(name)),
      options_(options),
      changes_(std::move(changes)),
      firstSequence_(firstSequence),
      nextSequence_(firstSequence) {
  window_.mediaSequence = firstSequence;
}

std::string Rendition::segmentUri(std::uint64_t sequence) {
  std::string uri(kSegmentPrefix);
  uri += std::to_string(sequence);
  uri += kSegmentSuffix;
  return uri;
}

std::optional<std::uint64_t> Rendition::parseSegmentUri(std::string_view uri) {
  if (uri.size() <= kSegmentPrefix.size() + kSegmentSuffix.size() || !uri.starts_with(kSegmentPrefix) ||
      !uri.ends_with(kSegmentSuffix)) {
    return std::nullopt;
  }
  const std::string_view digits =
      uri.substr(kSegmentPrefix.size(), uri.size() - kSegmentPrefix.size() - kSegmentSuffix.size());
  // One canonical spelling per segment: no sign, no leading zeros ("seg007.ts").
  if (digits.size() > 1 && digits.front() == '0') return std::nullopt;
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

std::shared_ptr<const std::string> Rendition::playlist() const {
  std::lock_guard lock(mu_);
  if (playlist_) ++playlistReads_;
  return playlist_;
}

std::shared_ptr<const Segment> Rendition::segment(std::string_view uri) const {
  const auto sequence = parseSegmentUri(uri);
  if (!sequence) return nullptr;
  return segmentBySequence(*sequence);
}

std::shared_ptr<const Segment> Rendition::segmentBySequence(std::uint64_t sequence) const {
  std::lock_guard lock(mu_);
  // Newest first: players mostly ask for the live edge.
  for (auto it = listed_.rbegin(); it != listed_.rend(); ++it) {
    if ((*it)->sequence == sequence) return *it;
  }
  for (auto it = retired_.rbegin(); it != retired_.rend(); ++it) {
    if ((*it)->sequence == sequence) return *it;
  }
  return nullptr;
}

bool Rendition::ended() const {
  std::lock_guard lock(mu_);
  return ended_;
}

std::optional<UnixMillis> Rendition::endedAt() const {
  std::lock_guard lock(mu_);
  return endedAt_;
}

Rendition::Lease Rendition::attachWriter() {
  std::lock_guard writer(writerMu_);
  Lease lease;
  lease.generation = ++generation_;
  lease.continuing = nextSequence_ != firstSequence_;
  reconnectDiscontinuity_ = lease.continuing;
  if (window_.ended) {
    // The publisher is back within the linger: the playlist is live again.
    // (RFC 8216 does not foresee removing EXT-X-ENDLIST; players that saw it
    // have stopped, new ones join the live stream at the same URL, SPEC §2.)
    window_.ended = false;
    if (!window_.segments.empty()) swapPlaylist(renderMediaPlaylist(window_));
  }
  {
    std::lock_guard lock(mu_);
    ended_ = false;
    endedAt_.reset();
  }
  return lease;
}

void Rendition::slideWindowLocked(std::vector<std::shared_ptr<const Segment>>& released) {
  // RFC 8216 §6.2.2: a live playlist must stay at least three target
  // durations long, so with segments much shorter than the target (after a
  // long one raised it) the window may hold up to twice its size.
  const std::int64_t minDurationMs = 3 * window_.targetDurationSec * 1000;
  while (window_.segments.size() > options_.windowSize) {
    const PlaylistSegment& head = window_.segments.front();
    if (windowDurationMs_ - head.durationMs < minDurationMs && window_.segments.size() <= 2 * options_.windowSize) {
      break;
    }
    windowDurationMs_ -= head.durationMs;
    // The discontinuity sequence numbers the discontinuities that slid out,
    // so every remaining segment keeps its discontinuity number (§4.3.3.3).
    if (head.discontinuityBefore) ++window_.discontinuitySequence;
    window_.segments.erase(window_.segments.begin());
    ++window_.mediaSequence;
    if (playlistReads_ != readsWhenListed_.front()) {
      retired_.push_back(std::move(listed_.front()));
    } else {
      released.push_back(std::move(listed_.front()));  // no playlist ever showed it
    }
    listed_.pop_front();
    readsWhenListed_.pop_front();
  }
  while (retired_.size() > options_.retiredSegments) {
    released.push_back(std::move(retired_.front()));
    retired_.pop_front();
  }
}

void Rendition::swapPlaylist(std::string text) {
  auto next = std::make_shared<const std::string>(std::move(text));
  {
    std::lock_guard lock(mu_);
    playlist_.swap(next);
  }
  // The previous text is released here, outside the readers' mutex.
}

std::uint64_t Rendition::nextSequence() {
  std::lock_guard lock(writerMu_);
  return nextSequence_;
}

std::optional<std::uint64_t> Rendition::publish(const Lease& lease, SegmentDraft draft) {
  const auto sequence = publishAsWriter(lease, std::move(draft));
  // After the locks: a woken reader looks at this rendition again at once.
  if (sequence && changes_) changes_->notify();
  return sequence;
}

std::optional<std::uint64_t> Rendition::publishAsWriter(const Lease& lease, SegmentDraft draft) {
  std::lock_guard writer(writerMu_);
  if (lease.generation != generation_) return std::nullopt;

  // When the last reader lets go, the bytes go back to the pool for a later segment.
  std::shared_ptr<Segment> segment(new Segment(), [pool = buffers_](Segment* done) {
    pool->give(std::move(done->bytes));
    delete done;
  });
  segment->sequence = nextSequence_++;
  segment->durationMs = std::max<std::int64_t>(0, draft.durationMs);
  segment->programDateTime = draft.programDateTime;
  segment->discontinuityBefore = draft.discontinuity || reconnectDiscontinuity_;
  segment->bytes = std::move(draft.bytes);
  reconnectDiscontinuity_ = false;

  PlaylistSegment entry;
  entry.uri = segmentUri(segment->sequence);
  entry.durationMs = segment->durationMs;
  entry.programDateTime = segment->programDateTime;
  // A discontinuity before the very first segment of a rendition means nothing.
  entry.discontinuityBefore = segment->discontinuityBefore && segment->sequence != firstSequence_;
  segment->discontinuityBefore = entry.discontinuityBefore;

  // The target never goes down: RFC 8216 §6.2.1 forbids changing it at all,
  // which a live packager cannot promise (the next GOP may be longer than any
  // so far). Raising it is the lesser evil — a segment longer than the target
  // stalls players — while lowering it would make segments still listed, or
  // cached by a CDN, longer than the target players plan their reloads with.
  window_.targetDurationSec = std::max(window_.targetDurationSec, targetDurationFor(entry.durationMs));
  windowDurationMs_ += entry.durationMs;
  window_.segments.push_back(std::move(entry));

  std::vector<std::shared_ptr<const Segment>> released;
  const std::uint64_t sequence = segment->sequence;
  {
    std::lock_guard lock(mu_);
    listed_.push_back(std::move(segment));
    readsWhenListed_.push_back(playlistReads_);
    slideWindowLocked(released);
  }
  // Listed only now: a segment is fetchable before any playlist names it.
  swapPlaylist(renderMediaPlaylist(window_));
  return sequence;
}

bool Rendition::end(const Lease& lease, UnixMillis now) {
  std::lock_guard writer(writerMu_);
  if (lease.generation != generation_) return false;
  window_.ended = true;
  if (!window_.segments.empty()) swapPlaylist(renderMediaPlaylist(window_));
  std::lock_guard lock(mu_);
  ended_ = true;
  endedAt_ = now;
  return true;
}

// ---------------------------------------------------------------- StreamHls

StreamHls::StreamHls(std::string streamKey, RenditionOptions options, LlRenditionOptions llOptions)
    : key_(std::move(streamKey)), options_(options), ll_(std::make_unique<LlStream>(llOptions, changes_)) {}

std::shared_ptr<const std::string> StreamHls::master() const {
  std::lock_guard lock(mu_);
  return master_;
}

std::shared_ptr<Rendition> StreamHls::rendition(std::string_view name) const {
  std::lock_guard lock(mu_);
  for (const Entry& e : entries_) {
    if (e.rendition->name() == name) return e.rendition;
  }
  return nullptr;
}

std::optional<UnixMillis> StreamHls::endedAt() const {
  std::lock_guard lock(mu_);
  return endedAt_;
}

std::shared_ptr<usage::StreamUsage> StreamHls::usage() const {
  std::lock_guard lock(mu_);
  return usage_;
}

void StreamHls::setUsage(std::shared_ptr<usage::StreamUsage> usage) {
  std::lock_guard lock(mu_);
  usage_ = std::move(usage);
}

bool StreamHls::removed() const {
  std::lock_guard lock(mu_);
  return removed_;
}

void StreamHls::markRemoved() {
  {
    std::lock_guard lock(mu_);
    removed_ = true;
  }
  changes_->notify();
}

StreamHls::Attachment StreamHls::attach(const std::string& name, std::uint64_t firstSequence) {
  Attachment attachment = attachAsWriter(name, firstSequence);
  changes_->notify();
  return attachment;
}

StreamHls::Attachment StreamHls::attachAsWriter(const std::string& name, std::uint64_t firstSequence) {
  std::lock_guard writer(writerMu_);
  std::shared_ptr<Rendition> rendition;
  {
    std::lock_guard lock(mu_);
    for (const Entry& e : entries_) {
      if (e.rendition->name() == name) rendition = e.rendition;
    }
    if (!rendition) {
      rendition = std::make_shared<Rendition>(name, options_, firstSequence, changes_);
      entries_.push_back({rendition, std::nullopt});
    }
    endedAt_.reset();
  }
  Attachment attachment{rendition, rendition->attachWriter()};
  renderMaster();  // an ended rendition that is live again rejoins the master
  return attachment;
}

void StreamHls::setVariant(const std::string& name, Variant variant) {
  {
    std::lock_guard writer(writerMu_);
    variant.uri = name + "/index.m3u8";
    variant.name = name;
    {
      std::lock_guard lock(mu_);
      auto it =
          std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.rendition->name() == name; });
      if (it == entries_.end() || it->variant == variant) return;
      it->variant = std::move(variant);
    }
    renderMaster();
  }
  changes_->notify();  // the master may exist now: a reader parked on it looks again
}

void StreamHls::end(const Attachment& attachment, UnixMillis now) {
  if (endAsWriter(attachment, now)) changes_->notify();
}

bool StreamHls::endAsWriter(const Attachment& attachment, UnixMillis now) {
  std::lock_guard writer(writerMu_);
  if (!attachment.rendition->end(attachment.lease, now)) return false;
  std::vector<std::shared_ptr<Rendition>> renditions;
  {
    std::lock_guard lock(mu_);
    for (const Entry& e : entries_) renditions.push_back(e.rendition);
  }
  const bool allEnded = std::all_of(renditions.begin(), renditions.end(), [](const auto& r) { return r->ended(); });
  if (allEnded) {
    std::lock_guard lock(mu_);
    endedAt_ = now;
  }
  renderMaster();
  return true;
}

void StreamHls::endIfIdle(UnixMillis now) {
  {
    std::lock_guard writer(writerMu_);
    std::lock_guard lock(mu_);
    const bool anyLive =
        std::any_of(entries_.begin(), entries_.end(), [](const Entry& e) { return !e.rendition->ended(); });
    if (anyLive || endedAt_) return;
    endedAt_ = now;
  }
  changes_->notify();
}

void StreamHls::renderMaster() {
  // Called under writerMu_. Live renditions only, unless none is live (the
  // stream ended: its final playlists stay playable during the linger).
  std::vector<std::pair<std::shared_ptr<Rendition>, Variant>> listed;
  {
    std::lock_guard lock(mu_);
    for (const Entry& e : entries_) {
      if (e.variant) listed.emplace_back(e.rendition, *e.variant);
    }
  }
  std::vector<MasterCandidate> candidates;  // ended() outside mu_: the rendition has its own lock
  for (auto& [rendition, variant] : listed) candidates.push_back({!rendition->ended(), std::move(variant)});
  const std::vector<Variant> variants = masterVariants(std::move(candidates));
  std::shared_ptr<const std::string> next;
  if (!variants.empty()) next = std::make_shared<const std::string>(renderMasterPlaylist(variants));
  std::lock_guard lock(mu_);
  master_.swap(next);
}

void StreamHls::reopen() {
  std::lock_guard lock(mu_);
  endedAt_.reset();
}

bool StreamHls::sweep(UnixMillis now, std::int64_t lingerMs) {
  std::vector<std::shared_ptr<Rendition>> released;
  bool dropStream = false;
  {
    std::lock_guard writer(writerMu_);
    {
      std::lock_guard lock(mu_);
      dropStream = endedAt_ && now - *endedAt_ >= lingerMs;
      const bool anyLive =
          std::any_of(entries_.begin(), entries_.end(), [](const Entry& e) { return !e.rendition->ended(); });
      if (!dropStream && anyLive) {
        // A reconnect with a different ladder leaves renditions nobody
        // writes any more; they go after the same linger. (Not while no
        // rendition is live: a reopened stream's packagers are about to
        // reattach to them.)
        auto stale = [&](const Entry& e) {
          const auto endedAt = e.rendition->endedAt();
          return endedAt && now - *endedAt >= lingerMs;
        };
        for (const Entry& e : entries_) {
          if (stale(e)) released.push_back(e.rendition);
        }
        std::erase_if(entries_, stale);
      }
    }
    if (!released.empty()) renderMaster();
  }
  if (!released.empty()) changes_->notify();
  if (!dropStream) ll_->sweepStale(now, lingerMs);
  return dropStream;
}

// ---------------------------------------------------------------- HlsRegistry

HlsRegistry::HlsRegistry(RegistryOptions options) : options_(options) {}

std::shared_ptr<StreamHls> HlsRegistry::open(std::string_view streamKey) {
  std::lock_guard lock(mu_);
  auto it = streams_.find(streamKey);
  if (it != streams_.end()) {
    it->second->reopen();
    return it->second;
  }
  auto stream = std::make_shared<StreamHls>(std::string(streamKey), options_.rendition, options_.ll);
  streams_.emplace(std::string(streamKey), stream);
  // From here on its playlist requests are held for the first segment, not 404.
  spdlog::debug("hls {}: opened", streamKey);
  return stream;
}

std::shared_ptr<StreamHls> HlsRegistry::find(std::string_view streamKey) const {
  std::lock_guard lock(mu_);
  auto it = streams_.find(streamKey);
  return it == streams_.end() ? nullptr : it->second;
}

bool HlsRegistry::remove(std::string_view streamKey) {
  std::shared_ptr<StreamHls> released;
  std::unique_lock lock(mu_);
  auto it = streams_.find(streamKey);
  if (it == streams_.end()) return false;
  released = std::move(it->second);
  streams_.erase(it);
  lock.unlock();
  // Outside the lock: the waiters it wakes answer 404 and may look the key up again.
  released->markRemoved();
  return true;
}

std::size_t HlsRegistry::sweep(UnixMillis now) {
  std::vector<std::shared_ptr<StreamHls>> snapshot;
  {
    std::lock_guard lock(mu_);
    snapshot.reserve(streams_.size());
    for (const auto& [key, stream] : streams_) snapshot.push_back(stream);
  }
  std::vector<std::shared_ptr<StreamHls>> released;
  for (const auto& stream : snapshot) {
    if (!stream->sweep(now, options_.lingerMs)) continue;
    std::lock_guard lock(mu_);
    auto it = streams_.find(stream->key());
    // Only if it is still the same object and nobody reopened it meanwhile.
    if (it != streams_.end() && it->second == stream && stream->endedAt()) {
      released.push_back(std::move(it->second));
      streams_.erase(it);
    }
  }
  for (const auto& stream : released) stream->markRemoved();
  return released.size();
}

std::size_t HlsRegistry::size() const {
  std::lock_guard lock(mu_);
  return streams_.size();
}

std::size_t HlsRegistry::parkedRequests() const {
  std::size_t total = 0;
  std::lock_guard lock(mu_);
  for (const auto& [key, stream] : streams_) total += stream->changes_->pending();
  return total;
}

std::size_t HlsRegistry::llHeldBytes() const {
  std::vector<std::shared_ptr<StreamHls>> snapshot;
  {
    std::lock_guard lock(mu_);
    for (const auto& [key, stream] : streams_) snapshot.push_back(stream);
  }
  std::size_t total = 0;
  for (const auto& stream : snapshot) total += stream->ll().heldBytes();
  return total;
}

}  // namespace ls::hls
