#include "reconciler/plan/plan_json.hpp"

namespace idform::plan {
namespace {

nlohmann::json attribute_json(const AttributeChange& attribute) {
  nlohmann::json out = {{"path", attribute.path}};
  if (attribute.is_set) {
    out["type"] = "set";
    out["added"] = attribute.added;
    out["removed"] = attribute.removed;
    if (!attribute.notes.empty()) out["notes"] = attribute.notes;
  } else {
    out["type"] = "value";
  }
  out["before"] = attribute.before;
  out["after"] = attribute.after;
  return out;
}

nlohmann::json change_json(const Change& change) {
  nlohmann::json attributes = nlohmann::json::array();
  for (const AttributeChange& attribute : change.attributes) attributes.push_back(attribute_json(attribute));
  nlohmann::json out = {
      {"address", change.address},
      {"kind", model::kind_prefix(change.kind)},
      {"name", change.name},
      {"id", change.id},
      {"action", action_name(change.action)},
      {"attributes", std::move(attributes)},
      {"depends_on", change.depends_on},
      {"fingerprint", change.fingerprint},
      {"guards", change.guards},
      {"desired", change.desired},
      {"live", change.live},
  };
  if (!change.reason.empty()) out["reason"] = change.reason;
  if (!change.replaced_by.empty()) out["replaced_by"] = change.replaced_by;
  return out;
}

Action action_from(const std::string& name) {
  if (name == "create") return Action::create;
  if (name == "update") return Action::update;
  if (name == "delete") return Action::delete_;
  return Action::no_op;
}

Change change_from(const nlohmann::json& in) {
  Change change;
  change.address = in.at("address").get<std::string>();
  auto kind = model::kind_from_prefix(in.at("kind").get<std::string>());
  if (!kind) throw std::invalid_argument("unknown kind \"" + in.at("kind").get<std::string>() + "\" in " + change.address);
  change.kind = *kind;
  change.name = in.at("name").get<std::string>();
  change.id = in.value("id", "");
  change.action = action_from(in.at("action").get<std::string>());
  change.reason = in.value("reason", "");
  change.depends_on = in.value("depends_on", std::vector<std::string>{});
  change.replaced_by = in.value("replaced_by", "");
  change.fingerprint = in.value("fingerprint", "");
  change.guards = in.value("guards", std::vector<std::string>{});
  change.desired = in.value("desired", nlohmann::json());
  change.live = in.value("live", nlohmann::json());
  for (const auto& item : in.at("attributes")) {
    AttributeChange attribute;
    attribute.path = item.at("path").get<std::string>();
    attribute.is_set = item.value("type", "value") == "set";
    attribute.before = item.value("before", nlohmann::json());
    attribute.after = item.value("after", nlohmann::json());
    attribute.added = item.value("added", std::vector<std::string>{});
    attribute.removed = item.value("removed", std::vector<std::string>{});
    attribute.notes = item.value("notes", std::map<std::string, std::string>{});
    change.attributes.push_back(std::move(attribute));
  }
  return change;
}

nlohmann::json finding_json(const GuardFinding& finding) {
  return {{"guard", finding.guard}, {"message", finding.message}, {"addresses", finding.addresses}};
}

GuardFinding finding_from(const nlohmann::json& in) {
  return {in.at("guard").get<std::string>(), in.value("message", ""), in.value("addresses", std::vector<std::string>{})};
}

nlohmann::json grant_json(const Grant& grant) {
  nlohmann::json out = {{"address", grant.address}, {"element", grant.element}, {"path", grant.path},
                        {"expires", grant.expires}, {"reason", grant.reason},   {"status", grant.status}};
  if (grant.days_left >= 0) out["days_left"] = grant.days_left;
  return out;
}

Grant grant_from(const nlohmann::json& in) {
  return {in.at("address").get<std::string>(), in.at("element").get<std::string>(), in.value("path", "members"),
          in.value("expires", ""), in.value("reason", ""), in.value("status", "kept"), in.value("days_left", -1)};
}

}  // namespace

nlohmann::json to_json(const Plan& plan) {
  nlohmann::json changes = nlohmann::json::array();
  for (const Change& change : plan.changes) changes.push_back(change_json(change));
  nlohmann::json unmanaged = nlohmann::json::array();
  for (const UnmanagedObject& object : plan.unmanaged)
    unmanaged.push_back({{"address", object.address}, {"id", object.id}});
  nlohmann::json guards = nlohmann::json::array(), remediations = nlohmann::json::array();
  for (const GuardFinding& finding : plan.guards) guards.push_back(finding_json(finding));
  for (const GuardFinding& finding : plan.remediations) remediations.push_back(finding_json(finding));
  nlohmann::json grants = nlohmann::json::array(), expiring = nlohmann::json::array();
  for (const Grant& grant : plan.grants) grants.push_back(grant_json(grant));
  for (const Grant* grant : expiring_soon(plan)) expiring.push_back(grant_json(*grant));
  Summary summary = summarize(plan);
  return {
      {"format_version", plan.format_version},
      {"target", plan.target},
      {"provider", plan.provider},
      {"config", {{"commit", plan.source.commit}, {"dirty", plan.source.dirty}, {"hash", plan.source.hash}}},
      {"summary",
       {{"create", summary.create},
        {"update", summary.update},
        {"delete", summary.destroy},
        {"unchanged", plan.unchanged},
        {"unmanaged", plan.unmanaged.size()},
        {"member_additions", summary.member_additions},
        {"member_removals", summary.member_removals}}},
      {"blocked", plan.blocked()},
      {"guards", std::move(guards)},
      {"remediations", std::move(remediations)},
      {"grants", std::move(grants)},
      {"expiring_within_days", plan.expiring_within_days},
      {"expiring_soon", std::move(expiring)},
      {"changes", std::move(changes)},
      {"unmanaged", std::move(unmanaged)},
  };
}

Result<Plan> plan_from_json(const nlohmann::json& document) {
  try {
    if (!document.is_object()) return fail("not a plan file: expected a JSON object");
    int version = document.at("format_version").get<int>();
    if (version != kFormatVersion)
      return fail("plan format_version " + std::to_string(version) + " is not supported",
                  "this idform reads format_version " + std::to_string(kFormatVersion));
    Plan plan;
    plan.target = document.at("target").get<std::string>();
    plan.provider = document.at("provider").get<std::string>();
    const auto& config = document.at("config");
    plan.source = {config.value("commit", ""), config.value("dirty", false), config.value("hash", "")};
    plan.unchanged = document.at("summary").value("unchanged", 0);
    for (const auto& change : document.at("changes")) plan.changes.push_back(change_from(change));
    for (const auto& object : document.value("unmanaged", nlohmann::json::array()))
      plan.unmanaged.push_back({object.at("address").get<std::string>(), object.value("id", "")});
    for (const auto& finding : document.value("guards", nlohmann::json::array()))
      plan.guards.push_back(finding_from(finding));
    for (const auto& finding : document.value("remediations", nlohmann::json::array()))
      plan.remediations.push_back(finding_from(finding));
    for (const auto& grant : document.value("grants", nlohmann::json::array())) plan.grants.push_back(grant_from(grant));
    plan.expiring_within_days = document.value("expiring_within_days", 14);
    return plan;
  } catch (const std::exception& error) {
    return fail("malformed plan file", error.what());
  }
}

}  // namespace idform::plan
