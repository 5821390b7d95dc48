#pragma once
// toml++ for cozeauth: include this instead of <toml++/toml.h>.
//
// toml++ 3.3 (Debian 12) asserts on some malformed files that its parser then rejects anyway
// ("[.a]"; fuzz/fuzz_serve_config found it). Debian ships the parser compiled without
// assertions, but the parts of toml++ inlined into our translation units honour TOML_ASSERT, so
// it is switched off here and every build reports the parse error instead of aborting.
// TOML_ASSERT is toml++'s documented override; it must be defined before the library header,
// and CMake cannot pass a function-style macro on the command line (it drops it with a warning).

#define TOML_ASSERT(expr) static_cast<void>(0)
#include <toml++/toml.h>
