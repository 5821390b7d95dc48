#pragma once
// An RSA key pair for tests of the JWT-bearer grant (coze-protocol.md §4.7): its public key PEM
// (for `admin app key add`) and RS256 JWTs signed with it, built by hand like the official SDKs
// build them. Not thread-safe per object.

#include <memory>
#include <string>

namespace cozeauth::it {

class RsaJwtSigner {
 public:
  RsaJwtSigner();  // a fresh 2048-bit key
  ~RsaJwtSigner();
  RsaJwtSigner(const RsaJwtSigner&) = delete;
  RsaJwtSigner& operator=(const RsaJwtSigner&) = delete;

  const std::string& public_pem() const { return public_pem_; }
  // {alg:RS256, typ:JWT, kid} . {iss, aud, iat:now, exp:now+3600, jti:<random>} . signature.
  std::string Sign(const std::string& kid, const std::string& iss, const std::string& aud) const;
  // {alg:RS256, typ:JWT, kid} . `payload_json` as given . signature: for claims a server must
  // refuse (out-of-range or non-integer exp/iat, a lifetime over the cap).
  std::string SignPayload(const std::string& kid, const std::string& payload_json) const;

 private:
  struct Key;
  std::unique_ptr<Key> key_;
  std::string public_pem_;
};

}  // namespace cozeauth::it
