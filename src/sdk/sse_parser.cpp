#include <coze/sse.hpp>

namespace coze {

void SseParser::Feed(std::string_view chunk, const Sink& sink) {
  if (chunk.empty()) return;
  size_t pos = 0;
  // A CRLF split across chunks: the CR ended the line already; skip the LF.
  if (after_cr_ && !chunk.empty() && chunk.front() == '\n') pos = 1;
  after_cr_ = false;
  while (pos < chunk.size()) {
    const size_t end = chunk.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) {
      line_.append(chunk.substr(pos));
      return;
    }
    line_.append(chunk.substr(pos, end - pos));
    std::string line = std::move(line_);
    line_.clear();
    Line(line, sink);
    pos = end + 1;
    if (chunk[end] == '\r') {
      if (pos == chunk.size()) {
        after_cr_ = true;
      } else if (chunk[pos] == '\n') {
        ++pos;
      }
    }
  }
}

std::vector<SseEvent> SseParser::Feed(std::string_view chunk) {
  std::vector<SseEvent> out;
  Feed(chunk, [&out](SseEvent&& e) { out.push_back(std::move(e)); });
  return out;
}

void SseParser::Finish(const Sink& sink) {
  if (!line_.empty()) {
    std::string line = std::move(line_);
    line_.clear();
    Line(line, sink);
  }
  Line("", sink);
  after_cr_ = false;
}

void SseParser::Line(std::string_view line, const Sink& sink) {
  if (line.empty()) {
    if (has_field_) sink(std::move(pending_));
    pending_ = SseEvent{};
    has_data_ = has_field_ = false;
    return;
  }
  if (line.front() == ':') return;  // comment
  std::string_view field = line, value;
  if (const size_t colon = line.find(':'); colon != std::string_view::npos) {
    field = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "event") {
    pending_.event = value;
  } else if (field == "data") {
    if (has_data_) pending_.data.push_back('\n');
    pending_.data.append(value);
    has_data_ = true;
  } else if (field == "id") {
    pending_.id = value;
  } else {
    return;  // retry and unknown fields carry nothing for us
  }
  has_field_ = true;
}

}  // namespace coze
