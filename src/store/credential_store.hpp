#pragma once
// CredentialStore: API tokens of every kind (PAT, service access token, OBO and app access
// tokens; credentials/token.hpp), found on the hot path by the SHA-256 of the bearer. Secrets
// are never stored, only their digests.
//
// Bumps the auth epoch (unit_of_work.hpp): UpdateToken, RevokeToken. CreateToken and
// TouchTokens do not.
//
// Thread safety and errors: as UnitOfWork (unit_of_work.hpp); calls join the backend's
// Transaction() on the same thread.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "credentials/token.hpp"

namespace cozeauth::store {

class CredentialStore {
 public:
  virtual ~CredentialStore() = default;

  virtual Status CreateToken(const credentials::Token& t) = 0;
  virtual Result<credentials::Token> GetToken(const std::string& id) = 0;
  virtual Result<credentials::Token> FindTokenByHash(const std::string& token_hash) = 0;
  // Tokens of one kind created by a user (kind nullopt: all kinds).
  virtual Result<std::vector<credentials::Token>> ListTokensOfUser(
      const std::string& user_id, std::optional<credentials::TokenKind> kind) = 0;
  // Updates name, grant and expiry (bumps the auth epoch).
  virtual Status UpdateToken(const credentials::Token& t) = 0;
  virtual Status RevokeToken(const std::string& id, int64_t at) = 0;  // bumps the auth epoch
  // Batched last-used timestamps, written off the request path; bumps nothing.
  virtual Status TouchTokens(const std::vector<std::pair<std::string, int64_t>>& last_used) = 0;
};

}  // namespace cozeauth::store
