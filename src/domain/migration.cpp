#include "domain/migration.hpp"

namespace cozeauth::domain {

std::string_view ToString(MigrationMode m) { return m == MigrationMode::kCut ? "cut" : "grant"; }

std::optional<MigrationMode> ParseMigrationMode(std::string_view s) {
  if (s == "cut") return MigrationMode::kCut;
  if (s == "grant") return MigrationMode::kGrant;
  return std::nullopt;
}

std::string_view ToString(GrantedCredential k) {
  return k == GrantedCredential::kPat ? "pat" : "app";
}

std::optional<GrantedCredential> ParseGrantedCredential(std::string_view s) {
  if (s == "pat") return GrantedCredential::kPat;
  if (s == "app") return GrantedCredential::kApp;
  return std::nullopt;
}

}  // namespace cozeauth::domain
