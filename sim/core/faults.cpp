// Seeded fault injection: whether the n-th request fails depends only on the seed and n.
#include "core/faults.hpp"

namespace idp_sim {

namespace {
std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
}  // namespace

double seeded_uniform(std::uint64_t seed, std::uint64_t index, std::uint64_t stream) {
  std::uint64_t mixed = splitmix64(splitmix64(seed ^ (stream * 0x632be59bd9b4e019ULL)) + index);
  return static_cast<double>(mixed >> 11) / static_cast<double>(1ULL << 53);
}

FaultInjector::FaultInjector(FaultOptions options) : m_options(std::move(options)) {}

bool FaultInjector::enabled() const {
  return m_options.error_rate > 0 || m_options.drop_rate > 0 || (m_options.slow_rate > 0 && m_options.slow_ms > 0);
}

FaultDecision FaultInjector::next() {
  FaultDecision decision;
  if (!enabled()) return decision;
  std::uint64_t index = m_counter++;
  double outcome = seeded_uniform(m_options.seed, index, 1);
  if (outcome < m_options.drop_rate) {
    bool after = m_options.drop_phase == "after" ||
                 (m_options.drop_phase == "mixed" && seeded_uniform(m_options.seed, index, 2) < 0.5);
    decision.kind = after ? FaultDecision::Kind::drop_after : FaultDecision::Kind::drop_before;
  } else if (outcome < m_options.drop_rate + m_options.error_rate && !m_options.error_statuses.empty()) {
    decision.kind = FaultDecision::Kind::error;
    auto pick = static_cast<std::size_t>(seeded_uniform(m_options.seed, index, 3) *
                                         static_cast<double>(m_options.error_statuses.size()));
    decision.status = m_options.error_statuses[pick % m_options.error_statuses.size()];
  }
  if (m_options.slow_ms > 0 && seeded_uniform(m_options.seed, index, 4) < m_options.slow_rate) {
    decision.delay_seconds = m_options.slow_ms / 1000.0;
  }
  return decision;
}

}  // namespace idp_sim
