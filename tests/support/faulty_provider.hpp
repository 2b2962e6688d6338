#pragma once
// A provider wrapper for ordering tests: fails the changes it is told to (before they reach the
// real provider, so the tenant is untouched), and logs when each change starts and ends.

#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "reconciler/provider/provider.hpp"

namespace idform::testing {

class FaultyProvider : public provider::Provider {
 public:
  explicit FaultyProvider(provider::Provider& inner) : m_inner(inner) {}

  std::set<std::string> failing;  // addresses whose apply fails

  std::string name() const override { return m_inner.name(); }
  Result<provider::ReadResponse> read(const provider::ReadRequest& request) override { return m_inner.read(request); }
  Diagnostics check(const model::DesiredState& desired) const override { return m_inner.check(desired); }
  Result<provider::ApplyResponse> apply(const provider::ApplyRequest& request) override {
    const plan::Change& change = request.change;
    log("start " + std::string(plan::action_name(change.action)) + " " + change.address);
    Result<provider::ApplyResponse> result = failing.contains(change.address)
                                                 ? Result<provider::ApplyResponse>(fail("injected failure for " + change.address))
                                                 : m_inner.apply(request);
    log("end " + std::string(plan::action_name(change.action)) + " " + change.address);
    return result;
  }

  std::vector<std::string> events() {
    std::lock_guard lock(m_mutex);
    return m_events;
  }

 private:
  void log(std::string event) {
    std::lock_guard lock(m_mutex);
    m_events.push_back(std::move(event));
  }
  provider::Provider& m_inner;
  std::mutex m_mutex;
  std::vector<std::string> m_events;
};

}  // namespace idform::testing
