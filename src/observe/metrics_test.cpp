// The metrics registry: aggregation across threads and the Prometheus text exposition format
// (HELP/TYPE lines, the cozeauth_ prefix, escaped labels, cumulative histogram buckets).

#include "observe/metrics.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

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
  const std::string text = r.Exposition(Registry::CacheStats{3, 1});

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
  EXPECT_TRUE(HasLine(r.Exposition(Registry::CacheStats{}), "cozeauth_auth_cache_hit_ratio 0"));
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
