#pragma once
// SseParser: an incremental parser for text/event-stream (WHATWG HTML §9.2 "server-sent
// events") fed arbitrary chunks — an event may be split at any byte, including between the CR
// and LF of a CRLF. Lines end with CRLF, LF or CR; `field:value` and `field: value` are the same
// (one leading space is dropped); several `data:` lines are joined with "\n"; lines starting
// with ':' are comments; unknown fields are ignored. An event is emitted at the blank line that
// ends it, if it had any field. Coze chat streams use `event:` + `data:` (coze-protocol.md §3.4),
// workflow streams add `id:`. Not synchronized: one parser per stream.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace coze {

struct SseEvent {
  std::string event;  // "" when the event had no `event:` line
  std::string data;
  std::string id;
  bool operator==(const SseEvent&) const = default;
};

class SseParser {
 public:
  using Sink = std::function<void(SseEvent&&)>;

  // Parses `chunk`, calling `sink` for each event it completes.
  void Feed(std::string_view chunk, const Sink& sink);
  // Convenience: the events this chunk completes.
  std::vector<SseEvent> Feed(std::string_view chunk);
  // End of stream: emits an event still pending (a stream that ends without the final blank
  // line) and resets the parser.
  void Finish(const Sink& sink);

 private:
  void Line(std::string_view line, const Sink& sink);

  std::string line_;       // the incomplete current line
  bool after_cr_ = false;  // the previous chunk ended with CR: a leading LF belongs to it
  SseEvent pending_;
  bool has_data_ = false;
  bool has_field_ = false;
};

}  // namespace coze
