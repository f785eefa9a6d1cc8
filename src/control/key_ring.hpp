// The push-token keys of the control plane, read from the Store so that
// every process on one database signs and verifies with the same keys, and
// a rotation or retirement (`lunarstream keys`) reaches a running server
// without a restart. Which key signs and which verify is scheduleKeys()
// (signing_keys.hpp), applied at the time of each call; the rows are read
// again every `reloadMs` (keys.reload_seconds) and on reload().
//
// Threading: signer(), verifiers() and jwksJson() may be called from any
// thread at once; they copy a shared_ptr to an immutable view under a short
// lock (and rebuild the view, without touching the database, when a key's
// activation or retirement time has passed since it was built). reload()
// blocks on the database: control-plane threads only. start() runs reload()
// on a thread of its own; stop() (or the destructor) joins it.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "auth/key_ring.hpp"
#include "core/status.hpp"
#include "core/time.hpp"
#include "store/store.hpp"

namespace ls::control {

struct KeyRingOptions {
  std::int64_t reloadMs = 30'000;
};

class StoreKeyRing final : public auth::KeyRing {
 public:
  // store and clock must outlive the ring. Call reload() once before use.
  StoreKeyRing(Store& store, const Clock& clock, KeyRingOptions options = {});
  ~StoreKeyRing() override;
  StoreKeyRing(const StoreKeyRing&) = delete;
  StoreKeyRing& operator=(const StoreKeyRing&) = delete;

  // Reads the keys from the store. On failure the keys read before stay in
  // use and the error is returned. A row whose PEM does not parse, or whose
  // kid is not its key's thumbprint, is left out (and logged, without the key).
  Status reload();
  void start();
  void stop();

  [[nodiscard]] std::shared_ptr<const auth::SigningKey> signer() const override;
  [[nodiscard]] std::shared_ptr<const auth::PublicKeySet> verifiers() const override;
  [[nodiscard]] std::string jwksJson() const override;

 private:
  struct Loaded {
    SigningKeyRecord meta;  // privateKeyPem cleared
    std::shared_ptr<const auth::SigningKey> key;
  };
  struct View {
    std::shared_ptr<const auth::SigningKey> signer;
    std::shared_ptr<const auth::PublicKeySet> verifiers;
    std::string jwks;
    std::string describe;  // "active <kid>, verifying <n>", for logs
    std::optional<UnixMillis> validUntil;
  };
  static std::shared_ptr<const View> buildView(const std::vector<Loaded>& loaded, UnixMillis now);
  std::shared_ptr<const View> view() const;
  void reloadLoop();

  Store& store_;
  const Clock& clock_;
  KeyRingOptions options_;

  mutable std::mutex mutex_;
  std::vector<Loaded> loaded_;
  mutable std::shared_ptr<const View> view_;

  std::mutex threadMutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ls::control
