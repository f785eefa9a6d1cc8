#include "media/server/metrics.hpp"

#include "core/encoding.hpp"
#include "core/prometheus_text.hpp"
#include "media/abr/metrics_text.hpp"
#include "media/abr/transcoder_hub.hpp"
#include "media/server/publish_manager.hpp"

namespace ls::media_server {

namespace {
// Prometheus text exposition format, version 0.0.4.
constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

using prometheus::appendFamily;

void appendGauge(std::string& out, const char* name, const char* help, std::uint64_t value) {
  appendFamily(out, name, "gauge", help);
  out += name;
  out += ' ' + std::to_string(value) + '\n';
}

void appendCounter(std::string& out, const char* name, const char* help, std::uint64_t value) {
  appendFamily(out, name, "counter", help);
  out += name;
  out += ' ' + std::to_string(value) + '\n';
}

void appendPerStream(std::string& out, const char* name, const char* help,
                     const std::vector<PublishingStream>& streams, std::uint64_t PublishingStream::*field) {
  appendFamily(out, name, "counter", help);
  for (const auto& s : streams) {
    out += name;
    out += "{livestream=\"";
    prometheus::appendLabelValue(out, s.livestreamId);
    out += "\",protocol=\"";
    prometheus::appendLabelValue(out, s.protocol);
    out += "\"} " + std::to_string(s.*field) + '\n';
  }
}

void appendLatency(std::string& out, const char* rendition, const hls::PublishLatency::Snapshot& s) {
  constexpr const char* name = "lunarstream_hls_segment_publish_latency_seconds";
  const auto seconds = [](std::int64_t ms) {
    const std::string whole = std::to_string(ms / 1000);
    std::string frac = std::to_string(ms % 1000);
    frac.insert(0, 3 - frac.size(), '0');
    return whole + "." + frac;
  };
  for (std::size_t i = 0; i <= hls::PublishLatency::kBoundsMs.size(); ++i) {
    out += name;
    out += "_bucket{rendition=\"";
    out += rendition;
    out += "\",le=\"";
    out += i < hls::PublishLatency::kBoundsMs.size() ? seconds(hls::PublishLatency::kBoundsMs[i]) : "+Inf";
    out += "\"} " + std::to_string(s.cumulative[i]) + '\n';
  }
  out += std::string(name) + "_sum{rendition=\"" + rendition + "\"} " + seconds(s.sumMs) + '\n';
  out += std::string(name) + "_count{rendition=\"" + rendition + "\"} " + std::to_string(s.count) + '\n';
}

void appendMediaPlane(std::string& out, const MediaServer& server) {
  const MediaServerStats stats = server.stats();
  const PublishCounters& c = server.publishCounters();
  appendFamily(out, "lunarstream_media_sessions", "gauge", "Open ingest connections by state.");
  out += "lunarstream_media_sessions{state=\"publishing\"} " + std::to_string(stats.publishing) + '\n';
  out += "lunarstream_media_sessions{state=\"unauthorized\"} " + std::to_string(stats.unauthorized) + '\n';
  out += "lunarstream_media_sessions{state=\"other\"} " +
         std::to_string(stats.sessions - std::min(stats.sessions, stats.publishing + stats.unauthorized)) + '\n';
  appendGauge(out, "lunarstream_media_unauthorized_held_bytes",
              "Bytes held in half-received messages by connections not yet publishing.", stats.unauthorizedHeldBytes);
  appendCounter(out, "lunarstream_media_unauthorized_refused_total",
                "Connections closed at once because the budget of connections not yet publishing was used up.",
                stats.unauthorizedRefused);
  appendCounter(out, "lunarstream_media_publishes_accepted_total", "Publishes granted.", c.accepted.load());
  appendCounter(out, "lunarstream_media_publishes_ended_total", "Publishes ended.", c.ended.load());
  appendCounter(out, "lunarstream_media_end_write_retries_total",
                "ENDED lifecycle writes retried because storage failed.", c.endWriteRetries.load());
  appendFamily(out, "lunarstream_media_publishes_refused_total", "counter", "Publishes refused, by reason.");
  for (std::size_t i = 0; i < c.refusedByCode.size(); ++i) {
    const std::uint64_t n = c.refusedByCode[i].load();
    if (n == 0) continue;
    out += "lunarstream_media_publishes_refused_total{reason=\"";
    out += codeName(static_cast<Code>(i));
    out += "\"} " + std::to_string(n) + '\n';
  }
  appendPerStream(out, "lunarstream_media_bytes_in_total", "Bytes received from each live publisher.", stats.streams,
                  &PublishingStream::bytesIn);
  appendFamily(out, "lunarstream_hls_requests_total", "counter",
               "HLS origin answers by what was asked (master, playlist, segment; LL-HLS: ll_master, ll_playlist, "
               "ll_init, ll_segment, ll_part) and status (404 includes playlists held past "
               "hls.first_segment_wait_ms; 400 an LL request too far ahead; 503 a blocking LL request not "
               "satisfied within three target durations).");
  const OriginCounters& origin = server.originCounters();
  constexpr std::array<const char*, OriginCounters::kKinds> kKinds = {
      "master", "playlist", "segment", "ll_master", "ll_playlist", "ll_init", "ll_segment", "ll_part"};
  constexpr std::array<const char*, OriginCounters::kOutcomes> kStatus = {"200", "404", "400", "503"};
  for (std::size_t k = 0; k < OriginCounters::kKinds; ++k) {
    // The MPEG-TS routes answer 200 or 404 only.
    const std::size_t outcomes =
        k < std::size_t{OriginCounters::kLlMaster} ? std::size_t{2} : std::size_t{OriginCounters::kOutcomes};
    for (std::size_t o = 0; o < outcomes; ++o) {
      out += std::string("lunarstream_hls_requests_total{kind=\"") + kKinds[k] + "\",status=\"" + kStatus[o] +
             "\"} " + std::to_string(origin.answered[k][o].load(std::memory_order_relaxed)) + '\n';
    }
  }
  appendGauge(out, "lunarstream_hls_parked_requests",
              "HLS requests held without a thread: playlists waiting for a first segment, LL blocking playlist "
              "reloads and preload-hint parts.",
              server.hls().parkedRequests());
  appendGauge(out, "lunarstream_hls_ll_buffer_bytes",
              "Memory of the LL-HLS (fMP4) segments, parts and init segments every stream holds.",
              server.hls().llHeldBytes());
  appendFamily(out, "lunarstream_hls_segment_publish_latency_seconds", "histogram",
               "From the arrival of the frame that closes a segment to the segment being listed: the original "
               "is cut on that frame, a ladder rendition waits for decode, scale and encode.");
  appendLatency(out, "original", server.publishLatency().snapshot());
  if (const abr::TranscoderHub* hub = server.transcoders()) appendLatency(out, "ladder", hub->publishLatency().snapshot());
  appendPerStream(out, "lunarstream_media_bytes_out_total", "Bytes sent to each live publisher.", stats.streams,
                  &PublishingStream::bytesOut);
}
}  // namespace

std::string renderMetrics(const MediaServer& server, const ingest::UsageFlushCounters* usage,
                          const MetricsAppender& more) {
  std::string out;
  appendMediaPlane(out, server);
  if (usage != nullptr) {
    appendFamily(out, "lunarstream_usage_batches_total", "counter",
                 "Usage batches stored (docs/platform.md, Usage metering).");
    out += "lunarstream_usage_batches_total " + std::to_string(usage->batches.load(std::memory_order_relaxed)) + '\n';
    appendFamily(out, "lunarstream_usage_flush_failures_total", "counter",
                 "Usage flushes that failed; the batch is sent again with the same id.");
    out += "lunarstream_usage_flush_failures_total " + std::to_string(usage->failures.load(std::memory_order_relaxed)) +
           '\n';
  }
  const abr::TranscoderHub* hub = server.transcoders();
  abr::appendAbrMetrics(out, hub != nullptr,
                        hub != nullptr ? hub->snapshot() : std::vector<abr::TranscoderStats::Snapshot>{});
  if (more) more(out);
  return out;
}

void registerMetricsTextRoute(http::Router& router, std::string bearerToken, MetricsAppender render) {
  // On the loop: reading the figures never waits (see metrics.hpp).
  router.add(
      http::Method::kGet, "/metrics",
      [token = std::move(bearerToken), render = std::move(render)](const http::Request& request) {
        if (!token.empty()) {
          const std::string_view presented = request.bearerToken();
          const bool ok = !presented.empty() && constantTimeEquals(presented, token);
          if (!ok) {
            http::Response r = http::errorResponse(401, "metrics need Authorization: Bearer <metrics.token>");
            r.header("WWW-Authenticate", "Bearer realm=\"metrics\"");
            return r;
          }
        }
        std::string text;
        if (render) render(text);
        http::Response r = http::Response::text(200, kContentType, std::move(text));
        r.header("Cache-Control", "no-store");
        return r;
      },
      http::Runs::kOnLoop);
}

void registerMetricsRoute(http::Router& router, const MediaServer& server, std::string bearerToken,
                          const ingest::UsageFlushCounters* usage, MetricsAppender more) {
  registerMetricsTextRoute(router, std::move(bearerToken),
                           [&server, usage, more = std::move(more)](std::string& out) {
                             out += renderMetrics(server, usage, more);
                           });
}

}  // namespace ls::media_server
