// Maps an idform group to an Okta group and back.
#include "providers/okta/group_mapping.hpp"

#include "providers/okta/json_fields.hpp"

namespace idform::providers::okta {

model::Resource group_resource(const nlohmann::json& group, const TenantSnapshot& snapshot, const NameIndex& names) {
  model::Resource resource;
  resource.kind = model::Kind::group;
  resource.id = text(group, "id");
  nlohmann::json profile = child(group, "profile");
  resource.name = text(profile, "name");
  resource.spec["description"] = text(profile, "description");
  resource.read_only = text(group, "type", "OKTA_GROUP") != "OKTA_GROUP";
  // Only member lists that were read are reported; a read scoped without members leaves them unknown.
  if (auto found = snapshot.members.find(resource.id); found != snapshot.members.end()) {
    nlohmann::json members = nlohmann::json::array();
    for (const std::string& user_id : found->second) members.push_back(names.user(user_id));
    resource.spec["members"] = std::move(members);
  }
  return resource;
}

nlohmann::json group_profile(const nlohmann::json& current, const std::string& name, const nlohmann::json& spec) {
  nlohmann::json profile = current.is_object() ? current : nlohmann::json::object();
  profile["name"] = name;
  if (spec.is_object() && spec.contains("description") && spec["description"].is_string()) {
    std::string description = spec["description"].get<std::string>();
    profile["description"] = description.empty() ? nlohmann::json() : nlohmann::json(description);
  }
  return profile;
}

}  // namespace idform::providers::okta
