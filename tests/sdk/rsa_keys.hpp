#pragma once
// RsaKeys(): one 2048-bit RSA key pair for the whole test binary (generating one takes a while),
// as PKCS#8 and PKCS#1 private-key PEM and SPKI public-key PEM, for the JWT-bearer grant's tests.

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <stdexcept>
#include <string>

namespace coze::test {

struct KeyPair {
  std::string pkcs8, pkcs1, public_pem;
};

inline std::string BioText(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

inline const KeyPair& RsaKeys() {
  static const KeyPair keys = [] {
    KeyPair k;
    EVP_PKEY* pkey = EVP_RSA_gen(2048);
    if (pkey == nullptr) throw std::runtime_error("EVP_RSA_gen failed");
    BIO* a = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(a, pkey, nullptr, nullptr, 0, nullptr, nullptr);
    k.pkcs8 = BioText(a);
    BIO* b = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey_traditional(b, pkey, nullptr, nullptr, 0, nullptr, nullptr);
    k.pkcs1 = BioText(b);
    BIO* c = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(c, pkey);
    k.public_pem = BioText(c);
    BIO_free(a);
    BIO_free(b);
    BIO_free(c);
    EVP_PKEY_free(pkey);
    return k;
  }();
  return keys;
}

}  // namespace coze::test
