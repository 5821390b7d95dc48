#pragma once
// Deps: what route handlers need, built once by the composition root (cli/serve.cpp) and shared
// by every request. All members are thread-safe.

#include <string>

#include "api/authenticator.hpp"
#include "base/clock.hpp"
#include "base/ids.hpp"
#include "base/random.hpp"
#include "store/store.hpp"

namespace cozeauth::api {

struct Deps {
  store::Store& store;
  Authenticator& auth;
  const Clock& clock;
  SecureRandom& random;
  IdGenerator& ids;
  std::string files_dir;  // where uploaded file bytes are kept
};

}  // namespace cozeauth::api
