#include "observe/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>

namespace cozeauth::observe {
namespace {

// Decision latency: microseconds when the cache answers, milliseconds when the store does.
const std::vector<double> kDecisionBounds = {0.000005, 0.00001, 0.000025, 0.00005, 0.0001,
                                             0.00025,  0.0005,  0.001,    0.0025,  0.005,
                                             0.01,     0.025,   0.1};
const std::vector<double> kRequestBounds = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                            0.01,   0.025,   0.05,   0.1,   0.25,   0.5,
                                            1,      2.5,     5,      10};

std::atomic<size_t> g_next_shard{0};

// Prometheus floats: shortest form that reads back ("0.000005", "1", "2.5").
std::string FormatDouble(double v) {
  char buf[64];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  std::string s(buf);
  // Prometheus accepts exponents, but plain decimals read better for bucket bounds.
  if (s.find('e') != std::string::npos) {
    std::snprintf(buf, sizeof buf, "%.9f", v);
    s = buf;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  return s;
}

void Header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;  // constant text without backslashes or newlines
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void Sample(std::string& out, std::string_view name, std::string_view labels,
            std::string_view value) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    out += labels;
    out += '}';
  }
  out += ' ';
  out += value;
  out += '\n';
}

void HistogramSamples(std::string& out, std::string_view name, std::string_view help,
                      const Histogram& h) {
  Header(out, name, "histogram", help);
  const Histogram::Snapshot s = h.Collect();
  const std::string bucket = std::string(name) + "_bucket";
  for (size_t i = 0; i < h.bounds().size(); ++i) {
    Sample(out, bucket, "le=\"" + FormatDouble(h.bounds()[i]) + "\"",
           std::to_string(s.cumulative[i]));
  }
  Sample(out, bucket, "le=\"+Inf\"", std::to_string(s.count));
  Sample(out, std::string(name) + "_sum", "", FormatDouble(s.sum_seconds));
  Sample(out, std::string(name) + "_count", "", std::to_string(s.count));
}

}  // namespace

size_t ThisThreadShard() {
  thread_local const size_t shard = g_next_shard.fetch_add(1, std::memory_order_relaxed) % kShards;
  return shard;
}

std::string EscapeLabelValue(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// --- Histogram

Histogram::Histogram(std::vector<double> bounds_seconds)
    : bounds_(std::move(bounds_seconds)), shards_(std::make_unique<Shard[]>(kShards)) {
  if (bounds_.size() > kMaxBuckets) bounds_.resize(kMaxBuckets);
  for (double b : bounds_) bounds_ns_.push_back(static_cast<int64_t>(std::llround(b * 1e9)));
}

void Histogram::Observe(std::chrono::nanoseconds d) {
  const int64_t ns = std::max<int64_t>(0, d.count());
  size_t i = 0;
  while (i < bounds_ns_.size() && ns > bounds_ns_[i]) ++i;  // le: value <= bound
  Shard& s = shards_[ThisThreadShard()];
  s.buckets[i].fetch_add(1, std::memory_order_relaxed);
  s.sum_ns.fetch_add(static_cast<uint64_t>(ns), std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Collect() const {
  std::vector<uint64_t> per_bucket(bounds_.size() + 1, 0);
  uint64_t sum_ns = 0;
  for (size_t s = 0; s < kShards; ++s) {
    for (size_t i = 0; i < per_bucket.size(); ++i) {
      per_bucket[i] += shards_[s].buckets[i].load(std::memory_order_relaxed);
    }
    sum_ns += shards_[s].sum_ns.load(std::memory_order_relaxed);
  }
  Snapshot out;
  uint64_t running = 0;
  for (uint64_t n : per_bucket) {
    running += n;
    out.cumulative.push_back(running);
  }
  out.count = running;
  out.sum_seconds = static_cast<double>(sum_ns) / 1e9;
  return out;
}

// --- Registry

size_t Registry::KeyHash::operator()(const KeyView& k) const {
  size_t h = std::hash<std::string_view>{}(k.route);
  h ^= std::hash<std::string_view>{}(k.credential) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h ^= std::hash<int>{}(k.code) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}

Registry::Registry()
    : request_shards_(std::make_unique<RequestShard[]>(kShards)),
      request_latency_(kRequestBounds),
      decisions_(kDecisionBounds) {}

void Registry::CountRequest(std::string_view route, std::string_view credential, int code,
                            std::chrono::microseconds latency) {
  request_latency_.Observe(latency);
  RequestShard& shard = request_shards_[ThisThreadShard()];
  const KeyView key{route, credential, code};
  std::lock_guard lock(shard.mu);
  auto it = shard.counts.find(key);
  if (it != shard.counts.end()) {
    ++it->second;
    return;
  }
  // First request of this series on this thread: the only allocation.
  shard.counts.emplace(Key{std::string(route), std::string(credential), code}, 1);
}

void Registry::ObserveDecision(std::chrono::nanoseconds d) { decisions_.Observe(d); }

void Registry::TokenIssued(std::string_view grant_type) {
  size_t i = 0;
  while (i < kGrantTypes.size() && kGrantTypes[i] != grant_type) ++i;
  tokens_issued_[i].fetch_add(1, std::memory_order_relaxed);
}

void Registry::StatsFlushFailed() { flush_failures_.fetch_add(1, std::memory_order_relaxed); }

void Registry::CountRehearsal(std::string_view rehearsal_id, bool would_fail, uint64_t n) {
  std::lock_guard lock(rehearsal_mu_);
  rehearsal_requests_[{std::string(rehearsal_id), would_fail}] += n;
}

uint64_t Registry::RehearsalRequests(std::string_view rehearsal_id, bool would_fail) const {
  std::lock_guard lock(rehearsal_mu_);
  auto it = rehearsal_requests_.find({std::string(rehearsal_id), would_fail});
  return it == rehearsal_requests_.end() ? 0 : it->second;
}

std::map<std::tuple<std::string, std::string, int>, uint64_t> Registry::MergedRequests() const {
  std::map<std::tuple<std::string, std::string, int>, uint64_t> merged;
  for (size_t s = 0; s < kShards; ++s) {
    std::lock_guard lock(request_shards_[s].mu);
    for (const auto& [k, n] : request_shards_[s].counts) {
      merged[{k.route, k.credential, k.code}] += n;
    }
  }
  return merged;
}

uint64_t Registry::Requests(std::string_view route, std::string_view credential, int code) const {
  uint64_t n = 0;
  const KeyView key{route, credential, code};
  for (size_t s = 0; s < kShards; ++s) {
    std::lock_guard lock(request_shards_[s].mu);
    if (auto it = request_shards_[s].counts.find(key); it != request_shards_[s].counts.end()) {
      n += it->second;
    }
  }
  return n;
}

uint64_t Registry::TokensIssued(std::string_view grant_type) const {
  size_t i = 0;
  while (i < kGrantTypes.size() && kGrantTypes[i] != grant_type) ++i;
  return tokens_issued_[i].load(std::memory_order_relaxed);
}

std::string Registry::Exposition(const Sampled& sampled) const {
  const std::optional<CacheStats>& cache = sampled.cache;
  std::string out;
  out.reserve(4096);
  constexpr std::string_view kRequests = "cozeauth_http_requests_total";
  Header(out, kRequests, "counter",
         "Requests answered, by route pattern, credential kind and business code (0 = success).");
  for (const auto& [key, n] : MergedRequests()) {
    const auto& [route, credential, code] = key;
    Sample(out, kRequests,
           "route=\"" + EscapeLabelValue(route) + "\",credential=\"" +
               EscapeLabelValue(credential) + "\",code=\"" + std::to_string(code) + "\"",
           std::to_string(n));
  }
  HistogramSamples(out, "cozeauth_http_request_duration_seconds",
                   "Time from the request read to the response written.", request_latency_);
  HistogramSamples(out, "cozeauth_auth_decision_duration_seconds",
                   "OpenAPI authentication and decision steps 1-2: bearer, SHA-256, cache or "
                   "store lookup, credential state and permission point.",
                   decisions_);

  constexpr std::string_view kIssued = "cozeauth_tokens_issued_total";
  Header(out, kIssued, "counter", "Tokens issued by this process, by grant type.");
  for (size_t i = 0; i < kGrantTypes.size(); ++i) {
    Sample(out, kIssued, "grant_type=\"" + std::string(kGrantTypes[i]) + "\"",
           std::to_string(tokens_issued_[i].load(std::memory_order_relaxed)));
  }
  if (uint64_t other = tokens_issued_[kGrantTypes.size()].load(std::memory_order_relaxed)) {
    Sample(out, kIssued, "grant_type=\"other\"", std::to_string(other));
  }

  if (cache) {
    Header(out, "cozeauth_auth_cache_hits_total", "counter",
           "Authenticator cache lookups answered from memory (tokens, app status, ownership "
           "and role facts).");
    Sample(out, "cozeauth_auth_cache_hits_total", "", std::to_string(cache->hits));
    Header(out, "cozeauth_auth_cache_misses_total", "counter",
           "Authenticator cache lookups that read the store.");
    Sample(out, "cozeauth_auth_cache_misses_total", "", std::to_string(cache->misses));
    const uint64_t total = cache->hits + cache->misses;
    Header(out, "cozeauth_auth_cache_hit_ratio", "gauge",
           "hits / (hits + misses) since start; 0 before the first lookup.");
    Sample(out, "cozeauth_auth_cache_hit_ratio", "",
           FormatDouble(
               total == 0 ? 0.0 : static_cast<double>(cache->hits) / static_cast<double>(total)));
  }

  Header(out, "cozeauth_http_requests_served_inline_total", "counter",
         "Requests answered from memory on the connection's I/O thread, without a worker.");
  Sample(out, "cozeauth_http_requests_served_inline_total", "", std::to_string(ServedInline()));

  Header(out, "cozeauth_request_stats_flush_failures_total", "counter",
         "Per-credential request statistics batches the store refused (retried).");
  Sample(out, "cozeauth_request_stats_flush_failures_total", "",
         std::to_string(flush_failures_.load(std::memory_order_relaxed)));
  Header(out, "cozeauth_request_stats_dropped_rows_total", "counter",
         "Refused per-credential statistics rows dropped past the retry bound.");
  Sample(out, "cozeauth_request_stats_dropped_rows_total", "",
         std::to_string(stats_dropped_.load(std::memory_order_relaxed)));

  constexpr std::string_view kRehearsal = "cozeauth_rehearsal_requests_total";
  Header(out, kRehearsal, "counter",
         "Requests shadowed by a migration rehearsal, by whether they would fail after it.");
  {
    std::lock_guard lock(rehearsal_mu_);
    for (const auto& [key, n] : rehearsal_requests_) {
      Sample(out, kRehearsal,
             "rehearsal=\"" + EscapeLabelValue(key.first) + "\",outcome=\"" +
                 (key.second ? "would_fail" : "ok") + "\"",
             std::to_string(n));
    }
  }
  constexpr std::string_view kActive = "cozeauth_rehearsal_active";
  Header(out, kActive, "gauge", "Migration rehearsals running now (1 each).");
  for (const auto& r : sampled.live) {
    Sample(out, kActive,
           "rehearsal=\"" + EscapeLabelValue(r.id) + "\",workspace=\"" +
               EscapeLabelValue(r.workspace_id) + "\",to_org=\"" +
               EscapeLabelValue(r.to_account_id) + "\",mode=\"" +
               std::string(domain::ToString(r.mode)) + "\"",
           "1");
  }

  if (const auto& t = sampled.tokens) {
    // One series per kind of token cache entry.
    const auto by_kind = [&out](std::string_view name, std::string_view type, std::string_view help,
                                uint64_t known, uint64_t unknown) {
      Header(out, name, type, help);
      Sample(out, name, "kind=\"known\"", std::to_string(known));
      Sample(out, name, "kind=\"unknown\"", std::to_string(unknown));
    };
    by_kind("cozeauth_token_cache_entries", "gauge",
            "Bearer tokens the token cache holds: kind=\"known\" tokens the store found, "
            "kind=\"unknown\" bearers it did not (remembered for a while).",
            t->known, t->unknown);
    by_kind("cozeauth_token_cache_capacity", "gauge",
            "Entries the token cache holds at most, by kind (known: serve --token-cache-capacity).",
            t->known_capacity, t->unknown_capacity);
    by_kind("cozeauth_token_cache_evictions_total", "counter",
            "Token cache entries evicted to make room, by kind (a known token evicted is read "
            "from the store again at its next use).",
            t->known_evictions, t->unknown_evictions);
  }
  if (sampled.store_memory_bytes) {
    constexpr std::string_view kStoreMemory = "cozeauth_store_memory_bytes";
    Header(out, kStoreMemory, "gauge",
           "Memory the embedded SQLite holds (its connections' page caches, statements and "
           "schema), part of the resident memory.");
    Sample(out, kStoreMemory, "", std::to_string(*sampled.store_memory_bytes));
  }
  if (const auto& p = sampled.process) {
    Header(out, "process_cpu_seconds_total", "counter", "User and system CPU time spent.");
    Sample(out, "process_cpu_seconds_total", "", FormatDouble(p->cpu_seconds));
    Header(out, "process_resident_memory_bytes", "gauge", "Resident memory size.");
    Sample(out, "process_resident_memory_bytes", "", std::to_string(p->resident_bytes));
    Header(out, "process_virtual_memory_bytes", "gauge", "Virtual memory size.");
    Sample(out, "process_virtual_memory_bytes", "", std::to_string(p->virtual_bytes));
    Header(out, "process_open_fds", "gauge", "Open file descriptors.");
    Sample(out, "process_open_fds", "", std::to_string(p->open_fds));
    if (p->max_fds > 0) {
      Header(out, "process_max_fds", "gauge", "The limit on open file descriptors.");
      Sample(out, "process_max_fds", "", std::to_string(p->max_fds));
    }
    Header(out, "process_start_time_seconds", "gauge",
           "When the process started, in seconds since the Unix epoch.");
    Sample(out, "process_start_time_seconds", "", FormatDouble(p->start_time_seconds));
  }
  return out;
}

Registry& Metrics() {
  static Registry* registry = new Registry();  // never destroyed: used until exit
  return *registry;
}

}  // namespace cozeauth::observe
