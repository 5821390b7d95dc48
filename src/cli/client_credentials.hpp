#pragma once
// The credentials file of the client commands (`cozeauth login`, `whoami`, `chat`; docs/cli.md,
// "Client commands"): one JSON object per file,
//
//   {"version": 1, "type": "token" | "device" | "jwt", "base_url": "…", …}
//     token:  "access_token" (a PAT or SAT)
//     device: "client_id", "access_token", "refresh_token", "expires_in" (absolute Unix seconds)
//     jwt:    "client_id", "config_file" (absolute path of the SDK config; the key stays there)
//
// written atomically (a 0600 temporary file renamed over it) in a 0700 directory. Built on the
// SDK only (coze::Result, coze::OAuthAuth), like the commands. Failures are coze::Error with
// code coze::kClientErrorCode. Functions are reentrant; concurrent writers of one file are
// serialized only by CredentialsLock.

#include <coze/auth.hpp>
#include <coze/error.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace cozeauth::cli {

struct Credentials {
  std::string type;  // token | device | jwt
  std::string base_url, client_id, access_token, refresh_token, config_file;
  int64_t expires_in = 0;
};

// A failure of the client side (bad file, bad arguments).
coze::Error LocalError(std::string msg);

// $XDG_CONFIG_HOME/cozeauth/credentials.json (when that is an absolute path), else
// ~/.config/cozeauth/credentials.json.
std::string DefaultCredentialsPath();

// The file's credential; nullopt when the file does not exist; an Error when it cannot be read
// or is not a complete version-1 credential. Warns on stderr when others may read it.
coze::Result<std::optional<Credentials>> ReadCredentials(const std::string& path);

// Replaces the file atomically, creating missing directories with mode 0700.
coze::Status WriteCredentials(const std::string& path, const Credentials& c);

// An exclusive flock on "<path>.lock" for the object's lifetime (a no-op when the lock file
// cannot be opened).
class CredentialsLock {
 public:
  explicit CredentialsLock(const std::string& path);
  ~CredentialsLock();
  CredentialsLock(const CredentialsLock&) = delete;
  CredentialsLock& operator=(const CredentialsLock&) = delete;

 private:
  int fd_;
};

// A coze::OAuthAuth over a stored device (OBO) token. Its refresher holds the CredentialsLock
// and re-reads the file first: refresh tokens rotate and presenting a spent one revokes its
// whole family (architecture.md §6), so two commands must never both spend the same one. A
// pair another command has already rotated in is taken over; otherwise the refresh token is
// spent and the new pair written back (a failed write is a warning on stderr).
std::shared_ptr<coze::Auth> StoredDeviceAuth(const std::string& path, const Credentials& stored);

}  // namespace cozeauth::cli
