// The stale-plan check: a saved plan's objects compared with the tenant as it is now.
#include "reconciler/apply/stale_check.hpp"

#include <map>

#include "reconciler/model/normalize.hpp"
#include "reconciler/model/spec_path.hpp"
#include "reconciler/plan/differ.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::apply {
namespace {

std::string describe_difference(const plan::Change& change, const model::Resource& now) {
  std::vector<std::string> paths;
  if (change.live.is_object()) {
    nlohmann::json current = model::normalize_spec(now.kind, now.spec);
    for (const model::Field& field : model::fields_of(change.kind)) {
      const nlohmann::json* before = model::find_path(change.live, field.path);
      const nlohmann::json* after = model::find_path(current, field.path);
      bool same = (!before && !after) || (before && after && *before == *after);
      if (!same) paths.emplace_back(field.path);
    }
  }
  if (now.name != change.name && change.attributes.empty()) paths.insert(paths.begin(), "name");
  if (paths.empty()) return "changed since the plan was made";
  return util::join(paths, ", ") + " changed since the plan was made";
}

}  // namespace

std::vector<StaleObject> find_stale(const plan::Plan& plan, const model::LiveState& now) {
  std::map<std::string, const model::Resource*> by_id;
  std::map<std::string, const model::Resource*> by_address;
  for (const model::Resource& resource : now.resources) {
    by_id[resource.id] = &resource;
    by_address[resource.address()] = &resource;
  }
  std::vector<StaleObject> stale;
  for (const plan::Change& change : plan.changes) {
    if (change.action == plan::Action::create) {
      if (by_address.contains(change.address))
        stale.push_back({change.address, "now exists in the tenant (created since the plan was made)"});
      continue;
    }
    auto found = by_id.find(change.id);
    if (found == by_id.end()) {
      stale.push_back({change.address, "was deleted from the tenant since the plan was made"});
      continue;
    }
    if (plan::fingerprint(*found->second) != change.fingerprint)
      stale.push_back({change.address, describe_difference(change, *found->second)});
  }
  return stale;
}

}  // namespace idform::apply
