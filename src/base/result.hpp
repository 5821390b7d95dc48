#pragma once
// Result<T>: a value or an Error, with std::expected's method names (has_value, value, error,
// and_then, transform). Anything a client or operator can cause is reported through Result;
// exceptions mean bugs. Error codes are Coze's business codes (coze-protocol.md §7.1) so that the
// mapping to the wire is one table (api/errors.cpp). Value type; not synchronized.

#include <cassert>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace cozeauth {

// Coze business codes used by the platform. The numeric value is what goes on the wire.
enum class Errc : int {
  kOk = 0,
  kBadRequest = 4000,            // malformed input; Error::field names the bad field
  kChatNotFound = 4001,          // invalid chat
  kConversationNotFound = 4002,  // invalid conversation
  kMetaDataTooLarge = 4003,
  kMessageNotFound = 4005,         // invalid message
  kBotNotFound = 4006,             // invalid bot
  kStreamRequiresAutoSave = 4007,  // stream=false requires auto_save_history=true
  kBotNotPublished = 4015,         // bot not published to the API channel
  kChatRunning = 4016,             // a chat is already running in this conversation
  kWorkflowNotConfigured = 4021,   // no workflow_id, or a workflow without a definition
  kTokenInvalid = 4100,            // missing, unknown, expired or revoked credential
  kPermissionDenied = 4101,        // credential lacks the permission point or the reach
  kCancelNotAllowed = 4104,        // chat already finished
  kNotFound = 4200,                // resource not found (generic)
  kAlreadyExists = 4201,           // duplicate member / unique name taken
  kFileEmpty = 4300,
  kFileTooMany = 4301,
  kFileTooLarge = 4302,
  kFileInvalid = 4304,
  kWorkflowExecutionNotFound = 4314,  // no such execute_id (or event_id) for the workflow
  kWorkflowExecutionFinished = 4315,  // resume of a finished run or an already-consumed event
  kInternal = 5000,
  kUnauthenticated = 700012006,  // console session missing or invalid
};

struct Error {
  Errc code = Errc::kInternal;
  std::string message;
  std::string field;  // for kBadRequest: the offending field, if any

  static Error BadRequest(std::string field, std::string message) {
    return Error{Errc::kBadRequest, std::move(message), std::move(field)};
  }
  static Error Make(Errc code, std::string message) { return Error{code, std::move(message), {}}; }
};

template <typename T>
class [[nodiscard]] Result {
 public:
  using value_type = T;
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  T& value() & {
    assert(has_value());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(has_value());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(has_value());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Error& error() const {
    assert(!has_value());
    return std::get<1>(v_);
  }

  template <typename F>
  auto and_then(F&& f) const& -> std::invoke_result_t<F, const T&> {
    if (!has_value()) return error();
    return std::forward<F>(f)(value());
  }
  template <typename F>
  auto transform(F&& f) const& -> Result<std::invoke_result_t<F, const T&>> {
    if (!has_value()) return error();
    return std::forward<F>(f)(value());
  }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool has_value() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    assert(!ok_);
    return error_;
  }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace cozeauth
