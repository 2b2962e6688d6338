#pragma once
// POST /_sim/hold-writes: lets a given number of further writes through, then holds every later
// one unanswered, so that a test can stop its client right after a chosen write and know that
// nothing after it reached the tenant. Releasing the hold discards the held writes (they are
// answered 503 and never applied: their client is gone by then) and lets later ones through.
// A write is any API request that is not a GET or HEAD, except token requests; a Graph $batch
// counts as the writes among its items and is held as a whole.
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>

#include "core/http_types.hpp"

namespace idp_sim {

class WriteHold {
public:
  // How many writes `request` makes (0 for a read).
  static int writes_in(const SimRequest& request);

  // From now on, `allowed` more writes pass; later ones wait.
  void hold_after(std::int64_t allowed);
  // Lifts the hold; the writes waiting are discarded.
  void release();
  // Whether a request making `writes` writes may be served: true at once while the hold allows it;
  // otherwise waits, and returns false when the hold is released (the request is discarded).
  bool admit(int writes);

  std::optional<std::int64_t> remaining() const;
  int waiting() const;

private:
  mutable std::mutex m_mutex;
  std::condition_variable m_released;
  std::optional<std::int64_t> m_remaining;
  std::uint64_t m_generation = 0;
  int m_waiting = 0;
};

}  // namespace idp_sim
