#include "media/abr/metrics_text.hpp"

#include <cstdio>

#include "core/prometheus_text.hpp"

namespace ls::abr {

namespace {

using prometheus::appendFamily;
using prometheus::appendLabelValue;

void appendSample(std::string& out, const char* name, const TranscoderStats::Snapshot& t, const std::string* rendition,
                  const std::string& value) {
  out += name;
  out += "{livestream=\"";
  appendLabelValue(out, t.livestreamId);
  if (rendition != nullptr) {
    out += "\",rendition=\"";
    appendLabelValue(out, *rendition);
  }
  out += "\"} ";
  out += value;
  out += '\n';
}

template <typename Fn>
void appendPerStream(std::string& out, const std::vector<TranscoderStats::Snapshot>& transcoders, const char* name,
                     const char* type, const char* help, Fn value) {
  appendFamily(out, name, type, help);
  for (const auto& t : transcoders) appendSample(out, name, t, nullptr, value(t));
}

std::string seconds(std::int64_t ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(ms) / 1000.0);
  return buf;
}

}  // namespace

void appendAbrMetrics(std::string& out, bool enabled, const std::vector<TranscoderStats::Snapshot>& transcoders) {
  using Snapshot = TranscoderStats::Snapshot;
  appendFamily(out, "lunarstream_abr_enabled", "gauge",
               "1 when this media server transcodes ABR ladders (abr.enabled).");
  out += enabled ? "lunarstream_abr_enabled 1\n" : "lunarstream_abr_enabled 0\n";
  appendFamily(out, "lunarstream_abr_transcoders", "gauge", "Live streams being transcoded.");
  out += "lunarstream_abr_transcoders " + std::to_string(transcoders.size()) + "\n";

  appendPerStream(out, transcoders, "lunarstream_abr_renditions_active", "gauge",
                  "Ladder renditions of the stream being encoded now.",
                  [](const Snapshot& t) { return std::to_string(t.count(RenditionState::kActive)); });
  appendPerStream(out, transcoders, "lunarstream_abr_renditions_dropped", "gauge",
                  "Renditions shed because the transcoder could not keep up.",
                  [](const Snapshot& t) { return std::to_string(t.count(RenditionState::kDropped)); });
  appendPerStream(out, transcoders, "lunarstream_abr_renditions_failed", "gauge",
                  "Renditions whose encoder could not be opened or failed.",
                  [](const Snapshot& t) { return std::to_string(t.count(RenditionState::kFailed)); });
  appendPerStream(out, transcoders, "lunarstream_abr_queue_depth", "gauge",
                  "Frames waiting between the media loop and the transcoder thread.",
                  [](const Snapshot& t) { return std::to_string(t.queueDepth); });
  appendPerStream(out, transcoders, "lunarstream_abr_lag_seconds", "gauge",
                  "How long the frame last transcoded waited in the queue.",
                  [](const Snapshot& t) { return seconds(t.lagMs); });
  appendPerStream(out, transcoders, "lunarstream_abr_frames_decoded_total", "counter", "Input pictures decoded.",
                  [](const Snapshot& t) { return std::to_string(t.framesDecoded); });
  appendPerStream(out, transcoders, "lunarstream_abr_frames_dropped_total", "counter",
                  "Input frames never transcoded because the queue was full.",
                  [](const Snapshot& t) { return std::to_string(t.framesDropped); });

  const char* encoded = "lunarstream_abr_frames_encoded_total";
  appendFamily(out, encoded, "counter", "Pictures encoded per rendition.");
  for (const auto& t : transcoders) {
    for (const auto& r : t.renditions) appendSample(out, encoded, t, &r.name, std::to_string(r.framesEncoded));
  }
}

}  // namespace ls::abr
