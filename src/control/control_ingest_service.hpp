// The control plane's side of the ingest contract: publish decisions and
// lifecycle writes on the Store, push tokens checked with the public keys.
// The embedded media plane calls it in-process; the hook endpoints call it
// for external nodes.
#pragma once

#include "auth/key_ring.hpp"
#include "core/time.hpp"
#include "ingest/ingest_service.hpp"
#include "store/store.hpp"

namespace ls::control {

struct IngestOptions {
  std::int64_t tokenLeewaySeconds = 60;
  std::string app = "live";
};

class ControlIngestService final : public ingest::IngestService {
 public:
  // keys and store must outlive the service; tokens are checked against
  // keys.verifiers() at the time of each call.
  ControlIngestService(Store& store, const auth::KeyRing& keys, const Clock& clock, IngestOptions options);

  Result<ingest::PublishGrant> authorizePublish(const ingest::PublishRequest& request) override;
  Status onPublishEnded(const ingest::PublishEnd& end) override;

 private:
  Store& store_;
  const auth::KeyRing& keys_;
  const Clock& clock_;
  IngestOptions options_;
};

}  // namespace ls::control
