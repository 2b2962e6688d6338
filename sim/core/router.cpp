// Routes requests by path templates such as "/groups/{id}/members/$ref".
#include "core/router.hpp"

namespace idp_sim {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> segments;
  for (auto& part : split(path, '/')) {
    if (!part.empty()) segments.push_back(part);
  }
  return segments;
}

}  // namespace idp_sim
