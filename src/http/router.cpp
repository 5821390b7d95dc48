#include "http/router.hpp"

#include <boost/container/small_vector.hpp>
#include <stdexcept>

namespace cozeauth::http {
namespace {

// Inline room for 10 segments, more than any route has: matching a request allocates nothing
// for its segments (a deeper path, which matches nothing, spills to the heap).
using Segments = boost::container::small_vector<std::string_view, 10>;

Segments SplitPath(std::string_view path) {
  Segments out;
  size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

bool IsCapture(std::string_view seg) {
  return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}

}  // namespace

void Router::Add(Verb method, std::string pattern, RouteOptions options, Handler handler) {
  Route r{method, pattern, {}, std::move(options), std::move(handler)};
  for (auto seg : SplitPath(pattern)) r.segments.emplace_back(seg);
  for (const auto& existing : routes_) {
    if (existing.method == method && existing.pattern == pattern) {
      throw std::logic_error("duplicate route " + pattern);
    }
  }
  routes_.push_back(std::move(r));
}

const Route* Router::Match(Verb method, std::string_view path,
                           std::vector<std::pair<std::string, std::string>>& params,
                           bool& path_matched) const {
  // A trailing slash is tolerated ("/api/passport/web/email/login/").
  auto segs = SplitPath(path);
  path_matched = false;
  for (const auto& r : routes_) {
    if (r.segments.size() != segs.size()) continue;
    bool ok = true;
    for (size_t i = 0; i < segs.size() && ok; ++i) {
      ok = IsCapture(r.segments[i]) || r.segments[i] == segs[i];
    }
    if (!ok) continue;
    if (r.method != method) {
      path_matched = true;
      continue;
    }
    for (size_t i = 0; i < segs.size(); ++i) {
      if (IsCapture(r.segments[i])) {
        params.emplace_back(r.segments[i].substr(1, r.segments[i].size() - 2),
                            std::string(segs[i]));
      }
    }
    return &r;
  }
  return nullptr;
}

}  // namespace cozeauth::http
