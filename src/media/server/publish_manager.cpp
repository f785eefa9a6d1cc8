#include "media/server/publish_manager.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>

#include "core/log_text.hpp"
#include "media/abr/transcoder_hub.hpp"
#include "media/hls/packager.hpp"
#include "media/server/usage_sink.hpp"

namespace ls::media_server {

namespace asio = boost::asio;

Publication::Publication(PublishManager& manager, ingest::PublishGrant grant, const Publisher* publisher,
                         std::shared_ptr<usage::StreamUsage> usage)
    : manager_(manager),
      grant_(std::move(grant)),
      usage_(std::move(usage)),
      publisher_(publisher),
      source_([this](LiveSource& source, bool hasVideo, bool hasAudio) {
        manager_.buildSinks(source, grant_, usage_, hasVideo, hasAudio);
      }) {}

Publication::~Publication() { end(); }

void Publication::end() {
  if (ended_) return;
  ended_ = true;
  source_.onEnd();
  manager_.ended(grant_, publisher_);
}

PublishManager::PublishManager(PublishManagerOptions options, ingest::IngestService& ingest,
                               asio::io_context& control, const Clock& clock, hls::HlsRegistry& hls,
                               abr::TranscoderHub* abr, PublisherTable& table)
    : options_(std::move(options)),
      ingest_(ingest),
      control_(control),
      clock_(clock),
      hls_(hls),
      abr_(abr),
      table_(table),
      retryTimer_(control) {}

PublishManager::~PublishManager() = default;

ingest::PublishEnd PublishManager::endOf(std::string livestreamId, std::string streamKey) const {
  ingest::PublishEnd end;
  end.mediaServerId = options_.mediaServerId;
  end.livestreamId = std::move(livestreamId);
  end.streamKey = std::move(streamKey);
  return end;
}

void PublishManager::requestPublish(std::shared_ptr<Publisher> publisher, PublishAttempt attempt,
                                    asio::any_io_executor loop, Decided decided) {
  ingest::PublishRequest request;
  request.mediaServerId = options_.mediaServerId;
  request.app = std::move(attempt.app);
  request.streamKey = std::move(attempt.streamName);
  request.pushToken = ingest::extractPushToken(attempt.query);
  request.remoteAddress = std::move(attempt.peerAddress);
  request.protocol = std::move(attempt.protocol);
  asio::post(control_, [this, publisher = std::move(publisher), request = std::move(request), loop = std::move(loop),
                        decided = std::move(decided)]() mutable {
    // ENDED writes that are still owed go first: a stream whose end did not
    // land yet would otherwise refuse its own reconnect as "already live".
    flushPendingEnds();
    auto decision = ingest_.authorizePublish(request);
    asio::post(loop, [this, publisher = std::move(publisher), decision = std::move(decision),
                      decided = std::move(decided)]() mutable {
      decided(admit(publisher, std::move(decision)));
    });
  });
}

Result<std::unique_ptr<Publication>> PublishManager::admit(const std::shared_ptr<Publisher>& publisher,
                                                           Result<ingest::PublishGrant> decision) {
  if (!decision.ok()) {
    countRefusal(decision.status().code());
    spdlog::info("{} {} publish refused: {}", publisher->protocol(), publisher->peer(),
                 logText(decision.status().message()));
    return std::move(decision).takeStatus();
  }
  if (!table_.claim(decision->streamKey, decision->livestreamId, publisher)) {
    // Only reachable if the control plane lost track of a live publisher:
    // the grant it just gave is handed back.
    countRefusal(Code::kConflict);
    asio::post(control_, [this, end = endOf(decision->livestreamId, decision->streamKey)]() mutable {
      recordEnded(std::move(end));
    });
    return Status(Code::kConflict, "stream is already being published");
  }
  // From the grant on, its playlists are held for the first segment rather
  // than answered 404 (the first frame may be a moment away).
  auto stream = hls_.open(decision->streamKey);
  // This publish's usage: its ingest, its ladder's output and what the
  // origin serves of the stream from now on (until a next publish).
  std::shared_ptr<usage::StreamUsage> usage;
  if (options_.usage != nullptr) {
    usage = options_.usage->open(decision->projectId, decision->livestreamId);
    stream->setUsage(usage);
  }
  ++counters_.accepted;
  spdlog::info("{} {} publishing stream {}", publisher->protocol(), publisher->peer(), decision->streamKey);
  return std::unique_ptr<Publication>(new Publication(*this, std::move(*decision), publisher.get(), std::move(usage)));
}

void PublishManager::buildSinks(LiveSource& source, const ingest::PublishGrant& grant,
                                const std::shared_ptr<usage::StreamUsage>& usage, bool hasVideo, bool hasAudio) {
  if (usage) source.addSink(std::make_unique<UsageSink>(usage, clock_, hasVideo));
  auto stream = hls_.open(grant.streamKey);
  // Ladder renditions number their segments like the original (SPEC §5),
  // so they share this first media sequence number.
  const auto firstSequence = static_cast<std::uint64_t>(std::max<UnixMillis>(0, clock_.now()) / 1000);
  hls::PackagerOptions options;
  options.rendition = "original";
  options.hasVideo = hasVideo;
  options.hasAudio = hasAudio;
  options.segmenter.targetMs = options_.segmentTargetMs;
  options.firstMediaSequence = firstSequence;
  options.latency = &latency_;
  options.wallClock = &clock_;
  // Until a segment is measured, the master shows what the publisher
  // declared (with TS overhead), so the original is listed at once and
  // never with a figure below what it sends.
  const media::DeclaredRates& declared = source.declaredRates();
  // A video stream that declared no video rate (x264 in CRF mode) declares
  // nothing usable: it waits for its first segment like any other.
  const bool usable = !hasVideo || declared.videoBitsPerSecond > 0;
  options.nominalBandwidth =
      usable ? hls::withTsOverhead(declared.videoBitsPerSecond + (hasAudio ? declared.audioBitsPerSecond : 0)) : 0;
  source.addSink(std::make_unique<hls::HlsPackager>(stream, clock_, options));
  if (options_.ll.enabled) {
    // The same segmenter options and first sequence number: the LL playlist
    // lists the same segments (in fMP4) as the MPEG-TS one.
    hls::CmafPackagerOptions ll;
    ll.rendition = options.rendition;
    ll.hasVideo = hasVideo;
    ll.hasAudio = hasAudio;
    ll.segmenter = options.segmenter;
    ll.partTargetMs = options_.ll.partTargetMs;
    ll.firstMediaSequence = firstSequence;
    // fMP4 adds about 1% to the media, not the 5% of MPEG-TS.
    ll.nominalBandwidth =
        usable ? declared.videoBitsPerSecond + (hasAudio ? declared.audioBitsPerSecond : 0) : 0;
    source.addSink(std::make_unique<hls::CmafPackager>(stream, clock_, ll));
  }

  // The ABR ladder: off per project (the grant) or per server (no hub),
  // and only for video above the smallest rung.
  const media::VideoConfig* video = hasVideo && source.videoConfig() ? &*source.videoConfig() : nullptr;
  if (!grant.abrEnabled || abr_ == nullptr || !abr_->wants(video)) return;
  abr::TranscoderSetup setup;
  setup.streamKey = grant.streamKey;
  setup.livestreamId = grant.livestreamId;
  setup.stream = std::move(stream);
  setup.hasAudio = hasAudio;
  setup.segmentTargetMs = options_.segmentTargetMs;
  setup.firstMediaSequence = firstSequence;
  setup.ll = options_.ll;
  setup.audioBitsPerSecond = declared.audioBitsPerSecond;
  if (auto sink = abr_->start(std::move(setup))) source.addSink(std::move(sink));
}

void PublishManager::ended(const ingest::PublishGrant& grant, const Publisher* publisher) {
  // Opened at the grant: a publish that sent no frame leaves no packager to end it.
  if (auto stream = hls_.find(grant.streamKey)) stream->endIfIdle(clock_.now());
  table_.release(grant.streamKey, publisher);
  ++counters_.ended;
  asio::post(control_,
             [this, end = endOf(grant.livestreamId, grant.streamKey)]() mutable { recordEnded(std::move(end)); });
}

void PublishManager::cut(std::string_view streamKey, std::string reason) {
  if (auto publisher = table_.find(streamKey)) publisher->kick(std::move(reason));
}

void PublishManager::recordEnded(ingest::PublishEnd end) {
  pendingEnds_.push_back(std::move(end));
  flushPendingEnds();
}

void PublishManager::flushPendingEnds() {
  while (!pendingEnds_.empty()) {
    const Status s = ingest_.onPublishEnded(pendingEnds_.front());
    if (!s.isOk()) {
      if (retryDelayMs_ == 0) {
        spdlog::warn("could not record the end of stream {} ({} pending), retrying: {}",
                     pendingEnds_.front().streamKey, pendingEnds_.size(), logText(s.message()));
      }
      retryPendingEndsLater();
      return;
    }
    pendingEnds_.pop_front();
  }
  if (retryDelayMs_ != 0) spdlog::info("stream ends recorded again after storage recovered");
  retryDelayMs_ = 0;
  retryTimer_.cancel();
}

void PublishManager::retryPendingEndsLater() {
  retryDelayMs_ = retryDelayMs_ == 0 ? options_.endRetryFirstMs : std::min(retryDelayMs_ * 2, options_.endRetryMaxMs);
  ++counters_.endWriteRetries;
  retryTimer_.expires_after(std::chrono::milliseconds(retryDelayMs_));
  retryTimer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) flushPendingEnds();
  });
}

void PublishManager::countRefusal(Code code) {
  const auto i = static_cast<std::size_t>(code);
  if (i < counters_.refusedByCode.size()) ++counters_.refusedByCode[i];
}

}  // namespace ls::media_server
