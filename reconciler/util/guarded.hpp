#pragma once
// The exception barrier at a thread boundary or a provider call. Third-party code (and a bug of
// our own) may throw; an exception escaping a thread ends the process with no summary, no audit
// log and no exit code of ours. guarded() turns it into an internal Error naming what was being
// done, so it is reported like any other failure.

#include <exception>
#include <string>
#include <string_view>

#include "reconciler/util/result.hpp"

namespace idform::util {

// Calls `work` (which returns a Result) and returns its result, or on an exception the Error
// "internal error while <doing>: <what>".
template <typename Work>
auto guarded(std::string_view doing, Work&& work) -> decltype(work()) {
  try {
    return work();
  } catch (const std::exception& error) {
    return fail(ErrorCategory::internal, "internal error while " + std::string(doing) + ": " + error.what());
  } catch (...) {
    return fail(ErrorCategory::internal, "internal error while " + std::string(doing) + ": unknown exception");
  }
}

}  // namespace idform::util
