#include "observe/process_stats.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace cozeauth::observe {
namespace {

// The whole of a small procfs file ("" when it cannot be read).
std::string ReadSmallFile(const char* path) {
  std::string text;
  if (FILE* f = std::fopen(path, "re")) {
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    std::fclose(f);
  }
  return text;
}

template <typename T>
bool ParseNumber(std::string_view s, T& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

// /proc/stat's "btime N" line: when the machine booted, in seconds since the epoch.
std::optional<int64_t> BootTime() {
  const std::string text = ReadSmallFile("/proc/stat");
  std::string_view rest(text);
  while (!rest.empty()) {
    const size_t eol = rest.find('\n');
    const std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
    if (line.starts_with("btime ")) {
      int64_t t = 0;
      if (ParseNumber(line.substr(6), t)) return t;
      return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<ProcessStats> ParseProcStat(std::string_view stat, long ticks_per_second,
                                          long page_size, int64_t boot_time) {
  if (ticks_per_second <= 0 || page_size <= 0) return std::nullopt;
  const size_t close = stat.rfind(')');
  if (close == std::string_view::npos) return std::nullopt;
  // Fields from the third (state) on, space-separated.
  std::vector<std::string_view> fields;
  std::string_view rest = stat.substr(close + 1);
  while (!rest.empty()) {
    const size_t start = rest.find_first_not_of(" \n");
    if (start == std::string_view::npos) break;
    rest.remove_prefix(start);
    const size_t end = rest.find_first_of(" \n");
    fields.push_back(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  }
  // proc(5) numbers the fields from 1 (pid); fields[0] is field 3.
  constexpr size_t kUtime = 14 - 3, kStime = 15 - 3, kStart = 22 - 3, kVsize = 23 - 3,
                   kRss = 24 - 3;
  if (fields.size() <= kRss) return std::nullopt;
  uint64_t utime = 0, stime = 0, start = 0, vsize = 0;
  int64_t rss = 0;  // pages; signed in proc(5)
  if (!ParseNumber(fields[kUtime], utime) || !ParseNumber(fields[kStime], stime) ||
      !ParseNumber(fields[kStart], start) || !ParseNumber(fields[kVsize], vsize) ||
      !ParseNumber(fields[kRss], rss)) {
    return std::nullopt;
  }
  ProcessStats s;
  const auto ticks = static_cast<double>(ticks_per_second);
  s.cpu_seconds = static_cast<double>(utime + stime) / ticks;
  s.virtual_bytes = vsize;
  s.resident_bytes = rss > 0 ? static_cast<uint64_t>(rss) * static_cast<uint64_t>(page_size) : 0;
  s.start_time_seconds = static_cast<double>(boot_time) + static_cast<double>(start) / ticks;
  return s;
}

std::optional<ProcessStats> ReadProcessStats() {
  const auto boot = BootTime();
  if (!boot) return std::nullopt;
  auto s = ParseProcStat(ReadSmallFile("/proc/self/stat"), sysconf(_SC_CLK_TCK),
                         sysconf(_SC_PAGESIZE), *boot);
  if (!s) return std::nullopt;
  std::error_code ec;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
       it.increment(ec)) {
    ++s->open_fds;
  }
  if (rlimit limit{}; getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    s->max_fds = limit.rlim_cur;
  }
  return s;
}

}  // namespace cozeauth::observe
