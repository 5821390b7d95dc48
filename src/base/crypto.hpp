#pragma once
// Digests, encodings and comparisons used for credentials. Pure functions; thread-safe.

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace cozeauth {

using Sha256Digest = std::array<unsigned char, 32>;

Sha256Digest Sha256(std::string_view data);
// Lower-case hex of SHA-256(data): how every token, secret and code is stored.
std::string Sha256Hex(std::string_view data);

std::string HexEncode(std::string_view bytes);
std::string Base64UrlEncode(std::string_view bytes);  // RFC 4648 §5, no padding
std::optional<std::string> Base64UrlDecode(std::string_view text);

// Constant-time equality (CRYPTO_memcmp); lengths are not secret.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Password hashing for console logins: Argon2id via libsodium crypto_pwhash_str (interactive
// limits). Never used on the API hot path.
std::string HashPassword(std::string_view password);
bool VerifyPassword(std::string_view password, const std::string& stored_hash);

}  // namespace cozeauth
