// The list of built-in flavors. To add one, include its header and append its FlavorInfo.
// A flavor still being written is picked up when its header exists, so the framework builds
// with or without it.
#include "core/flavor.hpp"
#include "graph/graph_flavor.hpp"
#if __has_include("okta/okta_flavor.hpp")
#include "okta/okta_flavor.hpp"
#define IDP_SIM_HAS_OKTA_FLAVOR 1
#endif

namespace idp_sim {

const std::vector<FlavorInfo>& registered_flavors() {
  static const std::vector<FlavorInfo> flavors = {
      graph::flavor_info(),
#ifdef IDP_SIM_HAS_OKTA_FLAVOR
      okta::flavor_info(),
#endif
  };
  return flavors;
}

const FlavorInfo* find_flavor(const std::string& name) {
  for (const auto& flavor : registered_flavors()) {
    if (flavor.name == name) return &flavor;
  }
  return nullptr;
}

}  // namespace idp_sim
