// Policy weakening, judged attribute by attribute on an update (and on the deletion of an enforced
// policy). A policy applies to fewer sign-ins when an inclusion loses an element, an exclusion
// gains one, or a condition list that means "any" while empty (client app types, risk levels)
// loses an element or stops being empty. It requires less when its state goes down (enabled ->
// report-only -> disabled), a grant control goes, an alternative control is added under `or`,
// `and` becomes `or`, the sign-in frequency lengthens or goes, a persistent browser session is
// allowed, or app-enforced restrictions are switched off. Rules go by path suffix where they can,
// so that fields added to the catalogue later are judged by the same rules.

#include "reconciler/plan/weakening.hpp"

#include <charconv>
#include <optional>

#include "reconciler/model/spec_path.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::plan {
namespace {

int state_strength(const nlohmann::json& state) {
  if (state == "enabled") return 2;
  if (state == "report-only") return 1;
  return 0;
}

// A normalised duration ("8h", "1d", "30m") in minutes; nullopt when absent or unreadable.
std::optional<long long> minutes_of(const nlohmann::json& value) {
  if (!value.is_string()) return std::nullopt;
  const std::string& text = value.get_ref<const std::string&>();
  if (text.size() < 2) return std::nullopt;
  long long amount = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size() - 1, amount);
  if (error != std::errc{} || end != text.data() + text.size() - 1) return std::nullopt;
  switch (text.back()) {
    case 'm': return amount;
    case 'h': return amount * 60;
    case 'd': return amount * 60 * 24;
    default: return std::nullopt;
  }
}

// Condition lists where an empty list (or none) means "every sign-in".
bool is_any_when_empty(const std::string& path) {
  return path == "client_app_types" || path == "sign_in_risk" || path == "user_risk" ||
         path.ends_with("_risk") || path.ends_with("risk_levels");
}

std::string quoted(const nlohmann::json& value) { return value.is_null() ? "(none)" : value.dump(); }

void judge_set(const AttributeChange& attribute, std::vector<std::string>& reasons) {
  const std::string& path = attribute.path;
  if (path.ends_with(".include") && !attribute.removed.empty())
    reasons.push_back("narrows " + path + " by removing " + util::join(attribute.removed, ", "));
  if (path.ends_with(".exclude") && !attribute.added.empty())
    reasons.push_back("adds exclusion(s) to " + path + ": " + util::join(attribute.added, ", "));
  if (path == "grant.controls" && !attribute.removed.empty())
    reasons.push_back("removes grant control(s) " + util::join(attribute.removed, ", "));
  if (is_any_when_empty(path)) {
    if (!attribute.removed.empty() && !is_empty_list(attribute.after))
      reasons.push_back("narrows " + path + " by removing " + util::join(attribute.removed, ", "));
    else if (is_empty_list(attribute.before) && !is_empty_list(attribute.after))
      reasons.push_back("limits " + path + " to " + util::join(attribute.added, ", ") + " (was any)");
  }
}

void judge_value(const AttributeChange& attribute, std::vector<std::string>& reasons) {
  const std::string& path = attribute.path;
  const nlohmann::json& before = attribute.before;
  const nlohmann::json& after = attribute.after;
  if (path == "state" && state_strength(after) < state_strength(before))
    reasons.push_back("state " + quoted(before) + " -> " + quoted(after));
  if (path == "grant.operator" && util::to_lower(before.is_string() ? before.get<std::string>() : "") == "and" &&
      util::to_lower(after.is_string() ? after.get<std::string>() : "") == "or")
    reasons.push_back("grant operator and -> or: one control is enough where all were required");
  if (path == "session.sign_in_frequency") {
    auto old_minutes = minutes_of(before), new_minutes = minutes_of(after);
    if (old_minutes && (!new_minutes || *new_minutes > *old_minutes))
      reasons.push_back("sign-in frequency " + quoted(before) + " -> " + quoted(after));
  }
  if (path == "session.persistent_browser" && before == "never" && after != "never")
    reasons.push_back("persistent browser sessions " + quoted(before) + " -> " + quoted(after));
  if (path == "session.app_enforced_restrictions" && before == true && after != true)
    reasons.push_back("app-enforced restrictions switched off");
}

// An alternative control added where one of several suffices.
void judge_alternatives(const Change& change, std::vector<std::string>& reasons) {
  if (util::to_lower(model::string_at(change.desired, "grant.operator")) != "or") return;
  for (const AttributeChange& attribute : change.attributes)
    if (attribute.path == "grant.controls" && !attribute.added.empty() && !is_empty_list(attribute.before))
      reasons.push_back("adds alternative grant control(s) " + util::join(attribute.added, ", ") +
                        " under operator or");
}

}  // namespace

std::vector<std::string> policy_weakenings(const Change& change) {
  std::vector<std::string> reasons;
  if (change.kind != model::Kind::conditional_access_policy) return reasons;
  if (change.action == Action::delete_) {
    if (model::string_at(change.live, "state") == "enabled")
      reasons.push_back("deletes an enabled policy");
    return reasons;
  }
  if (change.action != Action::update) return reasons;
  for (const AttributeChange& attribute : change.attributes) {
    if (attribute.is_set) judge_set(attribute, reasons);
    else judge_value(attribute, reasons);
  }
  judge_alternatives(change, reasons);
  return reasons;
}

std::vector<std::string> location_widenings(const Change& change) {
  std::vector<std::string> reasons;
  if (change.kind != model::Kind::named_location || change.action != Action::update) return reasons;
  for (const AttributeChange& attribute : change.attributes) {
    if ((attribute.path == "ip_ranges" || attribute.path == "countries") && !attribute.added.empty())
      reasons.push_back("adds " + util::join(attribute.added, ", ") + " to " + attribute.path);
    if ((attribute.path == "trusted" || attribute.path == "include_unknown_countries") && attribute.after == true &&
        attribute.before != true)
      reasons.push_back("switches " + attribute.path + " on");
  }
  return reasons;
}

}  // namespace idform::plan
