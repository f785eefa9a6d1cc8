// A consumer of one live source: the HLS packager of a rendition, a
// transcoder, a recorder. The source calls a sink on the source's loop thread,
// in timeline order; a sink must not block (one that does heavy work queues
// it elsewhere with a bounded queue and a drop policy).
#pragma once

#include "media/core/frame.hpp"

namespace ls::media {

class MediaSink {
 public:
  virtual ~MediaSink() = default;
  // A configuration may arrive again mid-stream (resolution change); frames
  // after it use the new one.
  virtual void onVideoConfig(const VideoConfig& config) = 0;
  virtual void onAudioConfig(const AudioConfig& config) = 0;
  virtual void onVideoFrame(const VideoFrame& frame) = 0;
  virtual void onAudioFrame(const AudioFrame& frame) = 0;
  // The publisher left (or timed out); no further calls follow.
  virtual void onEnd() = 0;
};

}  // namespace ls::media
