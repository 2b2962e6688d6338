// Comparing a saved plan with the plan made now (see saved_plan_check.hpp). Both are put in
// their JSON form, which is the plan's contract and holds everything apply acts on, and compared
// change by change, keyed by address; a difference is described by the top-level members of the
// change that differ, so the message says what was edited without echoing tenant data at length.

#include "reconciler/apply/saved_plan_check.hpp"

#include <map>

#include "reconciler/plan/plan_json.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::apply {
namespace {

std::map<std::string, nlohmann::json> by_address(const plan::Plan& plan, std::vector<std::string>& problems) {
  std::map<std::string, nlohmann::json> out;
  nlohmann::json document = plan::to_json(plan);
  for (nlohmann::json& change : document["changes"]) {
    std::string address = change.value("address", "");
    if (out.contains(address)) problems.push_back(address + ": appears more than once in the plan file");
    out[address] = std::move(change);
  }
  return out;
}

}  // namespace

std::vector<std::string> saved_plan_differences(const plan::Plan& saved, const plan::Plan& fresh) {
  std::vector<std::string> problems;
  auto old_changes = by_address(saved, problems);
  std::vector<std::string> ignored;
  auto new_changes = by_address(fresh, ignored);
  for (const auto& [address, change] : old_changes) {
    auto found = new_changes.find(address);
    if (found == new_changes.end()) {
      problems.push_back(address + ": in the plan file but not planned now");
      continue;
    }
    std::vector<std::string> members;
    for (const auto& [key, value] : change.items())
      if (!found->second.contains(key) || found->second[key] != value) members.push_back(key);
    for (const auto& [key, value] : found->second.items())
      if (!change.contains(key)) members.push_back(key);
    if (!members.empty()) problems.push_back(address + ": differs from the plan made now in " + util::join(members, ", "));
  }
  for (const auto& [address, change] : new_changes)
    if (!old_changes.contains(address)) problems.push_back(address + ": planned now but not in the plan file");
  // Order matters too: the saved order is what was reviewed and what dependencies rely on.
  if (problems.empty() && saved.changes.size() == fresh.changes.size()) {
    for (size_t i = 0; i < saved.changes.size(); ++i)
      if (saved.changes[i].address != fresh.changes[i].address) {
        problems.push_back("the changes are in another order than planned now (first at " + saved.changes[i].address + ")");
        break;
      }
  }
  return problems;
}

}  // namespace idform::apply
