#include "console/pages/svg_chart.hpp"

#include <algorithm>
#include <ctime>
#include <map>

#include "console/html.hpp"

namespace cozeauth::console {
namespace {

constexpr int kWidth = 640;
constexpr int kHeight = 180;
constexpr int kLeft = 44;  // room for the y axis labels
constexpr int kRight = 12;
constexpr int kTop = 24;     // room for the marker labels
constexpr int kBottom = 28;  // room for the x axis labels
constexpr const char* kOk = "#067647";
constexpr const char* kDenied = "#b42318";
constexpr const char* kOther = "#b54708";
constexpr const char* kInk = "#5b6270";

std::string Num(int64_t v) { return std::to_string(v); }

// A rough width of `text` at font-size 12: CJK characters are wider than Latin ones.
int TextWidth(std::string_view text) {
  int width = 0;
  for (unsigned char ch : text) {
    if ((ch & 0xC0) == 0x80) continue;  // a continuation byte
    width += ch < 0x80 ? 7 : 12;
  }
  return width;
}

// A fixed-point coordinate (one decimal) without locale.
std::string Coord(double v) {
  const int64_t tenths = static_cast<int64_t>(v * 10 + (v >= 0 ? 0.5 : -0.5));
  std::string out = std::to_string(tenths / 10);
  const int64_t frac = (tenths < 0 ? -tenths : tenths) % 10;
  if (frac != 0) out += "." + std::to_string(frac);
  return out;
}

}  // namespace

std::string ClockLabel(int64_t unix_seconds, bool with_day) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  if (!gmtime_r(&t, &tm)) return "";
  char buf[24];
  if (std::strftime(buf, sizeof buf, with_day ? "%m-%d %H:%M" : "%H:%M", &tm) == 0) return "";
  return buf;
}

std::string RenderChart(const ChartInput& in) {
  const int64_t bucket = std::max<int64_t>(60, in.bucket);
  const int64_t first = in.from;  // buckets start here (observe/credential_report.hpp)
  const int64_t until = std::max(in.until, first + bucket);
  const int64_t n = std::max<int64_t>(1, (until - first + bucket - 1) / bucket);
  std::map<int64_t, const ChartBucket*> by_at;
  int64_t max = 0;
  for (const auto& b : in.buckets) {
    by_at[b.at] = &b;
    max = std::max(max, b.requests);
  }
  if (max == 0) max = 1;
  const double plot_w = kWidth - kLeft - kRight;
  const double plot_h = kHeight - kTop - kBottom;
  const double step = plot_w / static_cast<double>(n);
  const double bar_w = std::max(1.0, step * 0.8);
  auto x_of = [&](int64_t at) {
    return kLeft + plot_w * static_cast<double>(at - first) / static_cast<double>(n * bucket);
  };
  auto h_of = [&](int64_t v) { return plot_h * static_cast<double>(v) / static_cast<double>(max); };
  const double base = kTop + plot_h;

  const std::string id = "chart-" + in.id;
  std::string out =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"" + Escape(id) +
      "\" role=\"img\" viewBox=\"0 0 " + Num(kWidth) + " " + Num(kHeight) + "\" width=\"" +
      Num(kWidth) + "\" height=\"" + Num(kHeight) + "\" aria-labelledby=\"" + Escape(id) +
      "-title " + Escape(id) + "-desc\" data-from=\"" + Num(first) + "\" data-until=\"" +
      Num(until) + "\" data-bucket=\"" + Num(bucket) + "\" data-split=\"" + Num(in.split) +
      "\" data-safe-to-delete=\"" + (in.safe_label.empty() ? "false" : "true") + "\">";
  out += "<title id=\"" + Escape(id) + "-title\">" + Escape(in.title) + "</title>";
  out += "<desc id=\"" + Escape(id) + "-desc\">" + Escape(in.description) + "</desc>";
  // Axes: the base line, the maximum, the first and last times.
  out += "<line x1=\"" + Num(kLeft) + "\" y1=\"" + Coord(base) + "\" x2=\"" + Num(kWidth - kRight) +
         "\" y2=\"" + Coord(base) + "\" stroke=\"" + kInk + "\" stroke-width=\"1\"/>";
  out += "<line x1=\"" + Num(kLeft) + "\" y1=\"" + Num(kTop) + "\" x2=\"" + Num(kLeft) +
         "\" y2=\"" + Coord(base) + "\" stroke=\"" + kInk + "\" stroke-width=\"1\"/>";
  out += "<text x=\"" + Num(kLeft - 4) + "\" y=\"" + Num(kTop + 4) +
         "\" text-anchor=\"end\" font-size=\"11\" fill=\"" + kInk + "\">" + Num(max) + "</text>";
  out += "<text x=\"" + Num(kLeft - 4) + "\" y=\"" + Coord(base) +
         "\" text-anchor=\"end\" font-size=\"11\" fill=\"" + kInk + "\">0</text>";
  out += "<text x=\"" + Num(kLeft) + "\" y=\"" + Num(kTop - 10) + "\" font-size=\"11\" fill=\"" +
         kInk + "\">" + Escape(in.y_label) + "</text>";
  const bool with_day = until - first > 86400;
  out += "<text x=\"" + Num(kLeft) + "\" y=\"" + Num(kHeight - 8) + "\" font-size=\"11\" fill=\"" +
         kInk + "\">" + Escape(ClockLabel(first, with_day)) + "</text>";
  out += "<text x=\"" + Num(kWidth - kRight) + "\" y=\"" + Num(kHeight - 8) +
         "\" text-anchor=\"end\" font-size=\"11\" fill=\"" + kInk + "\">" +
         Escape(ClockLabel(until, with_day)) + " UTC</text>";

  // Bars: successes at the bottom, then denials, then other errors.
  out += "<g class=\"bars\">";
  for (const auto& [at, b] : by_at) {
    if (at < first || at >= until) continue;
    const double x = x_of(at) + (step - bar_w) / 2;
    out += "<g data-at=\"" + Num(at) + "\" data-requests=\"" + Num(b->requests) +
           "\" data-successes=\"" + Num(b->successes) + "\" data-denials=\"" + Num(b->denials) +
           "\" data-other-errors=\"" + Num(b->other_errors) + "\" data-side=\"" +
           (in.split > 0 && at < in.split ? "before" : "after") + "\">";
    double y = base;
    auto bar = [&](int64_t v, const char* fill) {
      if (v <= 0) return;
      const double h = h_of(v);
      y -= h;
      out += "<rect x=\"" + Coord(x) + "\" y=\"" + Coord(y) + "\" width=\"" + Coord(bar_w) +
             "\" height=\"" + Coord(h) + "\" fill=\"" + fill + "\"/>";
    };
    bar(b->successes, kOk);
    bar(b->denials, kDenied);
    bar(b->other_errors, kOther);
    out += "</g>";
  }
  out += "</g>";

  if (in.split > 0 && in.split >= first && in.split <= until) {
    const std::string x = Coord(x_of(in.split));
    out += "<g data-marker=\"migration\" data-at=\"" + Num(in.split) + "\"><line x1=\"" + x +
           "\" y1=\"" + Num(kTop - 6) + "\" x2=\"" + x + "\" y2=\"" + Coord(base) +
           "\" stroke=\"#3c42d6\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/><text x=\"" + x +
           "\" y=\"" + Num(kTop - 10) +
           "\" text-anchor=\"middle\" font-size=\"11\" fill=\"#3c42d6\">" +
           Escape(in.migration_label) + "</text></g>";
  }
  if (!in.safe_label.empty()) {
    // Right of the migration line, or left of it when the "after" part is too narrow.
    const int width = TextWidth(in.safe_label) + 16;
    const double line = in.split > 0 ? std::max<double>(x_of(in.split), kLeft) : kLeft;
    double x0 = line + 6;
    if (x0 + width > kWidth - kRight) x0 = std::max<double>(kLeft + 2, line - 6 - width);
    out += "<g data-marker=\"safe-to-delete\"><rect x=\"" + Coord(x0) + "\" y=\"" + Num(kTop + 6) +
           "\" width=\"" + Num(width) + "\" height=\"20\" rx=\"4\" fill=\"#ecfdf3\" stroke=\"" +
           kOk + "\"/><text x=\"" + Coord(x0 + 8) + "\" y=\"" + Num(kTop + 20) +
           "\" font-size=\"12\" fill=\"" + kOk + "\">" + Escape(in.safe_label) + "</text></g>";
  }
  return out + "</svg>";
}

}  // namespace cozeauth::console
