// IngestService backed by the Store and the push-token public keys: what
// runs inside the control plane (embedded mode, and behind the hook
// endpoints).
#pragma once

#include "auth/jwks.hpp"
#include "core/time.hpp"
#include "ingest/ingest_service.hpp"
#include "store/store.hpp"

namespace ls::ingest {

struct IngestOptions {
  std::int64_t tokenLeewaySeconds = 60;
  std::string app = "live";
};

class ControlIngestService final : public IngestService {
 public:
  // keys and store must outlive the service.
  ControlIngestService(Store& store, const auth::PublicKeySet& keys, const Clock& clock, IngestOptions options);

  Result<PublishGrant> authorizePublish(const PublishRequest& request) override;
  Status onPublishEnded(std::string_view livestreamId) override;

 private:
  Store& store_;
  const auth::PublicKeySet& keys_;
  const Clock& clock_;
  IngestOptions options_;
};

}  // namespace ls::ingest
