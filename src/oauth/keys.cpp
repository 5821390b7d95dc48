#include "oauth/keys.hpp"

#include <openssl/bio.h>
#include <openssl/decoder.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "base/crypto.hpp"

namespace cozeauth::oauth {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct DecoderFree {
  void operator()(OSSL_DECODER_CTX* c) const { OSSL_DECODER_CTX_free(c); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

Error KeyError(std::string message) { return Error::BadRequest("public_key", std::move(message)); }

// Decodes either PEM structure ("PUBLIC KEY" or "RSA PUBLIC KEY") into an RSA public key.
Pkey DecodeRsaPublic(std::string_view pem) {
  EVP_PKEY* raw = nullptr;
  std::unique_ptr<OSSL_DECODER_CTX, DecoderFree> ctx(OSSL_DECODER_CTX_new_for_pkey(
      &raw, "PEM", nullptr, "RSA", EVP_PKEY_PUBLIC_KEY, nullptr, nullptr));
  if (!ctx) return nullptr;
  auto* data = reinterpret_cast<const unsigned char*>(pem.data());
  size_t len = pem.size();
  if (OSSL_DECODER_from_data(ctx.get(), &data, &len) != 1) return nullptr;
  return Pkey(raw);
}

Result<std::string> SpkiDer(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int len = i2d_PUBKEY(key, &der);
  if (len <= 0) return Error::Make(Errc::kInternal, "cannot encode the public key");
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

Result<std::string> SpkiPem(EVP_PKEY* key) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1) {
    return Error::Make(Errc::kInternal, "cannot encode the public key");
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

// The parsed keys of the PEMs VerifyRs256 saw last, by their exact text. Decoding a PEM (OpenSSL
// 3's decoder set-up) costs ~30 times the RSA verify itself, and every JWT-bearer assertion
// needs one (docs/performance.md). Keyed by the whole text, not a digest of it: a hit is the very
// key the caller passed, so the cache cannot verify under a key other than the stored row's, and
// a deleted key stays refused because the caller looks its row up first. Bounded: emptied when
// full (the keys come from the store's rows, so only an operator can make many).
constexpr size_t kMaxCachedKeys = 4096;

struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};

class PublicKeyCache {
 public:
  std::shared_ptr<EVP_PKEY> Get(std::string_view pem) {
    {
      std::shared_lock lock(mu_);
      if (auto it = keys_.find(pem); it != keys_.end()) return it->second;
    }
    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) return nullptr;
    std::shared_ptr<EVP_PKEY> key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr),
                                  EVP_PKEY_free);
    if (!key || EVP_PKEY_is_a(key.get(), "RSA") != 1) return nullptr;  // not cached: rare
    std::unique_lock lock(mu_);
    if (keys_.size() >= kMaxCachedKeys) keys_.clear();
    keys_.emplace(std::string(pem), key);
    return key;
  }

 private:
  std::shared_mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<EVP_PKEY>, TextHash, std::equal_to<>> keys_;
};

std::shared_ptr<EVP_PKEY> CachedPublicKey(std::string_view pem) {
  static PublicKeyCache* cache = new PublicKeyCache();  // never destroyed: used at exit too
  return cache->Get(pem);
}

// SHA-256 fetched once: EVP_sha256() makes EVP_DigestVerifyInit look the implementation up in
// OpenSSL 3's provider tables on every call.
const EVP_MD* Sha256Md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md != nullptr ? md : EVP_sha256();
}

}  // namespace

Result<ParsedPublicKey> ParsePublicKeyPem(std::string_view pem) {
  if (pem.find("PRIVATE KEY") != std::string_view::npos) {
    return KeyError("this is a private key: upload only the public key");
  }
  Pkey key = DecodeRsaPublic(pem);
  if (!key) return KeyError("public key must be an RSA PEM (PUBLIC KEY or RSA PUBLIC KEY)");
  if (EVP_PKEY_is_a(key.get(), "RSA") != 1) return KeyError("public key must be RSA");
  ParsedPublicKey out;
  out.bits = EVP_PKEY_get_bits(key.get());
  if (out.bits < kMinRsaBits) {
    return KeyError("RSA public key must be at least 2048 bits (got " + std::to_string(out.bits) +
                    ")");
  }
  auto der = SpkiDer(key.get());
  if (!der) return der.error();
  auto spki = SpkiPem(key.get());
  if (!spki) return spki.error();
  const Sha256Digest digest = Sha256(der.value());
  out.fingerprint = Base64UrlEncode(
      std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
  out.spki_pem = std::move(spki).value();
  return out;
}

Result<GeneratedKeyPair> GenerateRsaKeyPair() {
  Pkey key(EVP_RSA_gen(kMinRsaBits));
  if (!key) return Error::Make(Errc::kInternal, "cannot generate an RSA key pair");
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return Error::Make(Errc::kInternal, "cannot encode the private key");
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  GeneratedKeyPair out;
  out.private_pem.assign(data, static_cast<size_t>(len));
  auto pub = SpkiPem(key.get());
  if (!pub) return pub.error();
  out.public_pem = std::move(pub.value());
  return out;
}

bool VerifyRs256(std::string_view spki_pem, std::string_view signing_input,
                 std::string_view signature) {
  std::shared_ptr<EVP_PKEY> key = CachedPublicKey(spki_pem);
  if (!key) return false;
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, Sha256Md(), nullptr, key.get()) != 1) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(),
                          reinterpret_cast<const unsigned char*>(signing_input.data()),
                          signing_input.size()) == 1;
}

}  // namespace cozeauth::oauth
