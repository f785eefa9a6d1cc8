#include "auth/jwks.hpp"

#include <openssl/evp.h>

#include <array>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "auth/strict_json.hpp"

namespace ls::auth {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxJwksBytes = 64 * 1024;
constexpr std::size_t kMaxJwksKeys = 16;
constexpr std::size_t kMaxKidLength = 128;

// Private RSA members (RFC 7518 §6.3.2); any of them means a secret leaked.
constexpr std::array<std::string_view, 6> kPrivateMembers = {"d", "p", "q", "dp", "dq", "qi"};

// Returns the member as a string, nullptr if absent, or sets *typeError when
// present with another type.
const json::string* stringMember(const json::object& o, std::string_view name, bool* typeError) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr) return nullptr;
  if (!v->is_string()) {
    *typeError = true;
    return nullptr;
  }
  return &v->get_string();
}

std::string_view view(const json::string& s) {
  return {s.data(), s.size()};
}

Result<PublicKeySet> refuseKey(std::size_t index, const std::string& why) {
  return invalidArgument("JWKS key #" + std::to_string(index) + ": " + why);
}

}  // namespace

PublicKeySet PublicKeySet::fromSigningKey(const SigningKey& key) {
  PublicKeySet set;
  // Cannot fail: the set is empty, so the kid is new.
  (void)set.add(key);
  return set;
}

Status PublicKeySet::add(const SigningKey& key) {
  // Share the SigningKey's public-only EVP_PKEY; its reference count keeps it
  // alive for as long as the set needs it.
  evp_pkey_st* publicKey = key.publicKey();
  if (EVP_PKEY_up_ref(publicKey) != 1) return internalError("cannot reference the signing key");
  return addEntry(key.publicComponents(), EvpPkeyPtr(publicKey));
}

Status PublicKeySet::addEntry(RsaPublicJwk jwk, EvpPkeyPtr key) {
  if (find(jwk.kid) != nullptr) return invalidArgument("duplicate key id \"" + jwk.kid + "\"");
  keys_.push_back(Entry{std::move(jwk), std::move(key)});
  return Status::ok();
}

evp_pkey_st* PublicKeySet::find(std::string_view kid) const noexcept {
  for (const Entry& e : keys_) {
    if (e.jwk.kid == kid) return e.key.get();
  }
  return nullptr;
}

Result<PublicKeySet> PublicKeySet::fromJwks(std::string_view text) {
  auto parsed = parseStrictJson(text, StrictJsonLimits{kMaxJwksBytes, 8});
  if (!parsed) return invalidArgument("JWKS: " + parsed.status().message());
  const json::object* root = parsed->if_object();
  const json::value* keysValue = root != nullptr ? root->if_contains("keys") : nullptr;
  if (keysValue == nullptr || !keysValue->is_array()) return invalidArgument("JWKS has no \"keys\" array");
  const json::array& keys = keysValue->get_array();
  if (keys.empty()) return invalidArgument("JWKS has no keys");
  if (keys.size() > kMaxJwksKeys) return invalidArgument("JWKS has more than 16 keys");

  PublicKeySet set;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const json::object* jwk = keys[i].if_object();
    if (jwk == nullptr) return refuseKey(i, "not a JSON object");
    bool typeError = false;
    const json::string* kty = stringMember(*jwk, "kty", &typeError);
    const json::string* alg = stringMember(*jwk, "alg", &typeError);
    const json::string* use = stringMember(*jwk, "use", &typeError);
    const json::string* kid = stringMember(*jwk, "kid", &typeError);
    const json::string* n = stringMember(*jwk, "n", &typeError);
    const json::string* e = stringMember(*jwk, "e", &typeError);
    if (typeError) return refuseKey(i, "kty, alg, use, kid, n and e must be strings");
    if (kty == nullptr || *kty != "RSA") return refuseKey(i, "kty is not \"RSA\" (push tokens are RS256)");
    if (alg != nullptr && *alg != "RS256") return refuseKey(i, "alg is not \"RS256\"");
    if (use != nullptr && *use != "sig") return refuseKey(i, "use is not \"sig\"");
    for (std::string_view member : kPrivateMembers) {
      if (jwk->contains(member)) return refuseKey(i, "contains private key material; publish public keys only");
    }
    if (kid == nullptr || kid->empty() || kid->size() > kMaxKidLength) {
      return refuseKey(i, "kid is missing, empty or longer than 128 characters");
    }
    if (n == nullptr || e == nullptr) return refuseKey(i, "n or e is missing");
    auto key = rsaPublicKeyFromJwk(view(*n), view(*e));
    if (!key) return refuseKey(i, key.status().message());
    Status added = set.addEntry(RsaPublicJwk{std::string(view(*kid)), std::string(view(*n)), std::string(view(*e))},
                                std::move(key).value());
    if (!added.isOk()) return refuseKey(i, added.message());
  }
  return set;
}

std::string PublicKeySet::toJwksJson() const {
  // Built as text from the canonical per-key JSON so the two never disagree.
  std::string out = R"({"keys":[)";
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.append(keys_[i].jwk.toJson());
  }
  out.append("]}");
  return out;
}

}  // namespace ls::auth
