// In-memory low-latency HLS (fMP4/CMAF) for the HTTP origin: per LL rendition
// the init segment, the window of finished segments with their parts, the
// parts of the segment being written, and the LL playlist texts (full and
// delta-update), all rendered by the writer on every publish.
//
// Threads: as segment_store.hpp. One writer per rendition (a CmafPackager on
// a media loop or a transcoder thread) and any number of readers (HTTP
// loops). Readers copy shared_ptr snapshots under a mutex held only for the
// copy (and a scan of at most ~14 entries); every text is rendered by the
// writer outside that mutex.
//
// Memory: one copy of the media. The parts of a segment are written one after
// the other into the segment's buffer, and a part (seg<N>.<P>.m4s) and the
// finished segment (seg<N>.m4s, the concatenation of its parts' moof/mdat
// pairs) are views into that buffer; the buffer lives as long as any view a
// reader still holds. A part that does not fit moves the segment to a larger
// buffer (parts already published keep the old one), which the next segment
// avoids by reserving more than the previous segment took.
//
// Waking: every publish (part, segment close, init, master, end) notifies the
// stream's ChangeWaiters, after the locks, on the writer's thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "media/hls/change_waiters.hpp"
#include "media/hls/ll_playlist.hpp"
#include "media/hls/ll_request.hpp"
#include "media/hls/playlist.hpp"

namespace ls::hls {

// Low-latency HLS for a server (config hls.ll_enabled, hls.part_target_ms).
struct LlOptions {
  bool enabled = true;
  std::int64_t partTargetMs = 200;
};

struct LlRenditionOptions {
  // Finished segments listed (LL contract: 10, so a delta update has something
  // to skip: CAN-SKIP-UNTIL is 6 target durations).
  std::size_t windowSize = 10;
  // Finished segments kept after they left the playlist, for late fetches.
  std::size_t retiredSegments = 3;
};

// The bytes of one segment as it is written. Immutable up to what has been
// published from it; never reallocated (a larger segment moves to a new one).
struct LlBuffer {
  std::unique_ptr<std::uint8_t[]> data;
  std::size_t capacity = 0;
};

// A published part, a finished segment or the init segment: a view into a
// buffer it keeps alive. Never modified once published.
struct LlMedia {
  std::shared_ptr<const LlBuffer> buffer;
  std::size_t offset = 0;
  std::size_t size = 0;
  [[nodiscard]] std::span<const std::uint8_t> bytes() const { return {buffer->data.get() + offset, size}; }
};

// What a reader of the LL playlist needs, taken in one pointer copy.
struct LlView {
  std::shared_ptr<const std::string> full;    // the whole playlist
  std::shared_ptr<const std::string> skip;    // _HLS_skip=YES (the full text when nothing can be skipped)
  std::shared_ptr<const std::string> skipV2;  // _HLS_skip=v2
  LivePosition position;
  std::int64_t targetDurationSec = 2;
  bool ended = false;
};

// A URI relative to the LL playlist.
struct LlUri {
  enum class Kind { kInit, kSegment, kPart };
  Kind kind = Kind::kInit;
  std::uint64_t msn = 0;                       // kInit: the N of "init<N>.mp4"
  std::uint32_t part = 0;                      // kPart
  bool numbered = false;                       // kInit: "init<N>.mp4" rather than "init.mp4"
};
// "init.mp4" (and "init<N>.mp4" after a codec change), "seg<N>.m4s",
// "seg<N>.<P>.m4s"; one canonical spelling (no leading zeros, no sign).
std::optional<LlUri> parseLlUri(std::string_view uri);
std::string llSegmentUri(std::uint64_t msn);
std::string llPartUri(std::uint64_t msn, std::uint32_t part);

// What a writer publishes with each part.
struct LlPartDraft {
  std::span<const std::uint8_t> bytes;  // one moof + mdat, copied into the segment's buffer
  std::int64_t durationMs = 0;
  bool independent = false;
  // Opening a segment (the first part of one): its date and whether a
  // timestamp jump precedes it.
  std::optional<UnixMillis> programDateTime;
  bool discontinuity = false;
  // Set when this part is the segment's last: the segment's EXTINF duration.
  std::optional<std::int64_t> closesSegmentMs;
};

class LlStream;

class LlRendition {
 public:
  LlRendition(std::string name, LlRenditionOptions options, std::uint64_t firstSequence, std::int64_t partTargetMs,
              std::int64_t targetDurationSec, std::shared_ptr<ChangeWaiters> changes, LlStream* stream);
  LlRendition(const LlRendition&) = delete;
  LlRendition& operator=(const LlRendition&) = delete;

  [[nodiscard]] const std::string& name() const { return name_; }

  // --- Readers (any thread).
  // nullptr until the first part is published.
  [[nodiscard]] std::shared_ptr<const LlView> view() const;
  [[nodiscard]] LivePosition position() const;
  // nullptr when unknown, not published yet, or freed.
  [[nodiscard]] std::shared_ptr<const LlMedia> media(const LlUri& uri) const;
  [[nodiscard]] bool ended() const;
  [[nodiscard]] std::optional<UnixMillis> endedAt() const;
  // Buffer memory the rendition holds (capacities of distinct buffers, init included).
  [[nodiscard]] std::size_t heldBytes() const;

  // --- Writer (see Rendition::Lease: a newer attach retires the older lease).
  struct Lease {
    std::uint64_t generation = 0;
    bool continuing = false;
  };
  Lease attachWriter();
  // The init segment for the parts that follow. A changed init gets a new URI
  // ("init<N>.mp4", N the next segment's number) so a cached "init.mp4" stays
  // true; it applies from the next segment opened, and each segment keeps its
  // own EXT-X-MAP. An older init stays served while a kept segment uses it.
  // False for a stale lease.
  bool setInit(const Lease& lease, std::span<const std::uint8_t> bytes);
  // The declared part target (PART-TARGET, PART-HOLD-BACK, Advance Part
  // Limit). Takes effect only before the rendition's first part: PART-TARGET
  // never changes within a playlist. False for a stale lease.
  bool setPartTarget(const Lease& lease, std::int64_t partTargetMs);
  // Publishes a part (and, with closesSegmentMs, the segment it ends) and the
  // new playlists. The segment number, or nullopt for a stale lease.
  std::optional<std::uint64_t> publishPart(const Lease& lease, const LlPartDraft& draft);
  // EXT-X-ENDLIST; a segment left open is closed with the parts it has.
  // False for a stale lease.
  bool end(const Lease& lease, UnixMillis now);

 private:
  friend class LlStream;
  struct Entry {
    std::uint64_t msn = 0;
    std::shared_ptr<const LlMedia> full;  // null while open
    std::vector<std::shared_ptr<const LlMedia>> parts;
    std::optional<std::uint64_t> initNumber;  // the init segment it uses (nullopt: "init.mp4")
  };
  struct Init {
    std::optional<std::uint64_t> number;
    std::shared_ptr<const LlMedia> media;
  };
  std::optional<std::uint64_t> publishAsWriter(const Lease& lease, const LlPartDraft& draft);
  // Copies bytes after what the open segment holds; returns their offset.
  std::size_t appendBytes(std::span<const std::uint8_t> bytes);
  void closeOpenSegment(std::int64_t durationMs);  // under writerMu_
  void render();                                   // under writerMu_: renders and swaps the view
  void dropUnusedInits();                          // under mu_
  [[nodiscard]] LivePosition positionOfWriter() const;

  const std::string name_;
  const LlRenditionOptions options_;
  std::int64_t partTargetMs_;  // written under writerMu_ + mu_
  const std::shared_ptr<ChangeWaiters> changes_;
  LlStream* const stream_;  // owns this rendition

  // Writer state, under writerMu_.
  std::mutex writerMu_;
  std::uint64_t generation_ = 0;
  std::uint64_t firstSequence_;
  std::uint64_t nextSequence_;  // of the open segment, or the next one to open
  bool reconnectDiscontinuity_ = false;
  LlMediaPlaylist playlist_;
  bool segmentOpen_ = false;
  std::shared_ptr<LlBuffer> buffer_;  // the open segment's
  std::size_t used_ = 0;
  std::size_t lastSegmentSize_ = 0;
  std::vector<std::uint8_t> lastInit_;

  // Reader-visible state: written under writerMu_ + mu_, read under mu_.
  mutable std::mutex mu_;
  std::shared_ptr<const LlView> view_;
  std::vector<Init> inits_;                  // the newest and those kept segments still use
  std::optional<std::uint64_t> initNumber_;  // the newest; nullopt: "init.mp4"
  std::deque<Entry> entries_;  // listed and retired finished segments, then the open one
  std::size_t retired_ = 0;    // how many of entries_' head have left the playlist
  bool ended_ = false;
  std::optional<UnixMillis> endedAt_;
};

// The LL side of one stream key: its LL renditions and the LL master.
class LlStream {
 public:
  explicit LlStream(LlRenditionOptions options, std::shared_ptr<ChangeWaiters> changes)
      : options_(options), changes_(std::move(changes)) {}
  LlStream(const LlStream&) = delete;
  LlStream& operator=(const LlStream&) = delete;

  // --- Readers.
  [[nodiscard]] std::shared_ptr<const std::string> master() const;
  [[nodiscard]] std::shared_ptr<LlRendition> rendition(std::string_view name) const;
  [[nodiscard]] std::size_t heldBytes() const;

  // --- Writers.
  // The stream's declared part target: the first proposal wins and holds for
  // the life of the stream's state, so every rendition (the ABR ladder, a
  // reconnect) declares the same PART-TARGET and cuts the same parts.
  std::int64_t settlePartTarget(std::int64_t proposedMs);
  struct Attachment {
    std::shared_ptr<LlRendition> rendition;
    LlRendition::Lease lease;
  };
  Attachment attach(const std::string& name, std::uint64_t firstSequence, std::int64_t partTargetMs,
                    std::int64_t targetDurationSec);
  // Variant for the LL master; its URI becomes "<name>/ll.m3u8".
  void setVariant(const std::string& name, Variant variant);
  void end(const Attachment& attachment, UnixMillis now);
  // Frees renditions ended at least lingerMs ago (while others are live).
  void sweepStale(UnixMillis now, std::int64_t lingerMs);

  // The other live renditions' positions, for EXT-X-RENDITION-REPORT.
  [[nodiscard]] std::vector<RenditionReport> reportsFor(const LlRendition& self) const;

 private:
  struct Entry {
    std::shared_ptr<LlRendition> rendition;
    std::optional<Variant> variant;
  };
  void renderMaster();  // under writerMu_
  [[nodiscard]] std::vector<std::shared_ptr<LlRendition>> renditions() const;

  const LlRenditionOptions options_;
  const std::shared_ptr<ChangeWaiters> changes_;
  std::mutex writerMu_;
  mutable std::mutex mu_;
  std::vector<Entry> entries_;
  std::shared_ptr<const std::string> master_;
  std::optional<std::int64_t> partTargetMs_;
};

}  // namespace ls::hls
