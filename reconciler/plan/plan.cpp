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

}  // namespace idform::plan
