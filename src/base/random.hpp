#pragma once
// SecureRandom: the only source of randomness outside src/base. OsRandom draws from the kernel
// CSPRNG (libsodium randombytes_buf) and is what every secret comes from. SeededRandom is a
// deterministic generator for tests only; it is not secure. Both are safe for concurrent use.

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>

namespace cozeauth {

class SecureRandom {
 public:
  virtual ~SecureRandom() = default;
  virtual void Fill(void* out, size_t n) = 0;

  uint64_t NextU64();
  // `n` characters drawn uniformly (rejection sampling) from `alphabet` (at most 256 symbols).
  std::string String(size_t n, std::string_view alphabet);
  // `n` characters from [A-Za-z0-9]: the token alphabet (coze-protocol.md §6).
  std::string Alnum(size_t n);
};

class OsRandom final : public SecureRandom {
 public:
  OsRandom();
  void Fill(void* out, size_t n) override;
  static OsRandom& Instance();
};

class SeededRandom final : public SecureRandom {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed ? seed : 0x9E3779B97F4A7C15ull) {}
  void Fill(void* out, size_t n) override;

 private:
  std::mutex mu_;
  uint64_t state_;
};

}  // namespace cozeauth
