#pragma once
// What the HTTP layer refuses to read and to write, whatever the handlers do (docs/api.md
// "Request hygiene"). Pure functions plus one buffer adapter; no I/O, no shared state: safe for
// concurrent use, except that a FoldWatchingBuffer belongs to the one read it watches.
//
// - Response headers: a name must be an RFC 9110 §5.6.2 token and a value must hold no control
//   character (bytes < 0x20, HTAB included, and 0x7F), so that no handler can split a response
//   or inject a header (`Location: /x\r\nSet-Cookie: …`). The server answers 500 instead.
// - Request paths: only a clean origin-form path is routed; empty or dot segments, backslashes,
//   encoded slashes and control characters are refused instead of being normalised away
//   (`//v1/users/me` must not reach the route `/v1/users/me`).
// - obs-fold: Beast unfolds a header continuation line into a space without saying so; the
//   adapter sees the raw header bytes the parser consumes, so the server can refuse the request
//   as RFC 9112 §5.2 allows.

#include <boost/beast/core/flat_buffer.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace cozeauth::http {

// RFC 9110 §5.6.2: 1*tchar.
bool IsToken(std::string_view s);
// No byte below 0x20 (CR, LF, NUL, HTAB …) and no DEL.
bool IsSafeHeaderValue(std::string_view s);
// The name of the first header of `res` (Content-Type included) that must not be sent, or
// nullopt when every header is safe.
std::optional<std::string> UnsafeResponseHeader(const Response& res);

// `raw_path` is the request target up to '?', still percent-encoded. True when it starts with
// '/' and every segment, decoded, is neither "." nor ".." nor empty (a trailing slash excepted)
// and holds no '/', '\' or control character.
bool IsCleanPath(std::string_view raw_path);

// A DynamicBuffer (Asio v1) over a flat_buffer for one async_read_header: forwards everything
// and, when the parser consumes the header bytes, notes whether a header line began with SP or
// HTAB (obs-fold, RFC 9112 §5.2). Only the header section is scanned; the body never passes
// through it.
class FoldWatchingBuffer {
 public:
  using const_buffers_type = boost::beast::flat_buffer::const_buffers_type;
  using mutable_buffers_type = boost::beast::flat_buffer::mutable_buffers_type;

  explicit FoldWatchingBuffer(boost::beast::flat_buffer& buffer) : buffer_(&buffer) {}

  std::size_t size() const { return buffer_->size(); }
  std::size_t max_size() const { return buffer_->max_size(); }
  std::size_t capacity() const { return buffer_->capacity(); }
  const_buffers_type data() const { return buffer_->data(); }
  mutable_buffers_type data() { return buffer_->data(); }
  mutable_buffers_type prepare(std::size_t n) { return buffer_->prepare(n); }
  void commit(std::size_t n) { buffer_->commit(n); }
  void consume(std::size_t n);

  bool saw_obs_fold() const { return saw_obs_fold_; }

 private:
  void Scan(std::string_view bytes);

  boost::beast::flat_buffer* buffer_;
  // The scanner's state over the consumed bytes: the last two bytes and whether the header's
  // empty line has been seen (after it, nothing is scanned).
  char prev_[2] = {0, 0};
  bool seen_content_ = false;
  bool header_done_ = false;
  bool saw_obs_fold_ = false;
};

}  // namespace cozeauth::http
