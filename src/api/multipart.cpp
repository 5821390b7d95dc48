#include "api/multipart.hpp"

#include <optional>
#include <utility>

#include "base/strings.hpp"
#include "http/message.hpp"

namespace cozeauth::api {
namespace {

constexpr size_t kMaxBoundary = 70;  // RFC 2046 §5.1.1

using Params = std::vector<std::pair<std::string, std::string>>;

Error Malformed(std::string reason) {
  return Error::BadRequest("body", "malformed multipart body: " + std::move(reason));
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}

// A header value "type; name=value; name=\"quoted\"": the lower-cased first token and the
// parameters (names lower-cased). In quoted strings a backslash escapes only '"' and '\\', so
// that Windows paths sent unescaped (RFC 7578 §4.2 notes escaping is unreliable) survive.
struct HeaderValue {
  std::string value;
  Params params;
};

std::optional<std::string> QuotedValue(std::string_view s, size_t& i) {
  std::string value;
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '"' || s[i + 1] == '\\')) {
      value += s[++i];
    } else if (s[i] == '"') {
      ++i;
      return value;
    } else {
      value += s[i];
    }
  }
  return std::nullopt;
}

std::optional<HeaderValue> ParseHeaderValue(std::string_view s) {
  HeaderValue out;
  size_t i = std::min(s.find(';'), s.size());
  out.value = Lower(Trim(s.substr(0, i)));
  while (i < s.size()) {
    ++i;  // past ';'
    const size_t name_end = std::min(s.find_first_of("=;", i), s.size());
    std::string name = Lower(Trim(s.substr(i, name_end - i)));
    i = name_end;
    std::string value;
    if (i < s.size() && s[i] == '=') {
      ++i;
      while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
      if (i < s.size() && s[i] == '"') {
        auto quoted = QuotedValue(s, i);
        if (!quoted) return std::nullopt;
        value = std::move(*quoted);
        i = std::min(s.find(';', i), s.size());
      } else {
        const size_t end = std::min(s.find(';', i), s.size());
        value = std::string(Trim(s.substr(i, end - i)));
        i = end;
      }
    }
    if (!name.empty()) out.params.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

const std::string* Param(const Params& params, std::string_view name) {
  for (const auto& [k, v] : params) {
    if (k == name) return &v;
  }
  return nullptr;
}

// Browsers may send a full client path; only the last component is the file's name.
std::string BaseName(std::string_view name) {
  const size_t slash = name.find_last_of("/\\");
  return std::string(slash == std::string_view::npos ? name : name.substr(slash + 1));
}

// filename*=charset'language'percent-encoded (RFC 5987 §3.2); nullopt when malformed.
std::optional<std::string> ExtendedValue(std::string_view v) {
  const size_t q1 = v.find('\'');
  const size_t q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) return std::nullopt;
  return http::PercentDecode(v.substr(q2 + 1), /*plus_as_space=*/false);
}

Status ApplyDisposition(std::string_view header, FormPart& part) {
  auto hv = ParseHeaderValue(header);
  if (!hv || hv->value != "form-data") return Malformed("Content-Disposition must be form-data");
  const std::string* name = Param(hv->params, "name");
  if (name == nullptr || name->empty()) return Malformed("Content-Disposition without a name");
  part.name = *name;
  std::optional<std::string> filename;
  if (const std::string* ext = Param(hv->params, "filename*")) filename = ExtendedValue(*ext);
  if (!filename) {
    if (const std::string* plain = Param(hv->params, "filename")) filename = *plain;
  }
  part.has_filename = filename.has_value();
  if (filename) part.filename = BaseName(*filename);
  return {};
}

// The line starting at `pos` without its CRLF or LF; advances `pos` past it. nullopt when no
// line feed follows.
std::optional<std::string_view> ReadLine(std::string_view body, size_t& pos) {
  const size_t lf = body.find('\n', pos);
  if (lf == std::string_view::npos) return std::nullopt;
  const size_t end = lf > pos && body[lf - 1] == '\r' ? lf - 1 : lf;
  std::string_view line = body.substr(pos, end - pos);
  pos = lf + 1;
  return line;
}

// Reads a part's header block (ended by an empty line) from `pos`.
Result<FormPart> ReadPartHeaders(std::string_view body, size_t& pos) {
  Params headers;
  for (;;) {
    auto line = ReadLine(body, pos);
    if (!line) return Malformed("truncated part headers");
    if (line->empty()) break;
    if ((line->front() == ' ' || line->front() == '\t') && !headers.empty()) {
      headers.back().second += ' ';  // obsolete line folding (RFC 5322 §2.2.3)
      headers.back().second += Trim(*line);
      continue;
    }
    const size_t colon = line->find(':');
    if (colon == std::string_view::npos || colon == 0) return Malformed("bad part header line");
    headers.emplace_back(Lower(Trim(line->substr(0, colon))),
                         std::string(Trim(line->substr(colon + 1))));
  }
  FormPart part;
  const std::string* disposition = Param(headers, "content-disposition");
  if (disposition == nullptr) return Malformed("part without Content-Disposition");
  if (auto s = ApplyDisposition(*disposition, part); !s) return s.error();
  if (const std::string* type = Param(headers, "content-type")) part.content_type = *type;
  return part;
}

// Is there a delimiter ("--boundary" then "--", padding or a line end) at `at`?
bool IsDelimiterAt(std::string_view body, size_t at, std::string_view dash) {
  if (body.compare(at, dash.size(), dash) != 0) return false;
  const size_t after = at + dash.size();
  if (after >= body.size()) return true;  // cut short: the caller reports the truncation
  const char ch = body[after];
  return ch == '\r' || ch == '\n' || ch == ' ' || ch == '\t' ||
         (ch == '-' && after + 1 < body.size() && body[after + 1] == '-');
}

// Position of the line feed that precedes the next delimiter at or after `from`.
size_t FindDelimiter(std::string_view body, size_t from, std::string_view dash) {
  for (size_t lf = body.find('\n', from); lf != std::string_view::npos;
       lf = body.find('\n', lf + 1)) {
    if (IsDelimiterAt(body, lf + 1, dash)) return lf;
  }
  return std::string_view::npos;
}

// Past the delimiter at `at`: true at the close delimiter; else `pos` is the first header byte.
Result<bool> PassDelimiter(std::string_view body, size_t at, std::string_view dash, size_t& pos) {
  pos = at + dash.size();
  if (body.substr(pos, 2) == "--") return true;
  while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
  if (pos < body.size() && body[pos] == '\r') ++pos;
  if (pos >= body.size()) return Malformed("truncated body: no closing boundary");
  if (body[pos] != '\n') return Malformed("bad delimiter line");
  ++pos;
  return false;
}

}  // namespace

Result<std::string> MultipartBoundary(std::string_view content_type) {
  auto hv = ParseHeaderValue(content_type);
  if (!hv || hv->value != "multipart/form-data") {
    return Error::BadRequest("Content-Type", "Content-Type must be multipart/form-data");
  }
  const std::string* boundary = Param(hv->params, "boundary");
  if (boundary == nullptr || boundary->empty() || boundary->size() > kMaxBoundary ||
      boundary->find_first_of("\r\n") != std::string::npos) {
    return Error::BadRequest("Content-Type",
                             "Content-Type needs a multipart boundary of 1-70 characters");
  }
  return *boundary;
}

Result<std::vector<FormPart>> ParseMultipart(std::string_view body, std::string_view boundary) {
  if (boundary.empty()) return Malformed("empty boundary");
  const std::string dash = "--" + std::string(boundary);
  size_t at = 0;  // the current delimiter's first '-'
  if (!IsDelimiterAt(body, 0, dash)) {
    const size_t lf = FindDelimiter(body, 0, dash);  // after a preamble
    if (lf == std::string_view::npos) return Malformed("no boundary delimiter");
    at = lf + 1;
  }
  std::vector<FormPart> parts;
  for (;;) {
    size_t pos = 0;
    auto closed = PassDelimiter(body, at, dash, pos);
    if (!closed) return closed.error();
    if (closed.value()) return parts;  // the epilogue after the close delimiter is ignored
    auto part = ReadPartHeaders(body, pos);
    if (!part) return part.error();
    size_t data_end = pos;
    if (IsDelimiterAt(body, pos, dash)) {
      at = pos;  // an empty part whose delimiter lacks its leading line end
    } else {
      const size_t lf = FindDelimiter(body, pos, dash);
      if (lf == std::string_view::npos) return Malformed("truncated body: part not closed");
      // The line end before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
      data_end = lf > pos && body[lf - 1] == '\r' ? lf - 1 : lf;
      at = lf + 1;
    }
    part->data = std::string(body.substr(pos, data_end - pos));
    parts.push_back(std::move(part.value()));
  }
}

}  // namespace cozeauth::api
