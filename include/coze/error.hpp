#pragma once
// The SDK's failure values and Result<T>. Every SDK call returns a Result: a value, a
// coze::Error (an OpenAPI business error — `code` ≠ 0 in the body at any HTTP status, a non-JSON
// failure with code = HTTP status, or a transport failure with code -1 and http_status 0), or a
// coze::AuthError (an OAuth-shaped body: `error_code`/`error` + `error_message`/
// `error_description`, coze-protocol.md §4.8). Result keeps std::expected's method names
// (has_value, value, and_then, transform); `error()` and `auth_error()` are the two failure
// accessors, and `Describe()` renders either. No exceptions are thrown for anything a server or
// the network can cause. Value types; not synchronized.

#include <cassert>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace coze {

// Code of an Error raised by the client itself (transport failure, unreadable stream).
inline constexpr int64_t kClientErrorCode = -1;

struct Error {
  int64_t code = kClientErrorCode;
  std::string msg;
  std::string logid;    // detail.logid of the body, else the X-Tt-Logid response header
  int http_status = 0;  // 0 when no response was received
  std::string Describe() const;
};

struct AuthError {
  std::string error_code;  // `error_code`, else `error` (e.g. "invalid_grant")
  std::string message;     // `error_message`, else `error_description`
  std::string logid;
  int http_status = 0;
  std::string Describe() const;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  using value_type = T;
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}          // NOLINT: implicit
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}      // NOLINT
  Result(AuthError error) : v_(std::in_place_index<2>, std::move(error)) {}  // NOLINT

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

  bool is_auth_error() const { return v_.index() == 2; }
  // Precondition: failed with an Error (not an AuthError).
  const Error& error() const {
    assert(v_.index() == 1);
    return std::get<1>(v_);
  }
  // Precondition: is_auth_error().
  const AuthError& auth_error() const {
    assert(v_.index() == 2);
    return std::get<2>(v_);
  }
  std::string Describe() const {
    if (v_.index() == 1) return std::get<1>(v_).Describe();
    if (v_.index() == 2) return std::get<2>(v_).Describe();
    return "ok";
  }

  // Carries this failure into a Result of another type. Precondition: !has_value().
  template <typename U>
  Result<U> Forward() const {
    if (v_.index() == 1) return std::get<1>(v_);
    return std::get<2>(v_);
  }

  template <typename F>
  auto and_then(F&& f) const& -> std::invoke_result_t<F, const T&> {
    using R = std::invoke_result_t<F, const T&>;
    if (!has_value()) return Forward<typename R::value_type>();
    return std::forward<F>(f)(value());
  }
  template <typename F>
  auto transform(F&& f) const& -> Result<std::invoke_result_t<F, const T&>> {
    if (!has_value()) return Forward<std::invoke_result_t<F, const T&>>();
    return std::forward<F>(f)(value());
  }

 private:
  std::variant<T, Error, AuthError> v_;
};

// Success without a value.
struct Ok {};
using Status = Result<Ok>;

}  // namespace coze
