#pragma once
// Thread names, as `top -H`, `ps -L`, perf, gdb and /proc/PID/task/*/comm show them: each thread
// the server starts is named for its job ("cz-worker", "cz-commit", …), so that a profile or a
// per-thread CPU count says which job costs what. The process's main thread keeps the program's
// name (renaming it would rename the process for ps and pkill).

#include <string>
#include <string_view>

namespace cozeauth {

// Names the calling thread; Linux keeps the first 15 bytes. Best effort: a failure is ignored.
void NameThisThread(std::string_view name);

// The calling thread's name ("" when it cannot be read).
std::string CurrentThreadName();

}  // namespace cozeauth
