#pragma once
// Seeded fault injection. The decision for the n-th API request depends only on (seed, n), so a
// client that sends the same sequence of requests meets the same faults on every run, whatever
// the timing. POST /_sim/reset rewinds n to zero.
#include <atomic>
#include <cstdint>

#include "core/options.hpp"

namespace idp_sim {

struct FaultDecision {
  enum class Kind { none, error, drop_before, drop_after };
  Kind kind = Kind::none;
  int status = 0;          // for Kind::error
  double delay_seconds = 0;  // virtual seconds to wait before answering (slow response)
};

class FaultInjector {
public:
  explicit FaultInjector(FaultOptions options);

  bool enabled() const;
  // Draws the decision for the next request.
  FaultDecision next();
  void rewind() { m_counter = 0; }

private:
  FaultOptions m_options;
  std::atomic<std::uint64_t> m_counter{0};
};

// Deterministic uniform number in [0, 1) for (seed, index, stream).
double seeded_uniform(std::uint64_t seed, std::uint64_t index, std::uint64_t stream);

}  // namespace idp_sim
