#include "credentials/token.hpp"

#include <array>
#include <utility>

#include "base/crypto.hpp"

namespace cozeauth::credentials {
namespace {

struct KindInfo {
  TokenKind kind;
  std::string_view prefix;
  std::string_view name;
};
constexpr std::array<KindInfo, 4> kKinds{{{TokenKind::kPat, "pat_", "pat"},
                                          {TokenKind::kSat, "sat_", "sat"},
                                          {TokenKind::kOboAccess, "czu_", "obo"},
                                          {TokenKind::kAppAccess, "czs_", "app"}}};

}  // namespace

std::string_view Prefix(TokenKind kind) {
  for (const auto& k : kKinds) {
    if (k.kind == kind) return k.prefix;
  }
  return "";
}

std::string_view ToString(TokenKind kind) {
  for (const auto& k : kKinds) {
    if (k.kind == kind) return k.name;
  }
  return "unknown";
}

std::optional<TokenKind> ParseTokenKind(std::string_view s) {
  for (const auto& k : kKinds) {
    if (k.name == s) return k.kind;
  }
  return std::nullopt;
}

std::optional<TokenKind> KindOfBearer(std::string_view bearer) {
  for (const auto& k : kKinds) {
    if (bearer.substr(0, k.prefix.size()) == k.prefix) return k.kind;
  }
  return std::nullopt;
}

bool IsUserBound(TokenKind kind) {
  return kind == TokenKind::kPat || kind == TokenKind::kOboAccess;
}

std::string_view ToString(ContextKind kind) {
  switch (kind) {
    case ContextKind::kPersonal:
      return "personal";
    case ContextKind::kOrganization:
      return "organization";
    case ContextKind::kEnterprise:
      return "enterprise";
  }
  return "unknown";
}

std::optional<ContextKind> ParseContextKind(std::string_view s) {
  if (s == "personal") return ContextKind::kPersonal;
  if (s == "organization") return ContextKind::kOrganization;
  if (s == "enterprise") return ContextKind::kEnterprise;
  return std::nullopt;
}

MintedSecret MintToken(TokenKind kind, SecureRandom& random) {
  MintedSecret s;
  s.plaintext = std::string(Prefix(kind)) + random.Alnum(kTokenRandomChars);
  s.hash_hex = Sha256Hex(s.plaintext);
  return s;
}

std::string HashToken(std::string_view bearer) { return Sha256Hex(bearer); }

}  // namespace cozeauth::credentials
