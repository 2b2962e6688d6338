// Selecting what `apply --skip-blocked` runs. One pass in plan order suffices: a change comes
// after everything it depends on, so when it is reached its dependencies are already decided.
// Expired entries are removed even from a change that is held back: that change is replaced by
// one carrying only those removals (the providers apply set attributes as deltas, so the rest of
// the object is untouched), and its dependents stay held back, since the rest did not happen.

#include "reconciler/apply/partial.hpp"

#include <map>

#include "reconciler/util/strings.hpp"

namespace idform::apply {
namespace {

// Only the removals of expired entries from `change`; nullopt when it has none.
std::optional<plan::Change> expiry_part(const plan::Change& change) {
  if (change.action != plan::Action::update) return std::nullopt;
  plan::Change part = change;
  part.attributes.clear();
  part.guards.clear();
  for (const plan::AttributeChange& attribute : change.attributes) {
    if (!attribute.is_set) continue;
    plan::AttributeChange removal;
    removal.path = attribute.path;
    removal.is_set = true;
    removal.before = attribute.before;
    removal.after = attribute.before;
    for (const std::string& element : attribute.removed) {
      if (!plan::removes_expired(attribute, element)) continue;
      removal.removed.push_back(element);
      removal.notes[element] = attribute.notes.at(element);
    }
    if (!removal.removed.empty()) part.attributes.push_back(std::move(removal));
  }
  if (part.attributes.empty()) return std::nullopt;
  return part;
}

}  // namespace

Selection select_unblocked(const plan::Plan& plan, const std::set<std::string>& accepted) {
  Selection selection;
  selection.plan = plan;
  selection.plan.changes.clear();
  std::map<std::string, std::string> held;  // address -> why
  for (const plan::Change& change : plan.changes) {
    std::vector<std::string> blocking;
    for (const std::string& guard : change.guards)
      if (!accepted.contains(guard)) blocking.push_back(guard);
    std::string reason;
    if (!blocking.empty()) reason = "blocked by guard " + util::join(blocking, ", ");
    for (const std::string& dependency : change.depends_on) {
      if (!reason.empty()) break;
      if (held.contains(dependency)) reason = "depends on " + dependency + ", which is held back";
    }
    if (reason.empty()) {
      selection.plan.changes.push_back(change);
      continue;
    }
    held[change.address] = reason;
    std::optional<plan::Change> expiry = expiry_part(change);
    if (expiry) {
      reason += "; its removal of expired entries is applied";
      selection.plan.changes.push_back(std::move(*expiry));
    }
    selection.held_back.push_back({change.address, change.action, "held back: " + reason});
  }
  return selection;
}

}  // namespace idform::apply
