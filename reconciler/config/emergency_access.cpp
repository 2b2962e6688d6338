// The lock-out lint: enabled conditional access policies must exclude every emergency-access account.
#include "reconciler/config/emergency_access.hpp"

#include <algorithm>

#include "reconciler/model/spec_path.hpp"

namespace idform::config {

Diagnostics check_emergency_access(const Project& project, const std::vector<model::Resource>& resources) {
  Diagnostics out;
  for (const model::Resource& policy : resources) {
    if (policy.kind != model::Kind::conditional_access_policy || policy.lifecycle == model::Lifecycle::absent) continue;
    if (policy.spec.value("state", "") == "disabled") continue;
    const nlohmann::json* excluded = model::find_path(policy.spec, "users.exclude");
    for (const std::string& address : project.emergency_access) {
      bool found = excluded && excluded->is_array() &&
                   std::find(excluded->begin(), excluded->end(), address) != excluded->end();
      if (found) continue;
      auto location = policy.locations.find(excluded ? "users.exclude" : "users");
      SourceLocation where = location != policy.locations.end() ? location->second : policy.where;
      out.push_back(Error{"policy \"" + policy.name + "\" does not exclude emergency-access " + address,
                          "every enabled or report-only policy must list it in users.exclude "
                          "(emergency_access in idform.yaml), so it can never lock out the break-glass accounts",
                          policy.address(), where});
    }
  }
  return out;
}

}  // namespace idform::config
