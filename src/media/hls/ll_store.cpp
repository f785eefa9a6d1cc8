#include "media/hls/ll_store.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <utility>

namespace ls::hls {

namespace {

// The first segment's buffer; later ones reserve what the previous took plus
// an eighth and this slack (sizes of a steady stream vary by a few percent),
// so a segment rarely moves to a larger buffer.
constexpr std::size_t kFirstSegmentReserve = std::size_t{256} << 10;
constexpr std::size_t kReserveSlack = std::size_t{64} << 10;

std::optional<std::uint64_t> parseNumber(std::string_view digits) {
  if (digits.empty() || (digits.size() > 1 && digits.front() == '0')) return std::nullopt;
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

std::shared_ptr<LlBuffer> newBuffer(std::size_t capacity) {
  auto buffer = std::make_shared<LlBuffer>();
  buffer->data = std::make_unique_for_overwrite<std::uint8_t[]>(capacity);
  buffer->capacity = capacity;
  return buffer;
}

std::string initUri(std::optional<std::uint64_t> number) {
  return number ? "init" + std::to_string(*number) + ".mp4" : std::string("init.mp4");
}

}  // namespace

std::optional<LlUri> parseLlUri(std::string_view uri) {
  constexpr std::string_view kInit = "init";
  constexpr std::string_view kMp4 = ".mp4";
  constexpr std::string_view kSeg = "seg";
  constexpr std::string_view kM4s = ".m4s";
  LlUri out;
  if (uri.starts_with(kInit) && uri.ends_with(kMp4) && uri.size() >= kInit.size() + kMp4.size()) {
    const std::string_view digits = uri.substr(kInit.size(), uri.size() - kInit.size() - kMp4.size());
    out.kind = LlUri::Kind::kInit;
    if (digits.empty()) return out;
    const auto n = parseNumber(digits);
    if (!n) return std::nullopt;
    out.msn = *n;
    out.numbered = true;
    return out;
  }
  if (!uri.starts_with(kSeg) || !uri.ends_with(kM4s) || uri.size() <= kSeg.size() + kM4s.size()) return std::nullopt;
  const std::string_view body = uri.substr(kSeg.size(), uri.size() - kSeg.size() - kM4s.size());
  const std::size_t dot = body.find('.');
  const auto msn = parseNumber(body.substr(0, dot));
  if (!msn) return std::nullopt;
  out.msn = *msn;
  if (dot == std::string_view::npos) {
    out.kind = LlUri::Kind::kSegment;
    return out;
  }
  const auto part = parseNumber(body.substr(dot + 1));
  if (!part || *part > 0xffff) return std::nullopt;
  out.kind = LlUri::Kind::kPart;
  out.part = static_cast<std::uint32_t>(*part);
  return out;
}

std::string llSegmentUri(std::uint64_t msn) {
  return "seg" + std::to_string(msn) + ".m4s";
}

std::string llPartUri(std::uint64_t msn, std::uint32_t part) {
  return "seg" + std::to_string(msn) + "." + std::to_string(part) + ".m4s";
}

// ---------------------------------------------------------------- LlRendition

LlRendition::LlRendition(std::string name, LlRenditionOptions options, std::uint64_t firstSequence,
                         std::int64_t partTargetMs, std::int64_t targetDurationSec,
                         std::shared_ptr<ChangeWaiters> changes, LlStream* stream)
    : name_(std::move(name)),
      options_(options),
      partTargetMs_(partTargetMs),
      changes_(std::move(changes)),
      stream_(stream),
      firstSequence_(firstSequence),
      nextSequence_(firstSequence) {
  playlist_.mediaSequence = firstSequence;
  playlist_.partTargetMs = partTargetMs;
  playlist_.targetDurationSec = std::max<std::int64_t>(1, targetDurationSec);
  playlist_.mapUri = initUri(std::nullopt);
}

std::shared_ptr<const LlView> LlRendition::view() const {
  std::lock_guard lock(mu_);
  return view_;
}

LivePosition LlRendition::position() const {
  std::lock_guard lock(mu_);
  if (view_) return view_->position;
  LivePosition none;
  none.partTargetMs = partTargetMs_;
  return none;
}

std::shared_ptr<const LlMedia> LlRendition::media(const LlUri& uri) const {
  std::lock_guard lock(mu_);
  if (uri.kind == LlUri::Kind::kInit) {
    for (const Init& init : inits_) {
      if (init.number.has_value() == uri.numbered && (!uri.numbered || *init.number == uri.msn)) return init.media;
    }
    return nullptr;
  }
  // Newest first: players ask for the live edge.
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (it->msn != uri.msn) continue;
    if (uri.kind == LlUri::Kind::kSegment) return it->full;
    return uri.part < it->parts.size() ? it->parts[uri.part] : nullptr;
  }
  return nullptr;
}

bool LlRendition::ended() const {
  std::lock_guard lock(mu_);
  return ended_;
}

std::optional<UnixMillis> LlRendition::endedAt() const {
  std::lock_guard lock(mu_);
  return endedAt_;
}

std::size_t LlRendition::heldBytes() const {
  std::vector<const LlBuffer*> seen;
  std::size_t total = 0;
  const auto add = [&](const std::shared_ptr<const LlMedia>& m) {
    if (!m || std::find(seen.begin(), seen.end(), m->buffer.get()) != seen.end()) return;
    seen.push_back(m->buffer.get());
    total += m->buffer->capacity;
  };
  std::lock_guard lock(mu_);
  for (const Init& init : inits_) add(init.media);
  for (const Entry& e : entries_) {
    add(e.full);
    for (const auto& p : e.parts) add(p);
  }
  return total;
}

LlRendition::Lease LlRendition::attachWriter() {
  Lease lease;
  {
    std::lock_guard writer(writerMu_);
    // A previous writer that vanished mid-segment leaves it open: close it
    // with what it published.
    if (segmentOpen_) {
      std::int64_t duration = 0;
      for (const LlPart& p : playlist_.openParts) duration += p.durationMs;
      closeOpenSegment(duration);
    }
    lease.generation = ++generation_;
    lease.continuing = nextSequence_ != firstSequence_;
    reconnectDiscontinuity_ = lease.continuing;
    playlist_.ended = false;
    playlist_.preloadHintUri = llPartUri(nextSequence_, 0);
    {
      std::lock_guard lock(mu_);
      ended_ = false;
      endedAt_.reset();
    }
    if (view()) render();  // live again: no EXT-X-ENDLIST
  }
  if (changes_) changes_->notify();
  return lease;
}

bool LlRendition::setInit(const Lease& lease, std::span<const std::uint8_t> bytes) {
  {
    std::lock_guard writer(writerMu_);
    if (lease.generation != generation_) return false;
    if (bytes.size() == lastInit_.size() && std::equal(bytes.begin(), bytes.end(), lastInit_.begin())) return true;
    const bool changed = !lastInit_.empty();
    lastInit_.assign(bytes.begin(), bytes.end());
    auto buffer = newBuffer(std::max<std::size_t>(1, bytes.size()));
    if (!bytes.empty()) std::memcpy(buffer->data.get(), bytes.data(), bytes.size());
    auto init = std::make_shared<LlMedia>();
    init->buffer = std::move(buffer);
    init->size = bytes.size();
    // A changed init gets a URI of its own: "init.mp4" is cached as immutable.
    const std::optional<std::uint64_t> number =
        changed ? std::optional<std::uint64_t>(nextSequence_ + (segmentOpen_ ? 1 : 0)) : initNumber_;
    // The open segment keeps its map; the next one opened takes this.
    if (!segmentOpen_) playlist_.mapUri = initUri(number);
    {
      std::lock_guard lock(mu_);
      std::erase_if(inits_, [&](const Init& i) { return i.number == number; });
      inits_.push_back(Init{number, std::move(init)});
      initNumber_ = number;
      dropUnusedInits();
    }
    if (view()) render();
  }
  if (changes_) changes_->notify();
  return true;
}

bool LlRendition::setPartTarget(const Lease& lease, std::int64_t partTargetMs) {
  std::lock_guard writer(writerMu_);
  if (lease.generation != generation_) return false;
  if (view() || segmentOpen_ || nextSequence_ != firstSequence_) return true;  // parts published: it stays
  partTargetMs = std::max<std::int64_t>(1, partTargetMs);
  playlist_.partTargetMs = partTargetMs;
  std::lock_guard lock(mu_);
  partTargetMs_ = partTargetMs;
  return true;
}

void LlRendition::dropUnusedInits() {
  std::erase_if(inits_, [&](const Init& init) {
    if (init.number == initNumber_) return false;
    return std::none_of(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.initNumber == init.number; });
  });
}

std::optional<std::uint64_t> LlRendition::publishPart(const Lease& lease, const LlPartDraft& draft) {
  const auto msn = publishAsWriter(lease, draft);
  // After the locks: a woken reader looks at this rendition at once.
  if (msn && changes_) changes_->notify();
  return msn;
}

std::size_t LlRendition::appendBytes(std::span<const std::uint8_t> bytes) {
  if (!buffer_ || used_ + bytes.size() > buffer_->capacity) {
    // Parts already published keep the old buffer; the new one holds a copy
    // of them so the finished segment is one contiguous view.
    const std::size_t want = std::max(
        {kFirstSegmentReserve, used_ + bytes.size() + kReserveSlack, buffer_ ? buffer_->capacity * 2 : std::size_t{0}});
    auto bigger = newBuffer(want);
    if (buffer_ && used_ > 0) std::memcpy(bigger->data.get(), buffer_->data.get(), used_);
    buffer_ = std::move(bigger);
  }
  const std::size_t offset = used_;
  if (!bytes.empty()) std::memcpy(buffer_->data.get() + used_, bytes.data(), bytes.size());
  used_ += bytes.size();
  return offset;
}

std::optional<std::uint64_t> LlRendition::publishAsWriter(const Lease& lease, const LlPartDraft& draft) {
  std::lock_guard writer(writerMu_);
  if (lease.generation != generation_ || playlist_.ended) return std::nullopt;
  const std::uint64_t msn = nextSequence_;
  if (!segmentOpen_) {
    segmentOpen_ = true;
    used_ = 0;
    buffer_ = newBuffer(lastSegmentSize_ == 0 ? kFirstSegmentReserve
                                              : lastSegmentSize_ + lastSegmentSize_ / 8 + kReserveSlack);
    playlist_.openParts.clear();
    playlist_.openProgramDateTime = draft.programDateTime;
    // A discontinuity before a rendition's very first segment means nothing.
    playlist_.openDiscontinuityBefore = (draft.discontinuity || reconnectDiscontinuity_) && msn != firstSequence_;
    reconnectDiscontinuity_ = false;
    playlist_.mapUri = initUri(initNumber_);
    std::lock_guard lock(mu_);
    entries_.push_back(Entry{msn, nullptr, {}, initNumber_});
  }
  auto part = std::make_shared<LlMedia>();
  part->offset = appendBytes(draft.bytes);
  part->size = draft.bytes.size();
  part->buffer = buffer_;
  const auto index = static_cast<std::uint32_t>(playlist_.openParts.size());
  playlist_.openParts.push_back(
      LlPart{llPartUri(msn, index), std::max<std::int64_t>(0, draft.durationMs), draft.independent});
  {
    std::lock_guard lock(mu_);
    entries_.back().parts.push_back(std::move(part));
  }
  if (draft.closesSegmentMs) {
    closeOpenSegment(*draft.closesSegmentMs);
  } else {
    playlist_.preloadHintUri = llPartUri(msn, index + 1);
  }
  render();
  return msn;
}

void LlRendition::closeOpenSegment(std::int64_t durationMs) {
  if (!segmentOpen_) return;
  segmentOpen_ = false;
  const std::uint64_t msn = nextSequence_++;
  LlSegment segment;
  segment.uri = llSegmentUri(msn);
  segment.durationMs = std::max<std::int64_t>(0, durationMs);
  segment.programDateTime = playlist_.openProgramDateTime;
  segment.discontinuityBefore = playlist_.openDiscontinuityBefore;
  segment.parts = std::move(playlist_.openParts);
  segment.mapUri = playlist_.mapUri;
  playlist_.openParts.clear();
  playlist_.openProgramDateTime.reset();
  playlist_.openDiscontinuityBefore = false;
  // Never lowered (see Rendition::publishAsWriter).
  playlist_.targetDurationSec = std::max(playlist_.targetDurationSec, targetDurationFor(segment.durationMs));
  playlist_.segments.push_back(std::move(segment));
  playlist_.preloadHintUri = llPartUri(nextSequence_, 0);

  auto full = std::make_shared<LlMedia>();
  full->buffer = buffer_;
  full->size = used_;
  lastSegmentSize_ = used_;
  buffer_.reset();
  used_ = 0;

  std::size_t slid = 0;
  while (playlist_.segments.size() > options_.windowSize) {
    if (playlist_.segments.front().discontinuityBefore) ++playlist_.discontinuitySequence;
    playlist_.segments.erase(playlist_.segments.begin());
    ++playlist_.mediaSequence;
    ++slid;
  }
  std::vector<Entry> released;  // freed outside the readers' lock
  std::lock_guard lock(mu_);
  if (!entries_.empty() && entries_.back().msn == msn) entries_.back().full = std::move(full);
  retired_ += slid;
  while (retired_ > options_.retiredSegments && !entries_.empty()) {
    released.push_back(std::move(entries_.front()));
    entries_.pop_front();
    --retired_;
  }
  if (!released.empty()) dropUnusedInits();
}

LivePosition LlRendition::positionOfWriter() const {
  LivePosition p;
  p.partTargetMs = partTargetMs_;
  p.ended = playlist_.ended;
  if (segmentOpen_ && !playlist_.openParts.empty()) {
    p.lastMsn = nextSequence_;
    p.lastPart = playlist_.openParts.size() - 1;
    return p;
  }
  if (!playlist_.segments.empty()) {
    p.lastMsn = playlist_.mediaSequence + playlist_.segments.size() - 1;
    p.lastMsnComplete = true;
    if (!playlist_.segments.back().parts.empty()) p.lastPart = playlist_.segments.back().parts.size() - 1;
  }
  return p;
}

void LlRendition::render() {
  if (stream_ != nullptr) playlist_.renditionReports = stream_->reportsFor(*this);
  auto view = std::make_shared<LlView>();
  view->full = std::make_shared<const std::string>(renderLlMediaPlaylist(playlist_, SkipRequest::kNone));
  view->skip = skippedSegments(playlist_, SkipRequest::kYes) > 0
                   ? std::make_shared<const std::string>(renderLlMediaPlaylist(playlist_, SkipRequest::kYes))
                   : view->full;
  view->skipV2 = skippedSegments(playlist_, SkipRequest::kV2) > 0
                     ? std::make_shared<const std::string>(renderLlMediaPlaylist(playlist_, SkipRequest::kV2))
                     : view->full;
  view->position = positionOfWriter();
  view->targetDurationSec = playlist_.targetDurationSec;
  view->ended = playlist_.ended;
  std::shared_ptr<const LlView> next = std::move(view);
  std::lock_guard lock(mu_);
  view_.swap(next);
}

bool LlRendition::end(const Lease& lease, UnixMillis now) {
  std::lock_guard writer(writerMu_);
  if (lease.generation != generation_) return false;
  if (segmentOpen_) {
    std::int64_t duration = 0;
    for (const LlPart& p : playlist_.openParts) duration += p.durationMs;
    closeOpenSegment(duration);
  }
  playlist_.ended = true;
  playlist_.preloadHintUri.reset();
  if (view() || !playlist_.segments.empty()) render();
  std::lock_guard lock(mu_);
  ended_ = true;
  endedAt_ = now;
  return true;
}

// ---------------------------------------------------------------- LlStream

std::shared_ptr<const std::string> LlStream::master() const {
  std::lock_guard lock(mu_);
  return master_;
}

std::int64_t LlStream::settlePartTarget(std::int64_t proposedMs) {
  std::lock_guard lock(mu_);
  if (!partTargetMs_) partTargetMs_ = std::max<std::int64_t>(1, proposedMs);
  return *partTargetMs_;
}

std::shared_ptr<LlRendition> LlStream::rendition(std::string_view name) const {
  std::lock_guard lock(mu_);
  for (const Entry& e : entries_) {
    if (e.rendition->name() == name) return e.rendition;
  }
  return nullptr;
}

std::vector<std::shared_ptr<LlRendition>> LlStream::renditions() const {
  std::vector<std::shared_ptr<LlRendition>> out;
  std::lock_guard lock(mu_);
  out.reserve(entries_.size());
  for (const Entry& e : entries_) out.push_back(e.rendition);
  return out;
}

std::size_t LlStream::heldBytes() const {
  std::size_t total = 0;
  for (const auto& r : renditions()) total += r->heldBytes();
  return total;
}

LlStream::Attachment LlStream::attach(const std::string& name, std::uint64_t firstSequence, std::int64_t partTargetMs,
                                      std::int64_t targetDurationSec) {
  std::shared_ptr<LlRendition> rendition;
  {
    std::lock_guard writer(writerMu_);
    {
      std::lock_guard lock(mu_);
      for (const Entry& e : entries_) {
        if (e.rendition->name() == name) rendition = e.rendition;
      }
      if (!rendition) {
        rendition = std::make_shared<LlRendition>(name, options_, firstSequence, partTargetMs, targetDurationSec,
                                                  changes_, this);
        entries_.push_back({rendition, std::nullopt});
      }
    }
    renderMaster();
  }
  // Notifies (outside the stream's locks).
  return Attachment{rendition, rendition->attachWriter()};
}

void LlStream::setVariant(const std::string& name, Variant variant) {
  {
    std::lock_guard writer(writerMu_);
    variant.uri = name + "/ll.m3u8";
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
  if (changes_) changes_->notify();
}

void LlStream::end(const Attachment& attachment, UnixMillis now) {
  {
    std::lock_guard writer(writerMu_);
    if (!attachment.rendition->end(attachment.lease, now)) return;
    renderMaster();
  }
  if (changes_) changes_->notify();
}

void LlStream::sweepStale(UnixMillis now, std::int64_t lingerMs) {
  std::vector<std::shared_ptr<LlRendition>> released;
  {
    std::lock_guard writer(writerMu_);
    {
      std::lock_guard lock(mu_);
      const bool anyLive =
          std::any_of(entries_.begin(), entries_.end(), [](const Entry& e) { return !e.rendition->ended(); });
      if (!anyLive) return;
      auto stale = [&](const Entry& e) {
        const auto endedAt = e.rendition->endedAt();
        return endedAt && now - *endedAt >= lingerMs;
      };
      for (const Entry& e : entries_) {
        if (stale(e)) released.push_back(e.rendition);
      }
      std::erase_if(entries_, stale);
    }
    if (!released.empty()) renderMaster();
  }
  if (!released.empty() && changes_) changes_->notify();
}

std::vector<RenditionReport> LlStream::reportsFor(const LlRendition& self) const {
  std::vector<RenditionReport> out;
  for (const auto& r : renditions()) {
    if (r.get() == &self || r->ended()) continue;
    auto view = r->view();
    if (!view) continue;
    RenditionReport report;
    report.uri = "../" + r->name() + "/ll.m3u8";
    report.lastMsn = view->position.lastMsn;
    report.lastPart = view->position.lastPart;
    out.push_back(std::move(report));
  }
  return out;
}

void LlStream::renderMaster() {
  // Under writerMu_. As StreamHls::renderMaster: live renditions only, unless
  // none is live; highest resolution first.
  std::vector<std::pair<std::shared_ptr<LlRendition>, Variant>> listed;
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

}  // namespace ls::hls
