// The plan as plain data: action names, the summary counts, grants that expire soon.
#include "reconciler/plan/plan.hpp"

namespace idform::plan {

std::string_view action_name(Action action) {
  switch (action) {
    case Action::create: return "create";
    case Action::update: return "update";
    case Action::delete_: return "delete";
    case Action::no_op: return "no-op";
  }
  return "no-op";
}

bool removes_expired(const AttributeChange& attribute, const std::string& element) {
  return attribute.notes.contains(element);
}

Summary summarize(const Plan& plan) {
  Summary summary;
  for (const Change& change : plan.changes) {
    switch (change.action) {
      case Action::create: ++summary.create; break;
      case Action::update: ++summary.update; break;
      case Action::delete_: ++summary.destroy; break;
      case Action::no_op: break;
    }
    for (const AttributeChange& attribute : change.attributes) {
      if (attribute.path != "members") continue;
      summary.member_additions += static_cast<int>(attribute.added.size());
      summary.member_removals += static_cast<int>(attribute.removed.size());
    }
  }
  return summary;
}

std::vector<const Grant*> expiring_soon(const Plan& plan) {
  std::vector<const Grant*> out;
  for (const Grant& grant : plan.grants)
    if (grant.status != "expired" && grant.days_left >= 0 && grant.days_left <= plan.expiring_within_days)
      out.push_back(&grant);
  return out;
}

}  // namespace idform::plan
