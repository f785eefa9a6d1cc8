#include "auth/rsa.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <vector>

#include "auth/crypto.hpp"
#include "core/encoding.hpp"

namespace ls::auth {

void EvpPkeyDeleter::operator()(evp_pkey_st* key) const noexcept {
  EVP_PKEY_free(key);
}

namespace {

struct BignumDeleter {
  void operator()(BIGNUM* bn) const noexcept { BN_free(bn); }
};
using BignumPtr = std::unique_ptr<BIGNUM, BignumDeleter>;

struct ParamBuildDeleter {
  void operator()(OSSL_PARAM_BLD* b) const noexcept { OSSL_PARAM_BLD_free(b); }
};
struct ParamDeleter {
  void operator()(OSSL_PARAM* p) const noexcept { OSSL_PARAM_free(p); }
};
struct PkeyCtxDeleter {
  void operator()(EVP_PKEY_CTX* c) const noexcept { EVP_PKEY_CTX_free(c); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

Result<std::string> bignumParamBase64Url(const EVP_PKEY* key, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1 || raw == nullptr) {
    ERR_clear_error();
    return internalError(std::string("cannot read RSA parameter ") + name);
  }
  const BignumPtr bn(raw);
  // BN_bn2bin writes the minimal big-endian form, as RFC 7518 §6.3.1 wants.
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(BN_num_bytes(bn.get())));
  BN_bn2bin(bn.get(), bytes.data());
  return base64UrlEncode(bytes);
}

Result<BignumPtr> decodeUnsigned(std::string_view text, const char* what) {
  const auto bytes = base64UrlDecode(text);
  if (!bytes || bytes->empty()) return invalidArgument(std::string("JWK ") + what + " is not valid base64url");
  if ((*bytes)[0] == 0) return invalidArgument(std::string("JWK ") + what + " has a leading zero byte");
  BignumPtr bn(BN_bin2bn(bytes->data(), static_cast<int>(bytes->size()), nullptr));
  if (!bn) return internalError("out of memory decoding a JWK");
  return bn;
}

}  // namespace

std::string RsaPublicJwk::toJson() const {
  boost::json::object jwk;
  jwk["kty"] = "RSA";
  jwk["use"] = "sig";
  jwk["alg"] = "RS256";
  jwk["kid"] = kid;
  jwk["n"] = n;
  jwk["e"] = e;
  return boost::json::serialize(jwk);
}

Result<RsaPublicJwk> rsaPublicComponents(const evp_pkey_st* key) {
  if (key == nullptr || EVP_PKEY_is_a(key, "RSA") != 1) return invalidArgument("key is not an RSA key");
  auto n = bignumParamBase64Url(key, OSSL_PKEY_PARAM_RSA_N);
  if (!n) return std::move(n).takeStatus();
  auto e = bignumParamBase64Url(key, OSSL_PKEY_PARAM_RSA_E);
  if (!e) return std::move(e).takeStatus();
  return RsaPublicJwk{{}, std::move(n).value(), std::move(e).value()};
}

std::string rsaJwkThumbprint(std::string_view n, std::string_view e) {
  // Hand-built on purpose: RFC 7638 §3 fixes the exact bytes, and base64url
  // text needs no JSON escaping.
  std::string canonical;
  canonical.reserve(n.size() + e.size() + 32);
  canonical.append(R"({"e":")").append(e).append(R"(","kty":"RSA","n":")").append(n).append(R"("})");
  return base64UrlEncode(sha256(canonical));
}

Result<EvpPkeyPtr> rsaPublicKeyFromJwk(std::string_view nText, std::string_view eText) {
  auto n = decodeUnsigned(nText, "modulus n");
  if (!n) return std::move(n).takeStatus();
  auto e = decodeUnsigned(eText, "exponent e");
  if (!e) return std::move(e).takeStatus();

  const int bits = BN_num_bits(n->get());
  if (bits < kMinRsaBits || bits > kMaxRsaBits) {
    return invalidArgument("RSA modulus of " + std::to_string(bits) + " bits is outside the accepted " +
                           std::to_string(kMinRsaBits) + ".." + std::to_string(kMaxRsaBits));
  }
  // e must be odd and at least 3; more than 32 bits is never seen in practice
  // and only slows verification down.
  if (!BN_is_odd(e->get()) || BN_num_bits(e->get()) < 2 || BN_num_bits(e->get()) > 32) {
    return invalidArgument("RSA exponent e is not an odd value in 3..2^32");
  }

  const std::unique_ptr<OSSL_PARAM_BLD, ParamBuildDeleter> build(OSSL_PARAM_BLD_new());
  if (!build || OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, n->get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, e->get()) != 1) {
    return internalError("cannot build RSA key parameters");
  }
  const std::unique_ptr<OSSL_PARAM, ParamDeleter> params(OSSL_PARAM_BLD_to_param(build.get()));
  const std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) {
    return internalError("cannot build an RSA public key");
  }
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1 || raw == nullptr) {
    ERR_clear_error();
    return invalidArgument("JWK n/e do not form a usable RSA public key");
  }
  return EvpPkeyPtr(raw);
}

Result<std::vector<std::uint8_t>> rs256Sign(evp_pkey_st* privateKey, std::string_view input) {
  const MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  std::size_t size = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, EVP_sha256(), nullptr, privateKey) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(input.data()), input.size()) !=
          1) {
    ERR_clear_error();
    return internalError("RS256 signing could not start");
  }
  std::vector<std::uint8_t> signature(size);
  if (EVP_DigestSign(ctx.get(), signature.data(), &size, reinterpret_cast<const unsigned char*>(input.data()),
                     input.size()) != 1) {
    ERR_clear_error();
    return internalError("RS256 signing failed");
  }
  signature.resize(size);
  return signature;
}

bool rs256Verify(evp_pkey_st* publicKey, std::string_view input, std::span<const std::uint8_t> signature) {
  // A PKCS#1 v1.5 signature is exactly as long as the modulus; checking first
  // keeps odd lengths away from OpenSSL altogether.
  if (publicKey == nullptr || signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(publicKey))) {
    return false;
  }
  const MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  const bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), &pctx, EVP_sha256(), nullptr, publicKey) == 1 &&
                  EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1 &&
                  EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                                   reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
  // A bad signature leaves an entry in OpenSSL's per-thread error queue; drop
  // it so it does not surface in an unrelated call later on this thread.
  if (!ok) ERR_clear_error();
  return ok;
}

int rsaKeyBits(const evp_pkey_st* key) {
  if (key == nullptr || EVP_PKEY_is_a(key, "RSA") != 1) return 0;
  return EVP_PKEY_get_bits(key);
}

}  // namespace ls::auth
