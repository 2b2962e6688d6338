// The plan's versioned JSON form: writing and strictly reading plan files.
#include "reconciler/plan/plan_json.hpp"

#include <fstream>
#include <stdexcept>

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
  if (change.declared_absent) out["declared_absent"] = true;
  if (!change.replaced_by.empty()) out["replaced_by"] = change.replaced_by;
  return out;
}

Action action_from(const std::string& name) {
  if (name == "create") return Action::create;
  if (name == "update") return Action::update;
  if (name == "delete") return Action::delete_;
  return Action::no_op;
}

// A member read with its type checked; a problem names where it is ("changes[2].name"), which
// is what the person who edited the file needs, rather than the JSON library's message.
template <typename T>
T member(const nlohmann::json& in, const char* key, const std::string& where) {
  if (!in.is_object()) throw std::invalid_argument(where + " must be an object");
  auto found = in.find(key);
  if (found == in.end()) throw std::invalid_argument(where + "." + key + " is missing");
  try {
    return found->get<T>();
  } catch (const nlohmann::json::exception&) {
    throw std::invalid_argument(where + "." + key + " has the wrong type (" + found->type_name() + ")");
  }
}

template <typename T>
T member_or(const nlohmann::json& in, const char* key, const std::string& where, T fallback) {
  if (in.is_object() && !in.contains(key)) return fallback;
  return member<T>(in, key, where);
}

nlohmann::json member_or_null(const nlohmann::json& in, const char* key) {
  auto found = in.find(key);
  return found == in.end() ? nlohmann::json() : *found;
}

Change change_from(const nlohmann::json& in, const std::string& where) {
  Change change;
  change.address = member<std::string>(in, "address", where);
  std::string kind_name = member<std::string>(in, "kind", where);
  auto kind = model::kind_from_prefix(kind_name);
  if (!kind) throw std::invalid_argument(where + ".kind: unknown kind \"" + kind_name + "\"");
  change.kind = *kind;
  change.name = member<std::string>(in, "name", where);
  change.id = member_or<std::string>(in, "id", where, "");
  change.action = action_from(member<std::string>(in, "action", where));
  change.reason = member_or<std::string>(in, "reason", where, "");
  change.declared_absent = member_or<bool>(in, "declared_absent", where, false);
  change.depends_on = member_or<std::vector<std::string>>(in, "depends_on", where, {});
  change.replaced_by = member_or<std::string>(in, "replaced_by", where, "");
  change.fingerprint = member_or<std::string>(in, "fingerprint", where, "");
  change.guards = member_or<std::vector<std::string>>(in, "guards", where, {});
  change.desired = member_or_null(in, "desired");
  change.live = member_or_null(in, "live");
  const nlohmann::json attributes = member<nlohmann::json>(in, "attributes", where);
  if (!attributes.is_array()) throw std::invalid_argument(where + ".attributes must be a list");
  for (size_t i = 0; i < attributes.size(); ++i) {
    const nlohmann::json& item = attributes[i];
    std::string at = where + ".attributes[" + std::to_string(i) + "]";
    AttributeChange attribute;
    attribute.path = member<std::string>(item, "path", at);
    attribute.is_set = member_or<std::string>(item, "type", at, "value") == "set";
    attribute.before = member_or_null(item, "before");
    attribute.after = member_or_null(item, "after");
    attribute.added = member_or<std::vector<std::string>>(item, "added", at, {});
    attribute.removed = member_or<std::vector<std::string>>(item, "removed", at, {});
    attribute.notes = member_or<std::map<std::string, std::string>>(item, "notes", at, {});
    change.attributes.push_back(std::move(attribute));
  }
  return change;
}

nlohmann::json finding_json(const GuardFinding& finding) {
  return {{"guard", finding.guard}, {"message", finding.message}, {"addresses", finding.addresses}};
}

GuardFinding finding_from(const nlohmann::json& in, const std::string& where) {
  return {member<std::string>(in, "guard", where), member_or<std::string>(in, "message", where, ""),
          member_or<std::vector<std::string>>(in, "addresses", where, {})};
}

nlohmann::json grant_json(const Grant& grant) {
  nlohmann::json out = {{"address", grant.address}, {"element", grant.element}, {"path", grant.path},
                        {"expires", grant.expires}, {"reason", grant.reason},   {"status", grant.status}};
  if (grant.days_left >= 0) out["days_left"] = grant.days_left;
  return out;
}

Grant grant_from(const nlohmann::json& in, const std::string& where) {
  return {member<std::string>(in, "address", where),           member<std::string>(in, "element", where),
          member_or<std::string>(in, "path", where, "members"), member_or<std::string>(in, "expires", where, ""),
          member_or<std::string>(in, "reason", where, ""),      member_or<std::string>(in, "status", where, "kept"),
          member_or<int>(in, "days_left", where, -1)};
}

}  // namespace

nlohmann::json change_to_json(const Change& change) { return change_json(change); }

Result<Plan> read_plan_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return fail("cannot read plan file " + path);
  try {
    nlohmann::json document = nlohmann::json::parse(in);
    auto plan = plan_from_json(document);
    if (!plan) return fail("plan file " + path + ": " + plan.error().summary, plan.error().detail);
    return plan;
  } catch (const nlohmann::json::parse_error& error) {
    return fail("plan file " + path + " is not valid JSON (at byte " + std::to_string(error.byte) + ")");
  }
}

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
    int version = member<int>(document, "format_version", "plan");
    if (version != kFormatVersion)
      return fail("plan format_version " + std::to_string(version) + " is not supported",
                  "this idform reads format_version " + std::to_string(kFormatVersion));
    Plan plan;
    plan.target = member<std::string>(document, "target", "plan");
    plan.provider = member<std::string>(document, "provider", "plan");
    const auto config = member<nlohmann::json>(document, "config", "plan");
    plan.source = {member_or<std::string>(config, "commit", "config", ""), member_or<bool>(config, "dirty", "config", false),
                   member_or<std::string>(config, "hash", "config", "")};
    plan.unchanged = member_or<int>(member<nlohmann::json>(document, "summary", "plan"), "unchanged", "summary", 0);
    const auto changes = member<nlohmann::json>(document, "changes", "plan");
    if (!changes.is_array()) throw std::invalid_argument("changes must be a list");
    for (size_t i = 0; i < changes.size(); ++i) plan.changes.push_back(change_from(changes[i], "changes[" + std::to_string(i) + "]"));
    const auto unmanaged = member_or<nlohmann::json>(document, "unmanaged", "plan", nlohmann::json::array());
    if (!unmanaged.is_array()) throw std::invalid_argument("unmanaged must be a list");
    for (size_t i = 0; i < unmanaged.size(); ++i) {
      std::string where = "unmanaged[" + std::to_string(i) + "]";
      plan.unmanaged.push_back({member<std::string>(unmanaged[i], "address", where),
                                member_or<std::string>(unmanaged[i], "id", where, "")});
    }
    for (const char* list : {"guards", "remediations", "grants"}) {
      const auto items = member_or<nlohmann::json>(document, list, "plan", nlohmann::json::array());
      if (!items.is_array()) throw std::invalid_argument(std::string(list) + " must be a list");
      for (size_t i = 0; i < items.size(); ++i) {
        std::string where = std::string(list) + "[" + std::to_string(i) + "]";
        if (!items[i].is_object()) throw std::invalid_argument(where + " must be an object");
        if (std::string(list) == "guards") plan.guards.push_back(finding_from(items[i], where));
        else if (std::string(list) == "remediations") plan.remediations.push_back(finding_from(items[i], where));
        else plan.grants.push_back(grant_from(items[i], where));
      }
    }
    plan.expiring_within_days = member_or<int>(document, "expiring_within_days", "plan", 14);
    return plan;
  } catch (const std::exception& error) {
    return fail(std::string("malformed plan file: ") + error.what());
  }
}

}  // namespace idform::plan
