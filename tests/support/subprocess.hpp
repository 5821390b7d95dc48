#pragma once
// Child processes for the integration tests: run a command to completion capturing its output,
// or spawn a long-running one (the server) with stdout and stderr sent to files. The child's
// environment is the test's, minus every COZEAUTH_* variable (so a developer's shell settings
// cannot leak into a test), plus the variables given. Not thread-safe across concurrent
// spawns of the same object; the free functions are safe to call from one test thread.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cozeauth::it {

using EnvVars = std::vector<std::pair<std::string, std::string>>;

struct ProcessResult {
  int exit_code = -1;  // the exit status; 128 + signal number when killed by a signal
  bool timed_out = false;
  std::string out;
  std::string err;
};

// Runs argv[0] (a path) with argv, waits up to `timeout` (then SIGKILL, timed_out = true).
// Throws std::runtime_error when the process cannot be started.
ProcessResult RunProcess(const std::vector<std::string>& argv, const EnvVars& env,
                         std::chrono::milliseconds timeout = std::chrono::seconds(60));

// Starts argv[0] with stdout and stderr appended to the given files; returns its pid.
// Throws std::runtime_error when the process cannot be started.
pid_t SpawnProcess(const std::vector<std::string>& argv, const EnvVars& env,
                   const std::filesystem::path& stdout_path,
                   const std::filesystem::path& stderr_path);

// Waits for `pid` up to `timeout`; the decoded exit status, or nullopt if still running.
std::optional<int> WaitProcess(pid_t pid, std::chrono::milliseconds timeout);

// Whether `pid` (a child of this process) has exited; reaps it and returns its status if so.
std::optional<int> PollProcess(pid_t pid);

}  // namespace cozeauth::it
