#include "auth/key_ring.hpp"

#include <utility>

namespace ls::auth {

FixedKeyRing::FixedKeyRing(std::shared_ptr<const SigningKey> key)
    : key_(std::move(key)),
      verifiers_(std::make_shared<const PublicKeySet>(PublicKeySet::fromSigningKey(*key_))),
      jwks_(verifiers_->toJwksJson()) {}

}  // namespace ls::auth
