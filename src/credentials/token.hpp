#pragma once
// Credentials that a bearer token stands for (architecture.md §6): personal access tokens,
// service access tokens, and (later) OAuth access tokens. A token string is a kind prefix plus
// 64 characters from the CSPRNG; only SHA-256(token) is ever stored or compared. Value types.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/random.hpp"

namespace cozeauth::credentials {

enum class TokenKind {
  kPat,        // pat_: personal access token, bound to a user
  kSat,        // sat_: service access token, a service identity of an account
  kOboAccess,  // czu_: OAuth access token acting on behalf of a user
  kAppAccess,  // czs_: OAuth access token of an app acting as itself (JWT bearer)
};

std::string_view Prefix(TokenKind kind);
std::string_view ToString(TokenKind kind);  // "pat", "sat", "obo", "app"
std::optional<TokenKind> ParseTokenKind(std::string_view s);
// The kind a presented bearer string claims by its prefix, if any.
std::optional<TokenKind> KindOfBearer(std::string_view bearer);
// True for credentials whose reach follows a user's live roles (PAT, OBO).
bool IsUserBound(TokenKind kind);

inline constexpr size_t kTokenRandomChars = 64;

// The account a credential acts in (architecture.md §4 "credential account context").
enum class ContextKind { kPersonal, kOrganization, kEnterprise };
std::string_view ToString(ContextKind kind);
std::optional<ContextKind> ParseContextKind(std::string_view s);

struct Context {
  ContextKind kind = ContextKind::kPersonal;
  std::string account_id;     // personal or organization account; default org for kEnterprise
  std::string enterprise_id;  // set for kOrganization and kEnterprise
};

// What a credential was granted, split by permission level (coze-platform.md §2.2).
struct Grant {
  std::vector<std::string> account_permissions;
  std::vector<std::string> workspace_permissions;
  std::vector<std::string> enterprise_permissions;
  bool all_workspaces = false;             // present and future workspaces of the context
  std::vector<std::string> workspace_ids;  // when !all_workspaces
  // JWT connector scope (coze-protocol.md §5.1 bot_id_list): the only bots reachable; empty =
  // every bot the rest of the grant reaches.
  std::vector<std::string> bot_ids;
};

struct Token {
  std::string id;
  TokenKind kind = TokenKind::kPat;
  std::string name;
  std::string token_hash;  // lower-case hex SHA-256 of the plaintext
  std::string user_id;     // PAT/OBO: the user; SAT: the creating user (not the principal)
  Context context;
  Grant grant;
  std::string session_name;      // JWT conversation isolation; empty otherwise
  std::string app_id;            // OAuth tokens: the app that obtained it; empty otherwise
  std::string authorization_id;  // OAuth tokens: the authorization it was issued through
  int64_t created_at = 0;
  int64_t updated_at = 0;
  int64_t expires_at = -1;  // -1 = permanent
  int64_t revoked_at = 0;   // 0 = not revoked
  int64_t last_used_at = -1;

  bool Expired(int64_t now) const { return expires_at >= 0 && now >= expires_at; }
  bool Revoked() const { return revoked_at != 0; }
};

// A freshly minted secret: the plaintext (shown once) and its digest (stored).
struct MintedSecret {
  std::string plaintext;
  std::string hash_hex;
};

MintedSecret MintToken(TokenKind kind, SecureRandom& random);
// Digest of a presented bearer string, as stored.
std::string HashToken(std::string_view bearer);

// Lifetimes (coze-platform.md §3.1, §4).
inline constexpr int kPatMinDays = 1;
inline constexpr int kPatMaxDays = 30;
inline constexpr int64_t kSecondsPerDay = 86400;

}  // namespace cozeauth::credentials
