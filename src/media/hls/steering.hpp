// HLS Content Steering on the media side (RFC 8216bis §4.4.6.6, §7): the
// steered master text and the steering manifest, as pure functions of the
// master and a SteeringSnapshot (core/steering.hpp), plus the thread-safe
// board the HTTP origin reads the current snapshot from.
//
// A master is steered by one call, whatever renders it (the MPEG-TS master
// today, a low-latency master later): steerMaster(masterText, masterDir,
// snapshot) keeps the header, adds EXT-X-CONTENT-STEERING and repeats every
// EXT-X-STREAM-INF once per pathway with PATHWAY-ID and a URI absolute to
// that pathway's base.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/steering.hpp"
#include "media/hls/playlist.hpp"

namespace ls::hls {

// "hls/<key>/": the directory of a stream's masters, relative to a base URL.
std::string streamDir(std::string_view streamKey);
// "hls/<key>/steering.json": where the origin serves the stream's manifest.
std::string steeringManifestPath(std::string_view streamKey);

// The master with steering: `master` as rendered (variant URIs relative to
// `masterDir`, e.g. "720p/index.m3u8"), masterDir "hls/<key>/". Each variant
// (EXT-X-STREAM-INF and its URI line) appears once per pathway, in the
// snapshot's order, as <base>/<masterDir><uri> with PATHWAY-ID="<id>" and a
// STABLE-VARIANT-ID (from its relative URI) that is the same on every pathway; the
// header gets EXT-X-CONTENT-STEERING with SERVER-URI at the origin and
// PATHWAY-ID of the first pathway. An inactive snapshot returns the master
// unchanged. Lines other than EXT-X-STREAM-INF blocks are kept once.
std::string steerMaster(std::string_view master, std::string_view masterDir, std::string_view streamKey,
                        const SteeringSnapshot& snapshot);
// renderMasterPlaylist(variants), steered.
std::string renderSteeredMaster(const std::vector<Variant>& variants, std::string_view streamKey,
                                const SteeringSnapshot& snapshot);

// The steering manifest (§7.1): {"VERSION":1,"TTL":..,"RELOAD-URI":..,
// "PATHWAY-PRIORITY":[ids in the snapshot's order]}; RELOAD-URI is the
// manifest's own origin URL.
std::string renderSteeringManifest(const SteeringSnapshot& snapshot, std::string_view streamKey);

// The current snapshot, replaced whole by the control side and read by HTTP
// loops (any thread). Null until the first set(): no steering.
class SteeringBoard {
 public:
  void set(std::shared_ptr<const SteeringSnapshot> snapshot) {
    std::lock_guard lock(mu_);
    snapshot_ = std::move(snapshot);
  }
  [[nodiscard]] std::shared_ptr<const SteeringSnapshot> get() const {
    std::lock_guard lock(mu_);
    return snapshot_;
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const SteeringSnapshot> snapshot_;
};

}  // namespace ls::hls
