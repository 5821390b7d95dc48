#pragma once
// multipart/form-data (RFC 7578 over RFC 2046 §5.1) for file uploads. Pure functions;
// thread-safe.
//
// Tolerant where real clients differ: bare LF line endings are accepted as well as CRLF,
// transport padding after a delimiter is skipped, parameter values may be quoted or bare,
// `filename*=UTF-8''…` (RFC 5987) wins over `filename`, and a client path in the file name is
// reduced to its last component. Strict where guessing would corrupt data: the body must start
// with a delimiter line (after an optional preamble), every part needs a header block ended by
// an empty line and a Content-Disposition of form-data with a name, and the close delimiter
// "--boundary--" must be present. Any violation is a kBadRequest naming the problem.

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace cozeauth::api {

struct FormPart {
  std::string name;      // Content-Disposition name
  std::string filename;  // Content-Disposition filename, last path component; may be empty
  bool has_filename = false;
  std::string content_type;  // as sent; empty when absent
  std::string data;          // the part's bytes
};

// The boundary of a `multipart/form-data; boundary=…` Content-Type (1–70 characters, quoted
// or bare); kBadRequest for another media type or a missing/invalid boundary.
Result<std::string> MultipartBoundary(std::string_view content_type);

// The parts of `body`, in order.
Result<std::vector<FormPart>> ParseMultipart(std::string_view body, std::string_view boundary);

}  // namespace cozeauth::api
