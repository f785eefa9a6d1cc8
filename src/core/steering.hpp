// What a media origin needs to steer its players across pathways with HLS
// Content Steering (RFC 8216bis §4.4.6.6 and §7; docs/steering.md): the
// pathways its masters offer and the order the steering manifest gives them.
// The control plane computes it (control/steering.hpp) from the media
// server's CDNs and their measured health; the media plane only renders it
// (media/hls/steering.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ls {

// One delivery path of a media server's HLS: the origin or one CDN.
struct SteeringPathway {
  std::string id;       // PATHWAY-ID: "origin" or the CDN's name
  std::string baseUrl;  // variant URIs are <baseUrl>/hls/<key>/<rendition>/index.m3u8

  friend bool operator==(const SteeringPathway&, const SteeringPathway&) = default;
};

struct SteeringSnapshot {
  // The origin's base URL: SERVER-URI and RELOAD-URI point here, never
  // through a CDN (a CDN would cache the manifest, and a dead one hide it).
  std::string originBaseUrl;
  // Every pathway the masters offer (drained CDNs are not among them), in
  // PATHWAY-PRIORITY order.
  std::vector<SteeringPathway> pathways;
  std::int64_t ttlSeconds = 5;

  // Steering needs two pathways at least; with one, masters stay as they are.
  [[nodiscard]] bool active() const { return pathways.size() >= 2 && !originBaseUrl.empty(); }

  friend bool operator==(const SteeringSnapshot&, const SteeringSnapshot&) = default;
};

}  // namespace ls
