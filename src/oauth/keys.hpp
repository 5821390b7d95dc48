#pragma once
// RSA public keys of service apps (coze-protocol.md §4.7): PEM parsing, the `kid` fingerprint
// and RS256 verification. OpenSSL only; pure functions, thread-safe.

#include <string>
#include <string_view>

#include "base/result.hpp"

namespace cozeauth::oauth {

inline constexpr int kMinRsaBits = 2048;

struct ParsedPublicKey {
  std::string spki_pem;     // normalised "-----BEGIN PUBLIC KEY-----" (SubjectPublicKeyInfo)
  std::string fingerprint;  // base64url(SHA-256(DER SubjectPublicKeyInfo)), no padding
  int bits = 0;
};

// Accepts an SPKI "PUBLIC KEY" PEM or a PKCS#1 "RSA PUBLIC KEY" PEM; RSA only, ≥ 2048 bits.
// A private key is refused (kBadRequest, field "public_key") — only the public half is uploaded.
Result<ParsedPublicKey> ParsePublicKeyPem(std::string_view pem);

// A fresh RSA key pair of kMinRsaBits (the console's "generate a key pair" for a service app):
// the PKCS#8 private key PEM ("-----BEGIN PRIVATE KEY-----") and the SPKI public key PEM.
// kInternal when OpenSSL fails.
struct GeneratedKeyPair {
  std::string private_pem;
  std::string public_pem;
};
Result<GeneratedKeyPair> GenerateRsaKeyPair();

// True when `signature` is a valid RSASSA-PKCS1-v1_5 SHA-256 signature of `signing_input`
// under the SPKI PEM key. False on any failure (unparseable key included). The parsed key is kept
// by the PEM's exact text (a bounded, process-wide cache), so a caller verifying many assertions
// under one stored key parses it once; passing the stored row's PEM each time keeps a deleted or
// replaced key from being used.
bool VerifyRs256(std::string_view spki_pem, std::string_view signing_input,
                 std::string_view signature);

}  // namespace cozeauth::oauth
