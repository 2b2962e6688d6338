#pragma once
// The one place that chooses how errors travel: Result<T> is std::expected<T, Error>.
// An Error is a value: a summary, optional detail, the resource address it concerns, where in a
// YAML file it came from (when it did), and a category with its retryability, which callers decide
// by instead of by the message text.

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace idform {

struct SourceLocation {
  std::string file;
  int line = 0;    // 1-based; 0 = unknown
  int column = 0;  // 1-based

  bool known() const { return line > 0; }
  std::string to_string() const;  // "file:line:col" or "file" or ""
};

// What kind of failure an Error is. The plugin protocol sends the same names
// (docs/plugin-protocol.md). `internal` is also what an Error is until someone classifies it.
//   auth       credentials missing, refused or not allowed to do this
//   throttled  the service asked to slow down (HTTP 429)
//   not_found  the object or endpoint does not exist
//   conflict   the object exists already or changed meanwhile
//   invalid    the input (config, plan file, request) is wrong; trying again will not help
//   transient  a failure that may pass: 5xx, a dropped connection, a timeout
//   internal   a bug, an exception, anything not classified
//   cancelled  stopped because the user interrupted idform (Ctrl-C), not because anything is wrong
enum class ErrorCategory { auth, throttled, not_found, conflict, invalid, transient, internal, cancelled };
std::string_view category_name(ErrorCategory category);
std::optional<ErrorCategory> category_from_name(std::string_view name);
// Throttled and transient failures may succeed when tried again later.
constexpr bool retryable_by_default(ErrorCategory category) {
  return category == ErrorCategory::throttled || category == ErrorCategory::transient;
}

struct Error {
  std::string summary;
  std::string detail;
  std::string address;  // e.g. "group:payments-admins"
  SourceLocation where;
  ErrorCategory category = ErrorCategory::internal;
  bool retryable = false;  // trying the same thing again later may succeed

  // This error, classified (retryability follows the category).
  Error with_category(ErrorCategory kind) && {
    category = kind;
    retryable = retryable_by_default(kind);
    return std::move(*this);
  }

  // "file:line:col: summary" or "address: summary", plus detail on the next line.
  std::string to_string() const;
};

template <typename T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(std::string summary, std::string detail = {}) {
  return std::unexpected<Error>(Error{std::move(summary), std::move(detail), {}, {}});
}
inline std::unexpected<Error> fail(Error error) { return std::unexpected<Error>(std::move(error)); }
inline std::unexpected<Error> fail(ErrorCategory category, std::string summary, std::string detail = {}) {
  return std::unexpected<Error>(Error{std::move(summary), std::move(detail), {}, {}}.with_category(category));
}

// A list of problems collected while carrying on, so the user sees all of them at once.
using Diagnostics = std::vector<Error>;

namespace detail {
template <typename T>
T take_value(std::expected<T, Error>& result) {
  return std::move(*result);
}
inline void take_value(std::expected<void, Error>&) {}
}  // namespace detail

}  // namespace idform

// Propagates an error from an expression returning Result<T>; evaluates to the value otherwise.
#define IDFORM_TRY(expr)                                          \
  ({                                                              \
    auto idform_try_result_ = (expr);                             \
    if (!idform_try_result_) return std::unexpected(std::move(idform_try_result_.error())); \
    ::idform::detail::take_value(idform_try_result_);             \
  })
