// The metrics registry: aggregation across threads and the Prometheus text exposition format
// (HELP/TYPE lines, the cozeauth_ prefix, escaped labels, cumulative histogram buckets).

#include "observe/metrics.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "observe/process_stats.hpp"

namespace cozeauth::observe {
namespace {

using std::chrono::microseconds;
using std::chrono::nanoseconds;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

bool HasLine(const std::string& text, const std::string& line) {
  for (const auto& l : Lines(text)) {
    if (l == line) return true;
  }
  return false;
}

TEST(EscapeLabelValue, EscapesBackslashQuoteAndNewline) {
  EXPECT_EQ(EscapeLabelValue("/v1/bots/{bot_id}"), "/v1/bots/{bot_id}");
  EXPECT_EQ(EscapeLabelValue(R"(a\b"c)"), R"(a\\b\"c)");
  EXPECT_EQ(EscapeLabelValue("a\nb"), "a\\nb");
}

TEST(Registry, ExpositionIsWellFormedPrometheusText) {
  Registry r;
  r.CountRequest("/v1/users/me", "pat", 0, microseconds(300));
  r.CountRequest("/v1/users/me", "pat", 0, microseconds(300));
  r.CountRequest("/v1/bots/{bot_id}", "pat", 4101, microseconds(700));
  r.CountRequest("/odd\"route\\\n", "-", 4000, microseconds(1));
  r.ObserveDecision(nanoseconds(3'000));
  r.TokenIssued("pat");
  const std::string text = r.Exposition({.cache = Registry::CacheStats{3, 1}});

  // Every line is a comment (# HELP / # TYPE) or a sample "name{labels} value".
  const std::regex sample(R"(^cozeauth_[a-z_]+(\{([a-z_]+="([^"\\]|\\.)*",?)+\})? [0-9.e+-]+$)");
  const std::regex comment(R"(^# (HELP|TYPE) cozeauth_[a-z_]+ .+$)");
  for (const auto& line : Lines(text)) {
    EXPECT_TRUE(std::regex_match(line, sample) || std::regex_match(line, comment)) << line;
  }
  EXPECT_TRUE(HasLine(text, "# TYPE cozeauth_http_requests_total counter"));
  EXPECT_TRUE(HasLine(
      text, R"(cozeauth_http_requests_total{route="/v1/users/me",credential="pat",code="0"} 2)"));
  EXPECT_TRUE(HasLine(
      text,
      R"(cozeauth_http_requests_total{route="/v1/bots/{bot_id}",credential="pat",code="4101"} 1)"));
  EXPECT_TRUE(HasLine(
      text,
      R"(cozeauth_http_requests_total{route="/odd\"route\\\n",credential="-",code="4000"} 1)"));
  EXPECT_TRUE(HasLine(text, "# TYPE cozeauth_auth_decision_duration_seconds histogram"));
  EXPECT_TRUE(HasLine(text, "# TYPE cozeauth_http_request_duration_seconds histogram"));
  EXPECT_TRUE(HasLine(text, R"(cozeauth_tokens_issued_total{grant_type="pat"} 1)"));
  EXPECT_TRUE(HasLine(text, R"(cozeauth_tokens_issued_total{grant_type="jwt_bearer"} 0)"));
  EXPECT_TRUE(HasLine(text, "cozeauth_auth_cache_hits_total 3"));
  EXPECT_TRUE(HasLine(text, "cozeauth_auth_cache_misses_total 1"));
  EXPECT_TRUE(HasLine(text, "cozeauth_auth_cache_hit_ratio 0.75"));
  // Each metric family has exactly one HELP and one TYPE line.
  for (const char* family :
       {"cozeauth_http_requests_total", "cozeauth_auth_decision_duration_seconds",
        "cozeauth_tokens_issued_total", "cozeauth_auth_cache_hit_ratio"}) {
    int help = 0, type = 0;
    for (const auto& line : Lines(text)) {
      if (line.rfind(std::string("# HELP ") + family + " ", 0) == 0) ++help;
      if (line.rfind(std::string("# TYPE ") + family + " ", 0) == 0) ++type;
    }
    EXPECT_EQ(help, 1) << family;
    EXPECT_EQ(type, 1) << family;
  }
}

TEST(Registry, CacheSeriesOnlyWhenGiven) {
  Registry r;
  EXPECT_EQ(r.Exposition().find("cozeauth_auth_cache"), std::string::npos);
  EXPECT_TRUE(
      HasLine(r.Exposition({.cache = Registry::CacheStats{}}), "cozeauth_auth_cache_hit_ratio 0"));
}

TEST(Registry, TokenCacheStoreAndProcessSeriesOnlyWhenGiven) {
  Registry r;
  const std::string bare = r.Exposition();
  for (const char* name : {"cozeauth_token_cache", "cozeauth_store_memory", "process_"}) {
    EXPECT_EQ(bare.find(name), std::string::npos) << name;
  }
  const std::string text = r.Exposition({
      .tokens = Registry::TokenCacheStats{.known = 7,
                                          .unknown = 2,
                                          .known_capacity = 1'016'000,
                                          .unknown_capacity = 65'536,
                                          .known_evictions = 3,
                                          .unknown_evictions = 11},
      .process = ProcessStats{.cpu_seconds = 12.5,
                              .resident_bytes = 233'000'000,
                              .virtual_bytes = 900'000'000,
                              .open_fds = 40,
                              .max_fds = 1024,
                              .start_time_seconds = 1'764'876'000.25},
      .store_memory_bytes = 17'000'000,
  });
  for (const char* line : {
           "# TYPE cozeauth_token_cache_entries gauge",
           R"(cozeauth_token_cache_entries{kind="known"} 7)",
           R"(cozeauth_token_cache_entries{kind="unknown"} 2)",
           R"(cozeauth_token_cache_capacity{kind="known"} 1016000)",
           R"(cozeauth_token_cache_capacity{kind="unknown"} 65536)",
           "# TYPE cozeauth_token_cache_evictions_total counter",
           R"(cozeauth_token_cache_evictions_total{kind="known"} 3)",
           R"(cozeauth_token_cache_evictions_total{kind="unknown"} 11)",
           "# TYPE cozeauth_store_memory_bytes gauge",
           "cozeauth_store_memory_bytes 17000000",
           "# TYPE process_cpu_seconds_total counter",
           "process_cpu_seconds_total 12.5",
           "process_resident_memory_bytes 233000000",
           "process_virtual_memory_bytes 900000000",
           "process_open_fds 40",
           "process_max_fds 1024",
           "process_start_time_seconds 1764876000.25",
       }) {
    EXPECT_TRUE(HasLine(text, line)) << line;
  }
}

TEST(ProcessStats, ParsesProcStatCountingFieldsFromTheLastParenthesis) {
  // proc(5): pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
  // utime stime cutime cstime priority nice num_threads itrealvalue starttime vsize rss …
  // The command name holds a space and a ") " of its own.
  const std::string stat =
      "4242 (cz worker) 1) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 150 0 0 20 0 9 0 "
      "1234500 987654321 5000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
  const auto s = ParseProcStat(stat, /*ticks_per_second=*/100, /*page_size=*/4096,
                               /*boot_time=*/1'764'800'000);
  ASSERT_TRUE(s.has_value());
  EXPECT_DOUBLE_EQ(s->cpu_seconds, 4.0);  // (250 + 150) / 100
  EXPECT_EQ(s->virtual_bytes, 987'654'321u);
  EXPECT_EQ(s->resident_bytes, 5000u * 4096u);
  EXPECT_DOUBLE_EQ(s->start_time_seconds, 1'764'800'000 + 12'345.0);
}

TEST(ProcessStats, RefusesTextThatIsNotAStatLine) {
  for (const std::string bad : {"", "4242 cz-worker S 1 2 3", "4242 (x) S 1 2 3 4 5",
                                "1 (x) S 1 1 1 0 -1 0 0 0 0 0 ten 5 0 0 20 0 1 0 9 9 9"}) {
    EXPECT_FALSE(ParseProcStat(bad, 100, 4096, 0).has_value()) << bad;
  }
  EXPECT_FALSE(ParseProcStat("1 (x) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 9 9 9", 0, 4096, 0));
}

TEST(ProcessStats, ReadsThisProcess) {
  const auto s = ReadProcessStats();
  ASSERT_TRUE(s.has_value());
  EXPECT_GT(s->resident_bytes, 0u);
  EXPECT_GE(s->virtual_bytes, s->resident_bytes);
  EXPECT_GE(s->open_fds, 3u);  // stdin, stdout, stderr at least
  EXPECT_GT(s->start_time_seconds, 1'600'000'000.0);
}

TEST(Registry, HistogramBucketsAreCumulativeWithInfEqualToCount) {
  Registry r;
  r.ObserveDecision(nanoseconds(1'000));          // <= 5 µs
  r.ObserveDecision(nanoseconds(5'000));          // <= 5 µs (le is inclusive)
  r.ObserveDecision(nanoseconds(40'000));         // <= 50 µs
  r.ObserveDecision(nanoseconds(1'000'000'000));  // > every bound
  const std::string text = r.Exposition();
  EXPECT_TRUE(HasLine(text, R"(cozeauth_auth_decision_duration_seconds_bucket{le="0.000005"} 2)"));
  EXPECT_TRUE(HasLine(text, R"(cozeauth_auth_decision_duration_seconds_bucket{le="0.00005"} 3)"));
  EXPECT_TRUE(HasLine(text, R"(cozeauth_auth_decision_duration_seconds_bucket{le="0.1"} 3)"));
  EXPECT_TRUE(HasLine(text, R"(cozeauth_auth_decision_duration_seconds_bucket{le="+Inf"} 4)"));
  EXPECT_TRUE(HasLine(text, "cozeauth_auth_decision_duration_seconds_count 4"));
  EXPECT_TRUE(HasLine(text, "cozeauth_auth_decision_duration_seconds_sum 1.000046"));
  auto snap = r.Decisions();
  EXPECT_EQ(snap.count, 4u);
  for (size_t i = 1; i < snap.cumulative.size(); ++i) {
    EXPECT_GE(snap.cumulative[i], snap.cumulative[i - 1]);
  }
}

TEST(Registry, TokensIssuedByGrantTypeOtherForUnknown) {
  Registry r;
  for (auto g : Registry::kGrantTypes) r.TokenIssued(g);
  r.TokenIssued("jwt_bearer");
  r.TokenIssued("password");
  EXPECT_EQ(r.TokensIssued("jwt_bearer"), 2u);
  EXPECT_EQ(r.TokensIssued("device_code"), 1u);
  EXPECT_TRUE(HasLine(r.Exposition(), R"(cozeauth_tokens_issued_total{grant_type="other"} 1)"));
}

TEST(Registry, CountsFromManyThreadsSumExactly) {
  Registry r;
  constexpr int kThreads = 8;
  constexpr int kPerThread = 5000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&r, t] {
      for (int i = 0; i < kPerThread; ++i) {
        r.CountRequest("/v1/chat", "pat", i % 2 == 0 ? 0 : 4101, microseconds(10));
        r.CountRequest("/t" + std::to_string(t), "sat", 0, microseconds(10));
        r.ObserveDecision(nanoseconds(100));
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(r.Requests("/v1/chat", "pat", 0), uint64_t{kThreads * kPerThread / 2});
  EXPECT_EQ(r.Requests("/v1/chat", "pat", 4101), uint64_t{kThreads * kPerThread / 2});
  EXPECT_EQ(r.Requests("/t3", "sat", 0), uint64_t{kPerThread});
  EXPECT_EQ(r.Requests("/t3", "pat", 0), 0u);
  EXPECT_EQ(r.Decisions().count, uint64_t{kThreads * kPerThread});
  // Merged into one sample per series, whatever the shards.
  const std::string text = r.Exposition();
  EXPECT_TRUE(HasLine(text,
                      "cozeauth_http_requests_total{route=\"/v1/chat\",credential=\"pat\","
                      "code=\"0\"} " +
                          std::to_string(kThreads * kPerThread / 2)));
  EXPECT_TRUE(HasLine(text, "cozeauth_http_request_duration_seconds_count " +
                                std::to_string(2 * kThreads * kPerThread)));
}

}  // namespace
}  // namespace cozeauth::observe
