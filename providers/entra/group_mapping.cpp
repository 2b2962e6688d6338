// Maps an idform group to a Graph security group and back.
#include "providers/entra/json_fields.hpp"
#include "providers/entra/group_mapping.hpp"

#include <algorithm>

#include "reconciler/util/strings.hpp"

namespace idform::providers::entra {
namespace {

bool has_group_type(const nlohmann::json& group, std::string_view type) {
  if (!group.contains("groupTypes") || !group["groupTypes"].is_array()) return false;
  for (const auto& entry : group["groupTypes"])
    if (entry.is_string() && util::iequals(entry.get<std::string>(), type)) return true;
  return false;
}

}  // namespace

// idform manages cloud security groups with assigned membership. Anything else is read but never
// changed: groups synchronised from on-premises Active Directory (changed there), dynamic groups
// (Entra computes their members from a rule), Microsoft 365 groups and mail-enabled security
// groups (their mail side is Exchange's; Graph refuses member changes on the latter).
bool manageable_group(const nlohmann::json& group) {
  if (flag(group, "onPremisesSyncEnabled") == true) return false;
  if (has_group_type(group, "DynamicMembership") || has_group_type(group, "Unified")) return false;
  return flag(group, "mailEnabled") != true;
}

model::Resource group_resource(const nlohmann::json& group, const TenantSnapshot& snapshot, const NameIndex& names) {
  model::Resource resource;
  resource.kind = model::Kind::group;
  resource.id = text(group, "id");
  resource.name = text(group, "displayName");
  resource.spec["description"] = text(group, "description");
  resource.read_only = !manageable_group(group);

  nlohmann::json owners = nlohmann::json::array();
  if (auto found = snapshot.owners.find(resource.id); found != snapshot.owners.end()) {
    for (const auto& owner : found->second) {
      std::string reference = names.directory_object(owner);
      // Owners are plain emails in the config; other owner types keep their type prefix.
      owners.push_back(reference.starts_with("user:") ? reference.substr(5) : reference);
    }
  }
  nlohmann::json members = nlohmann::json::array();
  if (auto found = snapshot.members.find(resource.id); found != snapshot.members.end())
    for (const auto& member : found->second) members.push_back(names.directory_object(member));
  // Only lists that were read are reported; a read scoped without members leaves them unknown.
  if (snapshot.owners.contains(resource.id)) resource.spec["owners"] = std::move(owners);
  if (snapshot.members.contains(resource.id)) resource.spec["members"] = std::move(members);
  return resource;
}

nlohmann::json new_group_body(const std::string& name, const nlohmann::json& spec) {
  nlohmann::json body = {{"displayName", name},
                         {"mailEnabled", false},
                         {"mailNickname", mail_nickname(name)},
                         {"securityEnabled", true},
                         {"groupTypes", nlohmann::json::array()}};
  if (spec.contains("description") && spec["description"].is_string() && !spec["description"].get<std::string>().empty())
    body["description"] = spec["description"];
  return body;
}

std::string mail_nickname(const std::string& name) {
  static constexpr std::string_view kForbidden = "@()\\[]\";:.<>, ";
  std::string out;
  for (unsigned char c : name) {
    if (c < 0x21 || c > 0x7e || kForbidden.find(static_cast<char>(c)) != std::string_view::npos) {
      if (!out.empty() && out.back() != '-') out += '-';
      continue;
    }
    out += static_cast<char>(c);
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.size() > 64) out.resize(64);
  return out.empty() ? "group" : out;
}

}  // namespace idform::providers::entra
