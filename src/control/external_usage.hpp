// Ingest seconds of streams on external ZLMediaKit and MediaMTX nodes
// (docs/platform.md "Usage metering"). Their media never passes through
// LunarStream, so a publish is metered from its lifecycle: the wall-clock
// span startedAt -> endedAt, once it is ENDED, split at hour boundaries.
// Every path that ends such a stream (the unpublish hook, a reconciliation,
// the node's restart, exit or lapsed lease) calls meterLifecycleEnd after
// its end, with the time it ended the stream at.
#pragma once

#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "core/status.hpp"
#include "core/usage.hpp"
#include "store/store.hpp"

namespace ls::control {

// Whether a server's streams are metered from their lifecycle (ZLMediaKit,
// MediaMTX), not counted by a LunarStream media plane (the embedded server
// and remote LunarStream nodes count media time themselves).
bool meteredByLifecycle(const MediaServer& server);

// The batches of one ended publish: one per hour bucket of [startedAt,
// endedAt), each with an id derived from (livestream, startedAt, bucket) (a
// SHA-256 prefix, as batch ids are at most 64 characters), so
// the same end applied again (a retried hook, a second path ending it in the
// same millisecond) never counts twice. Nothing unless ENDED with both times.
std::vector<usage::UsageBatch> lifecycleIngestBatches(const Livestream& livestream);

// Meters the publish of `livestreamId` on `server` if this caller's end
// (at `endedAt`) is what ended it: the row is ENDED with that endedAt. A
// store failure is logged (the end stands; its usage is lost) and not
// returned, so a hook is not retried for it.
void meterLifecycleEnd(Store& store, const MediaServer& server, std::string_view livestreamId, UnixMillis endedAt);

// A livestream deleted while STARTED on `server`: its publish is metered up
// to `deletedAt` (`before` is the row as read before the delete).
void meterLifecycleDelete(Store& store, const MediaServer& server, const Livestream& before, UnixMillis deletedAt);

// The same for each livestream that was STARTED on `server` before a call
// that ended them all at `endedAt` (markNodeOffline, a detected restart).
void meterLifecycleEnds(Store& store, const MediaServer& server, const std::vector<Livestream>& startedBefore,
                        UnixMillis endedAt);

}  // namespace ls::control
