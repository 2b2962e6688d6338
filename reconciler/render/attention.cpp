// Collecting the attention items from a plan: pure, shared by the text and markdown renderers
// so that both always call out the same things.

#include "reconciler/render/attention.hpp"

#include "reconciler/model/resource.hpp"

namespace idform::render {

bool Attention::empty() const {
  return blocked.empty() && deletions.empty() && removals.empty() && weakening.empty() && remediations.empty() &&
         expiring.empty();
}

std::string describe_expiry(const plan::Grant& grant) {
  std::string out = grant.expires;
  if (grant.days_left == 0) out += " (today)";
  else if (grant.days_left > 0) out += " (in " + std::to_string(grant.days_left) + (grant.days_left == 1 ? " day)" : " days)");
  if (!grant.reason.empty()) out += ": " + grant.reason;
  return out;
}

Attention collect_attention(const plan::Plan& plan) {
  Attention out;
  for (const plan::GuardFinding& finding : plan.guards) {
    out.blocked.push_back({finding.guard, finding.message, ""});
    if (finding.guard == "policy_weakening" || finding.guard == "location_widening" ||
        finding.guard == "bypass_membership")
      out.weakening.push_back({"", finding.message, ""});
  }
  for (const plan::GuardFinding& finding : plan.remediations)
    out.remediations.push_back({"", finding.message, ""});
  for (const plan::Change& change : plan.changes) {
    if (change.action == plan::Action::delete_) {
      std::string note = change.reason;
      if (!change.replaced_by.empty()) note += (note.empty() ? "" : "; ") + std::string("replaced by ") + change.replaced_by;
      out.deletions.push_back({change.address, "", note});
    }
    for (const plan::AttributeChange& attribute : change.attributes) {
      if (attribute.path != "members" && attribute.path != "assignments" && attribute.path != "owners") continue;
      for (const std::string& element : attribute.removed) {
        auto note = attribute.notes.find(element);
        out.removals.push_back({change.address, attribute.path + ": " + model::describe_element(element),
                                note == attribute.notes.end() ? "" : note->second});
      }
    }
  }
  for (const plan::Grant* grant : plan::expiring_soon(plan))
    out.expiring.push_back({grant->address, model::describe_element(grant->element), describe_expiry(*grant)});
  return out;
}

GrantNotes::GrantNotes(const plan::Plan& plan) {
  for (const plan::Grant& grant : plan.grants) m_grants[{grant.address, grant.element}] = &grant;
}

std::string GrantNotes::note(const std::string& address, const std::string& element) const {
  auto found = m_grants.find({address, element});
  if (found == m_grants.end() || found->second->status == "expired") return "";
  const plan::Grant& grant = *found->second;
  if (grant.expires.empty()) return grant.reason.empty() ? "" : "   (" + grant.reason + ")";
  return "   (expires " + grant.expires + (grant.reason.empty() ? "" : ": " + grant.reason) + ")";
}

}  // namespace idform::render
