#include "base/thread_name.hpp"

#include <pthread.h>

#include <algorithm>
#include <array>
#include <string>

namespace cozeauth {

void NameThisThread(std::string_view name) {
  std::array<char, 16> buf{};  // 15 bytes and the terminator: the kernel's limit
  const size_t n = std::min(name.size(), buf.size() - 1);
  std::copy_n(name.data(), n, buf.data());
  (void)pthread_setname_np(pthread_self(), buf.data());
}

std::string CurrentThreadName() {
  std::array<char, 16> buf{};
  if (pthread_getname_np(pthread_self(), buf.data(), buf.size()) != 0) return {};
  return buf.data();
}

}  // namespace cozeauth
