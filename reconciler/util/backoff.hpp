#pragma once
// The one exponential backoff: the HTTP client's retries and the providers' consistency polls
// wait by it. Equal jitter: between half and all of first * 2^attempt (capped at `most`), so
// clients that failed together spread out, yet none comes back sooner than half the backoff.

#include <algorithm>
#include <chrono>

namespace idform::util {

// `random` is a draw from [0, 1) (the caller's source, so tests can fix it).
inline std::chrono::milliseconds backoff(int attempt, std::chrono::milliseconds first, std::chrono::milliseconds most,
                                         double random) {
  double ceiling = static_cast<double>(first.count()) * static_cast<double>(1LL << std::clamp(attempt, 0, 20));
  ceiling = std::min(ceiling, static_cast<double>(most.count()));
  return std::chrono::milliseconds(static_cast<long long>(ceiling * (0.5 + 0.5 * random)));
}

}  // namespace idform::util
