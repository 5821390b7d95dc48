#include "http/hygiene.hpp"

#include <boost/asio/buffer.hpp>
#include <cstring>

namespace cozeauth::http {
namespace {

bool IsTchar(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7F; }

}  // namespace

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (!IsTchar(c)) return false;
  }
  return true;
}

bool IsSafeHeaderValue(std::string_view s) {
  for (unsigned char c : s) {
    if (IsControl(c)) return false;
  }
  return true;
}

std::optional<std::string> UnsafeResponseHeader(const Response& res) {
  if (!IsSafeHeaderValue(res.content_type)) return "Content-Type";
  for (const auto& [name, value] : res.headers) {
    if (!IsToken(name) || !IsSafeHeaderValue(value)) return name;
  }
  return std::nullopt;
}

bool IsCleanPath(std::string_view raw_path) {
  if (raw_path.empty() || raw_path.front() != '/') return false;
  size_t start = 1;
  for (;;) {
    size_t end = raw_path.find('/', start);
    const bool last = end == std::string_view::npos;
    if (last) end = raw_path.size();
    // Decoded only when there is something to decode: an id segment is past the short-string
    // buffer, and this runs for every request.
    const std::string_view raw = raw_path.substr(start, end - start);
    const bool encoded = raw.find('%') != std::string_view::npos;
    const std::string decoded = encoded ? PercentDecode(raw, false) : std::string();
    const std::string_view segment = encoded ? std::string_view(decoded) : raw;
    // An empty segment routes like its neighbours once split, so `//v1/users/me` would be
    // `/v1/users/me`; only the trailing slash some Coze paths carry is an empty segment we keep.
    if (segment.empty() && !last) return false;
    if (segment == "." || segment == "..") return false;
    for (unsigned char c : segment) {
      // '/' here was %2F: it would split a segment once decoded. '\' is a separator to some
      // proxies and file systems.
      if (c == '/' || c == '\\' || IsControl(c)) return false;
    }
    if (last) return true;
    start = end + 1;
  }
}

void FoldWatchingBuffer::consume(std::size_t n) {
  if (!header_done_ && !saw_obs_fold_) {
    const auto bytes = buffer_->data();
    Scan(std::string_view(static_cast<const char*>(bytes.data()), std::min(n, bytes.size())));
  }
  buffer_->consume(n);
}

// Only a byte right after CRLF can begin a folded line or the empty line that ends the header,
// so the scan looks at those and jumps from one LF to the next (memchr) over the rest, keeping
// what the next call needs: the last two bytes and whether anything but CR and LF came yet.
void FoldWatchingBuffer::Scan(std::string_view bytes) {
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  while (p < end && !header_done_ && !saw_obs_fold_) {
    if (prev_[0] == '\r' && prev_[1] == '\n') {
      const char c = *p;
      if (c == ' ' || c == '\t') {
        // RFC 9112 §5.2: a line starting with whitespace continues the previous field.
        if (seen_content_) saw_obs_fold_ = true;
      } else if (c == '\r' && seen_content_) {
        header_done_ = true;  // the empty line that ends the header section
      }
      if (c != '\r' && c != '\n') seen_content_ = true;
      prev_[0] = prev_[1];
      prev_[1] = c;
      ++p;
      continue;
    }
    // No position up to and including the next LF begins a line.
    const void* lf = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    const char* const stop = lf != nullptr ? static_cast<const char*>(lf) + 1 : end;
    for (const char* q = p; q < stop && !seen_content_; ++q) {
      if (*q != '\r' && *q != '\n') seen_content_ = true;
    }
    prev_[0] = stop - p >= 2 ? stop[-2] : prev_[1];
    prev_[1] = stop[-1];
    p = stop;
  }
}

}  // namespace cozeauth::http
