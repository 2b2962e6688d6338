#include "reconciler/provider/provider.hpp"

namespace idform::provider {

void Registry::add(std::string name, ProviderFactory factory, CapabilityCheck check) {
  if (check) m_checks[name] = std::move(check);
  m_factories[std::move(name)] = std::move(factory);
}

Diagnostics Registry::check(const std::string& name, const model::DesiredState& desired) const {
  if (!m_factories.contains(name)) {
    std::string known;
    for (const auto& [key, factory] : m_factories) known += (known.empty() ? "" : ", ") + key;
    return {Error{"unknown provider \"" + name + "\"", "known providers: " + known, {}, {}}};
  }
  auto found = m_checks.find(name);
  return found == m_checks.end() ? Diagnostics{} : found->second(desired);
}

Result<std::unique_ptr<Provider>> Registry::create(const std::string& name,
                                                   const TargetContext& context) const {
  auto found = m_factories.find(name);
  if (found == m_factories.end()) {
    std::string known;
    for (const auto& [key, factory] : m_factories) known += (known.empty() ? "" : ", ") + key;
    return fail("unknown provider \"" + name + "\"", "known providers: " + known);
  }
  return found->second(context);
}

std::vector<std::string> Registry::names() const {
  std::vector<std::string> out;
  for (const auto& [key, factory] : m_factories) out.push_back(key);
  return out;
}

}  // namespace idform::provider
