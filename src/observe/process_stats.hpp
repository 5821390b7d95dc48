#pragma once
// The standard Prometheus process series (as the official client libraries export them on
// Linux), read from /proc/self when `GET /metrics` is scraped: CPU time, resident and virtual
// memory, open and maximum file descriptors, start time. Reading them costs a few reads of
// procfs (in memory, never the disk) and one directory listing of /proc/self/fd.

#include <cstdint>
#include <optional>
#include <string_view>

namespace cozeauth::observe {

struct ProcessStats {
  double cpu_seconds = 0;       // user + system
  uint64_t resident_bytes = 0;  // VmRSS
  uint64_t virtual_bytes = 0;   // VmSize
  uint64_t open_fds = 0;
  uint64_t max_fds = 0;           // the soft RLIMIT_NOFILE
  double start_time_seconds = 0;  // since the Unix epoch
};

// This process's figures; nullopt where /proc is not mounted (then /metrics leaves them out).
std::optional<ProcessStats> ReadProcessStats();

// The fields of /proc/PID/stat that ProcessStats takes (utime, stime, starttime, vsize, rss),
// in seconds and bytes. The command name in parentheses may hold spaces and parentheses of its
// own: the fields are counted from the last ')'. nullopt for text that is not such a line.
// `boot_time` is /proc/stat's btime (seconds since the epoch).
std::optional<ProcessStats> ParseProcStat(std::string_view stat, long ticks_per_second,
                                          long page_size, int64_t boot_time);

}  // namespace cozeauth::observe
