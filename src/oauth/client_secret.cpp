#include "oauth/client_secret.hpp"

#include "base/crypto.hpp"

namespace cozeauth::oauth {

Result<bool> IsLiveClientSecret(store::OAuthStore& store, const std::string& app_id,
                                std::string_view presented) {
  // Secrets are never empty (admin::CreateClientSecret mints them); refuse "" outright rather
  // than compare the digest of nothing.
  if (presented.empty()) return false;
  auto secrets = store.ListClientSecrets(app_id);
  if (!secrets) return secrets.error();
  const std::string digest = Sha256Hex(presented);
  bool matched = false;
  // No early exit: every live secret is compared, whichever matches.
  for (const auto& s : secrets.value()) matched |= ConstantTimeEquals(digest, s.secret_hash);
  return matched;
}

}  // namespace cozeauth::oauth
