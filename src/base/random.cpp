#include "base/random.hpp"

#include <sodium.h>

#include <cstring>
#include <stdexcept>

namespace cozeauth {

uint64_t SecureRandom::NextU64() {
  uint64_t v;
  Fill(&v, sizeof v);
  return v;
}

std::string SecureRandom::String(size_t n, std::string_view alphabet) {
  const size_t k = alphabet.size();
  // Largest multiple of k that fits in a byte: bytes at or above it are rejected so that every
  // symbol is equally likely.
  const unsigned limit = 256 - (256 % k);
  std::string out;
  out.reserve(n);
  unsigned char buf[64];
  while (out.size() < n) {
    Fill(buf, sizeof buf);
    for (unsigned char b : buf) {
      if (b >= limit) continue;
      out.push_back(alphabet[b % k]);
      if (out.size() == n) break;
    }
  }
  return out;
}

std::string SecureRandom::Alnum(size_t n) {
  return String(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
}

OsRandom::OsRandom() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium initialisation failed");
}

void OsRandom::Fill(void* out, size_t n) { randombytes_buf(out, n); }

OsRandom& OsRandom::Instance() {
  static OsRandom random;
  return random;
}

void SeededRandom::Fill(void* out, size_t n) {
  std::lock_guard lock(mu_);
  auto* p = static_cast<unsigned char*>(out);
  for (size_t i = 0; i < n; i += 8) {
    // splitmix64
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    std::memcpy(p + i, &z, std::min<size_t>(8, n - i));
  }
}

}  // namespace cozeauth
