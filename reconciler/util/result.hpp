#pragma once
// The one place that chooses how errors travel: Result<T> is std::expected<T, Error>.
// An Error is a value: a summary, optional detail, the resource address it concerns and, when it
// came from a YAML document, where in the file.

#include <expected>
#include <string>
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

struct Error {
  std::string summary;
  std::string detail;
  std::string address;  // e.g. "group:payments-admins"
  SourceLocation where;

  // "file:line:col: summary" or "address: summary", plus detail on the next line.
  std::string to_string() const;
};

template <typename T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(std::string summary, std::string detail = {}) {
  return std::unexpected<Error>(Error{std::move(summary), std::move(detail), {}, {}});
}
inline std::unexpected<Error> fail(Error error) { return std::unexpected<Error>(std::move(error)); }

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
