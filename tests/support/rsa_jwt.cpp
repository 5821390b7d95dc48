#include "support/rsa_jwt.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <boost/json.hpp>
#include <chrono>
#include <stdexcept>

#include "support/openapi_expect.hpp"

namespace cozeauth::it {
namespace {

std::string B64Url(const std::string& in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    for (int s : {18, 12, 6, 0}) out += kAlphabet[(n >> s) & 63];
  }
  if (i + 1 == in.size()) {
    const unsigned n = static_cast<unsigned char>(in[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
  } else if (i + 2 == in.size()) {
    const unsigned n =
        (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    for (int s : {18, 12, 6}) out += kAlphabet[(n >> s) & 63];
  }
  return out;
}

}  // namespace

struct RsaJwtSigner::Key {
  EVP_PKEY* pkey = nullptr;
  ~Key() { EVP_PKEY_free(pkey); }
};

RsaJwtSigner::RsaJwtSigner() : key_(std::make_unique<Key>()) {
  key_->pkey = EVP_RSA_gen(2048);
  if (!key_->pkey) throw std::runtime_error("RSA key generation failed");
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, key_->pkey);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  public_pem_.assign(data, static_cast<size_t>(len));
  BIO_free(bio);
}

RsaJwtSigner::~RsaJwtSigner() = default;

std::string RsaJwtSigner::Sign(const std::string& kid, const std::string& iss,
                               const std::string& aud) const {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const std::string payload = boost::json::serialize(boost::json::object{
      {"iss", iss}, {"aud", aud}, {"iat", now}, {"exp", now + 3600}, {"jti", RandomAlnum(32)}});
  return SignPayload(kid, payload);
}

std::string RsaJwtSigner::SignPayload(const std::string& kid, const std::string& payload) const {
  const std::string header =
      boost::json::serialize(boost::json::object{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", kid}});
  const std::string input = B64Url(header) + "." + B64Url(payload);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t len = 0;
  EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key_->pkey);
  const auto* in = reinterpret_cast<const unsigned char*>(input.data());
  EVP_DigestSign(ctx, nullptr, &len, in, input.size());
  std::string sig(len, '\0');
  EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len, in, input.size());
  EVP_MD_CTX_free(ctx);
  sig.resize(len);
  return input + "." + B64Url(sig);
}

}  // namespace cozeauth::it
