// In-memory HLS for the HTTP origin: every live stream's renditions, their
// segment windows and their current playlist text.
//
// Threads: one writer per rendition (the packager on the media loop that owns
// the publisher) and any number of readers (HTTP threads). Readers get
// immutable snapshots — shared_ptr<const Segment>, shared_ptr<const string> —
// copied out under a mutex held only for the pointer copy (and a scan of at
// most a dozen entries), so a reader never allocates, never waits for
// rendering, and keeps its snapshot valid however long the response takes.
// Writers render outside that mutex and swap the result in.
//
// Waiting: a reader with nothing to show yet (a playlist requested between
// open() and the first segment) parks a wake-up on the StreamHls instead of a
// thread (ChangeWaiters); publishing a segment or the master, the stream's
// end, and its removal wake it, on the writer's thread.
//
// Lifetime: HlsRegistry owns StreamHls objects by stream key; a StreamHls owns
// its Renditions. A stream whose renditions have all ended keeps its finished
// playlists for `lingerMs` and is then freed by sweep(now), which the owner
// calls periodically with its own clock (nothing here reads a clock).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/time.hpp"
#include "core/usage.hpp"
#include "media/hls/change_waiters.hpp"
#include "media/hls/ll_store.hpp"
#include "media/hls/playlist.hpp"
#include "media/ts/ts_bytes.hpp"

namespace ls::hls {

// A finished segment: never modified once published.
struct Segment {
  std::uint64_t sequence = 0;  // media sequence number; the URI is seg<sequence>.ts
  std::int64_t durationMs = 0;
  std::optional<UnixMillis> programDateTime;
  bool discontinuityBefore = false;
  ts::TsBytes bytes;  // MPEG-TS, 188-byte packets
};

// What a writer hands over; the rendition numbers it and decides whether a
// reconnect discontinuity applies.
struct SegmentDraft {
  ts::TsBytes bytes;
  std::int64_t durationMs = 0;
  std::optional<UnixMillis> programDateTime;
  bool discontinuity = false;  // the source timeline jumped before this segment
};

struct RenditionOptions {
  std::size_t windowSize = 6;  // segments listed in the live playlist (SPEC §5)
  // Segments kept after sliding out of the playlist for clients that fetched
  // the previous playlist and are still downloading. RFC 8216 §6.2.2 asks for
  // "segment duration + playlist duration" (window + 1 segments); players
  // start three target durations behind the live edge (hls.js
  // liveSyncDurationCount) and never lag to the window's head in practice,
  // so 3 (6 s at the default target) bounds memory at 9 segments per
  // rendition. Raise it to windowSize + 1 for strict compliance. Only
  // segments some playlist read may have shown are kept (Rendition).
  std::size_t retiredSegments = 3;
};

struct RegistryOptions {
  RenditionOptions rendition;
  std::int64_t lingerMs = 60'000;  // how long ended streams keep their final playlists
  LlRenditionOptions ll;           // low-latency (fMP4) renditions
};

// Recycles the byte buffers of segments that have left the store, so a
// packager writes each new segment into memory that is already mapped: a fresh
// buffer of a few hundred KiB costs one page fault per 4 KiB written, about a
// quarter of the ingest CPU in the load run (bench/RESULTS.md, "Media
// findings"). Thread-safe: buffers come back from whichever thread drops the
// last reference to a segment (often an HTTP thread).
class SegmentBufferPool {
 public:
  explicit SegmentBufferPool(std::size_t maxBuffers = 2) : maxBuffers_(maxBuffers) {}
  // An empty buffer with at least minCapacity reserved: a recycled one when
  // the pool has any, else a new one.
  ts::TsBytes take(std::size_t minCapacity);
  // Keeps the buffer's memory for a later take(); dropped when the pool is full.
  void give(ts::TsBytes buffer);
  [[nodiscard]] std::size_t size() const;

 private:
  const std::size_t maxBuffers_;
  mutable std::mutex mu_;
  std::vector<ts::TsBytes> free_;
};

class Rendition {
 public:
  // `changes`, when given, is notified after every publish (the stream's waiters).
  Rendition(std::string name, RenditionOptions options, std::uint64_t firstSequence,
            std::shared_ptr<ChangeWaiters> changes = nullptr);
  Rendition(const Rendition&) = delete;
  Rendition& operator=(const Rendition&) = delete;

  [[nodiscard]] const std::string& name() const { return name_; }

  // --- Readers (any thread).
  // nullptr until the first segment is published.
  [[nodiscard]] std::shared_ptr<const std::string> playlist() const;
  // By URI relative to the playlist ("seg42.ts"); nullptr when unknown or
  // already freed.
  [[nodiscard]] std::shared_ptr<const Segment> segment(std::string_view uri) const;
  [[nodiscard]] std::shared_ptr<const Segment> segmentBySequence(std::uint64_t sequence) const;
  [[nodiscard]] bool ended() const;
  [[nodiscard]] std::optional<UnixMillis> endedAt() const;

  static std::string segmentUri(std::uint64_t sequence);
  static std::optional<std::uint64_t> parseSegmentUri(std::string_view uri);

  // --- Writer. A packager attaches, publishes, ends. A newer attach retires
  // the older lease, so a late call from a previous publisher's packager (on
  // another loop) can never append to, or end, its successor's playlist.
  struct Lease {
    std::uint64_t generation = 0;
    bool continuing = false;  // earlier segments exist: the next one gets EXT-X-DISCONTINUITY
  };
  Lease attachWriter();
  // The new segment's sequence number, or nullopt for a stale lease.
  std::optional<std::uint64_t> publish(const Lease& lease, SegmentDraft draft);
  // Appends EXT-X-ENDLIST. False for a stale lease.
  bool end(const Lease& lease, UnixMillis now);
  // The sequence number the next publish() will get (the writer's view).
  [[nodiscard]] std::uint64_t nextSequence();
  // A buffer for the writer's next segment, recycled from segments of this
  // rendition that every reader has released.
  ts::TsBytes takeBuffer(std::size_t minCapacity) { return buffers_->take(minCapacity); }

 private:
  std::optional<std::uint64_t> publishAsWriter(const Lease& lease, SegmentDraft draft);
  void slideWindowLocked(std::vector<std::shared_ptr<const Segment>>& released);
  void swapPlaylist(std::string text);

  const std::string name_;
  const RenditionOptions options_;
  const std::shared_ptr<ChangeWaiters> changes_;  // may be null
  // Shared with every published segment's deleter, which may outlive the rendition.
  const std::shared_ptr<SegmentBufferPool> buffers_ = std::make_shared<SegmentBufferPool>();

  // Writer state: touched only under writerMu_.
  std::mutex writerMu_;
  std::uint64_t generation_ = 0;
  std::uint64_t firstSequence_;
  std::uint64_t nextSequence_;
  bool reconnectDiscontinuity_ = false;
  MediaPlaylist window_;  // what the playlist lists
  std::int64_t windowDurationMs_ = 0;

  // Reader-visible state: written under writerMu_ + mu_, read under mu_.
  mutable std::mutex mu_;
  std::shared_ptr<const std::string> playlist_;
  std::deque<std::shared_ptr<const Segment>> listed_;  // mirrors window_.segments
  // Per listed segment: playlistReads_ when it was listed.
  std::deque<std::uint64_t> readsWhenListed_;
  std::deque<std::shared_ptr<const Segment>> retired_;  // slid out, still served
  // Playlist texts handed out so far. A segment that slides out of the window
  // is kept for late fetches only if a playlist was read while it was listed:
  // no client can know a segment no playlist showed it, and a stream nobody
  // watches then holds 7 segments instead of 10 (RenditionOptions).
  mutable std::uint64_t playlistReads_ = 0;
  bool ended_ = false;
  std::optional<UnixMillis> endedAt_;
};

// One stream key: its renditions and the master playlist over them.
class StreamHls {
 public:
  StreamHls(std::string streamKey, RenditionOptions options, LlRenditionOptions llOptions = {});
  StreamHls(const StreamHls&) = delete;
  StreamHls& operator=(const StreamHls&) = delete;

  [[nodiscard]] const std::string& key() const { return key_; }

  // --- Readers (any thread).
  // nullptr until some rendition has published its variant info.
  [[nodiscard]] std::shared_ptr<const std::string> master() const;
  [[nodiscard]] std::shared_ptr<Rendition> rendition(std::string_view name) const;
  // The low-latency (fMP4) renditions and their master; they share this
  // stream's waiters, usage and lifetime.
  [[nodiscard]] LlStream& ll() const { return *ll_; }
  // Set once every rendition has ended; cleared by a reconnect.
  [[nodiscard]] std::optional<UnixMillis> endedAt() const;
  // Dropped from the registry (deleted, or swept after its linger): its URLs 404.
  [[nodiscard]] bool removed() const;
  // Where what is served and transcoded for this stream is counted: the
  // current (or last) publish's counter; null when nothing meters.
  [[nodiscard]] std::shared_ptr<usage::StreamUsage> usage() const;
  void setUsage(std::shared_ptr<usage::StreamUsage> usage);

  // --- Waiting readers (any thread): take changeVersion(), look, and if there
  // is nothing to show yet, waitForChange(version, ...). The wake runs on the
  // writer's thread after the next segment or master is published, the stream
  // ends or is removed; it must be short and may wait again.
  [[nodiscard]] std::uint64_t changeVersion() const { return changes_->version(); }
  void waitForChange(std::uint64_t seen, ChangeWaiters::Waiter waiter) { changes_->waitPast(seen, std::move(waiter)); }
  [[nodiscard]] std::size_t waiting() const { return changes_->size(); }

  // --- Writers (packagers).
  struct Attachment {
    std::shared_ptr<Rendition> rendition;
    Rendition::Lease lease;
  };
  // Creates the rendition (numbering from firstSequence) or continues an
  // existing one; the stream counts as live again.
  Attachment attach(const std::string& name, std::uint64_t firstSequence);
  // Variant info for the master; the URI is filled in here ("<name>/index.m3u8").
  void setVariant(const std::string& name, Variant variant);
  // Ends the rendition (EXT-X-ENDLIST) and, when it was the last live one, the stream.
  void end(const Attachment& attachment, UnixMillis now);
  // A publish that ended before any rendition was written (no frame came):
  // the stream counts as ended, so it lingers and is swept like any other
  // and its held playlist requests learn that nothing is coming. No-op
  // while a rendition is live.
  void endIfIdle(UnixMillis now);

  // Frees renditions ended at least lingerMs ago. True when the whole stream
  // has ended that long ago and can be dropped.
  bool sweep(UnixMillis now, std::int64_t lingerMs);

 private:
  friend class HlsRegistry;
  // Under the registry's lock on open(): a stream handed to a new publisher
  // is live from that moment, so a concurrent sweep cannot drop it.
  void reopen();
  // By the registry once it has let go of the stream: wakes the waiters.
  void markRemoved();

  struct Entry {
    std::shared_ptr<Rendition> rendition;
    std::optional<Variant> variant;
  };
  // The writers' work under writerMu_; the public calls wake waiters after it.
  Attachment attachAsWriter(const std::string& name, std::uint64_t firstSequence);
  bool endAsWriter(const Attachment& attachment, UnixMillis now);
  void renderMaster();

  const std::string key_;
  const RenditionOptions options_;
  const std::shared_ptr<ChangeWaiters> changes_ = std::make_shared<ChangeWaiters>();  // shared with the renditions
  const std::unique_ptr<LlStream> ll_;
  std::mutex writerMu_;  // serialises master re-renders from writers on different threads
  mutable std::mutex mu_;
  std::vector<Entry> entries_;  // in attach order: "original" first
  std::shared_ptr<const std::string> master_;
  std::optional<UnixMillis> endedAt_;
  bool removed_ = false;
  std::shared_ptr<usage::StreamUsage> usage_;  // under mu_
};

class HlsRegistry {
 public:
  explicit HlsRegistry(RegistryOptions options = {});

  // The stream's HLS state, created on first use; a reconnect within the
  // linger gets the same object and continues its playlists.
  std::shared_ptr<StreamHls> open(std::string_view streamKey);
  [[nodiscard]] std::shared_ptr<StreamHls> find(std::string_view streamKey) const;
  // Immediately (a deleted livestream's URLs 404 at once, parked readers
  // included). A packager still holding the stream writes into an orphan that
  // dies with it.
  bool remove(std::string_view streamKey);
  // Frees what lingered long enough; returns the number of streams dropped.
  std::size_t sweep(UnixMillis now);
  [[nodiscard]] std::size_t size() const;
  // Requests parked on some stream (held playlists, blocking reloads,
  // preload-hint parts) whose connection still waits.
  [[nodiscard]] std::size_t parkedRequests() const;
  // Buffer memory of every LL rendition (LlRendition::heldBytes).
  [[nodiscard]] std::size_t llHeldBytes() const;

 private:
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  const RegistryOptions options_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<StreamHls>, KeyHash, std::equal_to<>> streams_;
};

}  // namespace ls::hls
