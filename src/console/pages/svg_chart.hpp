#pragma once
// The observation chart (线上观测): one credential's requests per time bucket as an inline,
// server-rendered SVG — stacked bars of successes and of denials/errors, a dashed line at the
// migration and, when the old credential has had no traffic since, a "safe to delete" marker.
// No external asset, no style attribute (presentation attributes only, allowed by the CSP).
// Accessible: role="img", <title> and <desc> referenced by aria-labelledby; the numbers are also
// in data-* attributes (tests, scripts) and the caller puts a data table next to it.
// Pure functions; thread-safe.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cozeauth::console {

struct ChartBucket {
  int64_t at = 0;  // first second of the bucket
  int64_t requests = 0;
  int64_t successes = 0;
  int64_t denials = 0;  // 4100 and 4101
  int64_t other_errors = 0;
};

struct ChartInput {
  std::string id;     // unique on the page: the SVG is id="chart-<id>"
  std::string title;  // the accessible name (plain text; escaped here)
  std::string description;
  int64_t from = 0;                  // first second shown
  int64_t until = 0;                 // last second shown (exclusive)
  int64_t bucket = 60;               // seconds per bar
  int64_t split = 0;                 // the migration's first "after" second; 0 = no marker line
  std::vector<ChartBucket> buckets;  // the non-empty buckets; gaps are zero
  // Labels (already in the page's language, plain text).
  std::string migration_label;
  std::string safe_label;  // non-empty: draw the "safe to delete" marker
  std::string y_label;     // "requests per N min"
};

std::string RenderChart(const ChartInput& in);

// "14:05" (UTC) for the chart's axis; "12-02 14:05" when `with_day`.
std::string ClockLabel(int64_t unix_seconds, bool with_day);

}  // namespace cozeauth::console
