// Where the control plane gets its push-token keys: the key that signs new
// tokens and the public keys that verify them. The keys change while the
// server runs (a rotation, an emergency retirement), so users ask for them
// each time instead of holding one: what they get is an immutable snapshot
// they may keep for the call.
//
// Threading: every method may be called from any thread at once.
#pragma once

#include <memory>
#include <string>

#include "auth/jwks.hpp"
#include "auth/signing_key.hpp"

namespace ls::auth {

class KeyRing {
 public:
  virtual ~KeyRing() = default;
  // The key that signs new push tokens now; null when no key is active
  // (every key retired), and then no token can be issued.
  [[nodiscard]] virtual std::shared_ptr<const SigningKey> signer() const = 0;
  // Every public key that verifies push tokens now (never null; may be empty).
  [[nodiscard]] virtual std::shared_ptr<const PublicKeySet> verifiers() const = 0;
  // verifiers() as the JWKS document /.well-known/jwks.json serves.
  [[nodiscard]] virtual std::string jwksJson() const = 0;
};

// One key that signs and verifies for ever: for tests and tools that have
// no store.
class FixedKeyRing final : public KeyRing {
 public:
  explicit FixedKeyRing(std::shared_ptr<const SigningKey> key);
  [[nodiscard]] std::shared_ptr<const SigningKey> signer() const override { return key_; }
  [[nodiscard]] std::shared_ptr<const PublicKeySet> verifiers() const override { return verifiers_; }
  [[nodiscard]] std::string jwksJson() const override { return jwks_; }

 private:
  std::shared_ptr<const SigningKey> key_;
  std::shared_ptr<const PublicKeySet> verifiers_;
  std::string jwks_;
};

}  // namespace ls::auth
