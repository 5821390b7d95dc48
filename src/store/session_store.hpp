#pragma once
// SessionStore: signed-in console sessions, found by the SHA-256 of the cookie value. A session
// authenticates the console only, never the OpenAPI.
//
// Bumps the auth epoch (unit_of_work.hpp): nothing.
//
// Thread safety and errors: as UnitOfWork (unit_of_work.hpp); calls join the backend's
// Transaction() on the same thread.

#include <cstdint>
#include <string>

#include "base/result.hpp"

namespace cozeauth::store {

struct Session {
  std::string id;
  std::string session_hash;  // SHA-256 hex of the cookie value
  std::string csrf_token;    // not secret from its own browser; random per session
  std::string user_id;
  int64_t created_at = 0;
  int64_t expires_at = 0;
};

class SessionStore {
 public:
  virtual ~SessionStore() = default;

  virtual Status CreateSession(const Session& s) = 0;
  virtual Result<Session> FindSessionByHash(const std::string& session_hash) = 0;
  virtual Status DeleteSession(const std::string& id) = 0;
  // Deletes every session of `user_id` except `keep_id` (a password change signs the other
  // browsers out). No session to delete is not an error.
  virtual Status DeleteOtherSessionsOfUser(const std::string& user_id,
                                           const std::string& keep_id) = 0;
};

}  // namespace cozeauth::store
