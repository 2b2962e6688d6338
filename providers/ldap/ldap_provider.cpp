// The ldap provider: reads groups and users with paged searches and maps member DNs to names;
// applies one change as one LDAP operation where it can (add, a single modify of description and
// members, modrdn, delete), keeping groupOfNames' "at least one member" rule and, on OpenLDAP,
// the member values of other groups that point at a renamed or deleted group.

#include "providers/ldap/ldap_provider.hpp"

#include <cstdio>
#include <set>

#include "providers/common/references.hpp"
#include "providers/ldap/capabilities.hpp"
#include "providers/ldap/ldap_directory.hpp"
#include "providers/ldap/ranged_values.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::ldap {

struct LdapProvider::GroupEntry {
  Entry entry;
  std::vector<std::string> members;
};

namespace {

std::string to_hex(const std::string& bytes) {
  std::string out;
  char digits[3];
  for (unsigned char byte : bytes) {
    std::snprintf(digits, sizeof digits, "%02x", byte);
    out += digits;
  }
  return out;
}

Error with_address(Error error, const std::string& address) {
  error.address = address;
  return error;
}

}  // namespace

LdapProvider::LdapProvider(LdapSettings settings, std::unique_ptr<Directory> directory)
    : m_settings(std::move(settings)), m_directory(std::move(directory)) {}

Diagnostics LdapProvider::check(const model::DesiredState& desired) const { return check_expressible(desired); }

std::string LdapProvider::id_of(const Entry& entry) const {
  if (m_settings.dialect == Dialect::openldap) return entry.first("entryuuid");
  return to_hex(entry.first("objectguid"));
}

std::string LdapProvider::id_filter(const std::string& id) const {
  if (m_settings.dialect == Dialect::openldap) return "(entryUUID=" + escape_filter_value(id) + ")";
  std::string filter = "(objectGUID=";
  for (std::size_t i = 0; i + 1 < id.size(); i += 2) filter += "\\" + id.substr(i, 2);
  return filter + ")";
}

Result<std::vector<LdapProvider::GroupEntry>> LdapProvider::read_groups() {
  std::vector<GroupEntry> groups;
  std::string id_attribute = m_settings.dialect == Dialect::openldap ? "entryUUID" : "objectGUID";
  SearchRequest request{m_settings.base_dn, Scope::subtree, "(objectClass=" + m_settings.group_class() + ")",
                        {"cn", "description", "member", id_attribute}};
  IDFORM_TRY(m_directory->search(request, [&](Entry&& entry) -> Result<void> {
    groups.push_back({std::move(entry), {}});
    return {};
  }));
  // Ranges are followed after the paged search is done: one operation at a time.
  for (GroupEntry& group : groups) group.members = IDFORM_TRY(complete_values(*m_directory, group.entry, "member"));
  return groups;
}

Result<std::map<std::string, model::User>> LdapProvider::read_users() {
  std::map<std::string, model::User> users;
  const std::string attribute = m_settings.user_attribute;
  SearchRequest request{m_settings.base_dn, Scope::subtree,
                        "(&" + m_settings.effective_user_filter() + "(" + attribute + "=*))", {attribute, "cn"}};
  IDFORM_TRY(m_directory->search(request, [&](Entry&& entry) -> Result<void> {
    std::string value = entry.first(util::to_lower(attribute));
    if (!value.empty()) users[dn_key(entry.dn)] = model::User{entry.dn, value, entry.first("cn")};
    return {};
  }));
  return users;
}

Result<provider::ReadResponse> LdapProvider::read(const provider::ReadRequest& request) {
  std::lock_guard lock(m_mutex);
  provider::ReadResponse response;
  if (request.progress) request.progress->start_phase("reading users from " + m_settings.url);
  auto users = IDFORM_TRY(read_users());
  for (const auto& [key, user] : users) response.state.users.push_back(user);
  if (request.progress) request.progress->add_done(static_cast<long long>(users.size()));
  if (!request.kinds.empty() && !request.kinds.contains(model::Kind::group)) return response;

  if (request.progress) request.progress->start_phase("reading groups from " + m_settings.url);
  std::vector<GroupEntry> groups = IDFORM_TRY(read_groups());
  if (request.progress) request.progress->add_done(static_cast<long long>(groups.size()));
  common::NameMap names;  // dn_key -> cn (emptied when shared)
  std::map<std::string, std::string> ids;  // dn_key -> id
  for (const GroupEntry& group : groups) {
    std::string key = dn_key(group.entry.dn);
    names[key] = group.entry.first("cn");
    ids[key] = id_of(group.entry);
    m_dn_of_id[ids[key]] = group.entry.dn;
  }
  common::drop_shared_names(names);
  const std::string placeholder = dn_key(m_settings.placeholder_member);
  for (const GroupEntry& group : groups) {
    model::Resource resource;
    resource.kind = model::Kind::group;
    resource.id = id_of(group.entry);
    resource.name = group.entry.first("cn");
    if (const auto& description = group.entry.values("description"); !description.empty())
      resource.spec["description"] = description.front();
    nlohmann::json members = nlohmann::json::array();
    for (const std::string& dn : group.members) {
      std::string key = dn_key(dn);
      if (!placeholder.empty() && key == placeholder) continue;
      if (auto user = users.find(key); user != users.end()) members.push_back("user:" + user->second.email);
      else if (ids.contains(key)) members.push_back(common::name_or_id(names, "group:", key, ids[key]));
      else members.push_back("user:id:" + dn);
    }
    resource.spec["members"] = std::move(members);
    response.state.resources.push_back(std::move(resource));
  }
  return response;
}

Result<std::string> LdapProvider::group_dn(const std::string& id) {
  if (auto found = m_dn_of_id.find(id); found != m_dn_of_id.end()) return found->second;
  std::string dn;
  SearchRequest request{m_settings.base_dn, Scope::subtree, id_filter(id), {"cn"}};
  IDFORM_TRY(m_directory->search(request, [&](Entry&& entry) -> Result<void> {
    dn = entry.dn;
    return {};
  }));
  if (dn.empty()) return fail("no group with id " + id + " under " + m_settings.base_dn);
  m_dn_of_id[id] = dn;
  return dn;
}

Result<std::string> LdapProvider::user_dn(const std::string& element, const std::map<std::string, std::string>& ids) {
  if (auto id = common::resolve_reference(ids, element)) return *id;
  // Not resolved by the applier (a saved plan applied after the user appeared): look it up.
  std::string value = model::Reference::parse(element).value;
  const std::string& attribute = m_settings.user_attribute;
  std::string dn;
  SearchRequest request{m_settings.base_dn, Scope::subtree,
                        "(&" + m_settings.effective_user_filter() + "(" + attribute + "=" + escape_filter_value(value) + "))",
                        {attribute}};
  IDFORM_TRY(m_directory->search(request, [&](Entry&& entry) -> Result<void> {
    dn = entry.dn;
    return {};
  }));
  if (dn.empty()) return fail("no user with " + attribute + "=" + value + " under " + m_settings.base_dn);
  return dn;
}

Result<std::string> LdapProvider::member_dn(const std::string& element, const std::map<std::string, std::string>& ids) {
  if (element.starts_with("user:")) return user_dn(element, ids);
  if (!element.starts_with("group:")) return fail("cannot express member " + element);
  auto id = common::resolve_reference(ids, element);
  if (!id) return fail("cannot resolve " + element);
  return group_dn(*id);
}

Result<std::vector<std::string>> LdapProvider::current_members(const std::string& dn) {
  Entry found;
  IDFORM_TRY(m_directory->search(SearchRequest{dn, Scope::base, "(objectClass=*)", {"member"}},
                                 [&](Entry&& entry) -> Result<void> {
                                   found = std::move(entry);
                                   return {};
                                 }));
  if (found.dn.empty()) return fail(dn + " no longer exists");
  return complete_values(*m_directory, found, "member");
}

Result<void> LdapProvider::change_members(const std::string& dn, const std::vector<std::string>& add,
                                          const std::vector<std::string>& remove) {
  std::vector<std::string> current = IDFORM_TRY(current_members(dn));
  std::map<std::string, std::string> present;  // dn_key -> value as stored
  for (const std::string& member : current) present[dn_key(member)] = member;
  Modification adding{Modification::Op::add, "member", {}};
  Modification removing{Modification::Op::remove, "member", {}};
  std::set<std::string> after;
  for (const auto& [key, value] : present) after.insert(key);
  // Only what is missing is added and only what is there is removed, so a retried change works.
  for (const std::string& member : add)
    if (after.insert(dn_key(member)).second) adding.values.push_back(member);
  std::set<std::string> adding_keys;
  for (const std::string& member : add) adding_keys.insert(dn_key(member));
  for (const std::string& member : remove) {
    // Removing and adding one DN (group:old out, group:new in, for a group renamed meanwhile) keeps it.
    if (adding_keys.contains(dn_key(member))) continue;
    auto found = present.find(dn_key(member));
    if (found == present.end() || !after.contains(found->first)) continue;
    after.erase(found->first);
    removing.values.push_back(found->second);
  }
  if (m_settings.dialect == Dialect::openldap) {
    const std::string placeholder = dn_key(m_settings.placeholder_member);
    bool holds_placeholder = !placeholder.empty() && after.contains(placeholder);
    std::size_t real = after.size() - (holds_placeholder ? 1 : 0);
    if (real == 0 && !holds_placeholder) {
      if (placeholder.empty())
        return fail("a groupOfNames must have at least one member, and this change would leave " + dn + " with none",
                    "set placeholder_member in the target to a DN the provider may put in empty groups");
      adding.values.push_back(m_settings.placeholder_member);
    } else if (real > 0 && holds_placeholder) {
      removing.values.push_back(present.contains(placeholder) ? present[placeholder] : m_settings.placeholder_member);
    }
  }
  std::vector<Modification> modifications;
  if (!adding.values.empty()) modifications.push_back(std::move(adding));
  if (!removing.values.empty()) modifications.push_back(std::move(removing));
  if (modifications.empty()) return {};
  return m_directory->modify(dn, modifications);
}

Result<void> LdapProvider::follow_references(const std::string& old_dn, const std::string& new_dn) {
  if (m_settings.dialect != Dialect::openldap) return {};  // Active Directory keeps links itself
  std::vector<std::string> referring;
  SearchRequest request{m_settings.base_dn, Scope::subtree,
                        "(&(objectClass=" + m_settings.group_class() + ")(member=" + escape_filter_value(old_dn) + "))",
                        {"cn"}};
  IDFORM_TRY(m_directory->search(request, [&](Entry&& entry) -> Result<void> {
    referring.push_back(entry.dn);
    return {};
  }));
  for (const std::string& dn : referring) {
    std::vector<std::string> add;
    if (!new_dn.empty()) add.push_back(new_dn);
    IDFORM_TRY(change_members(dn, add, {old_dn}));
  }
  return {};
}

Result<provider::ApplyResponse> LdapProvider::create_group(const provider::ApplyRequest& request) {
  const plan::Change& change = request.change;
  const std::string dn = "cn=" + escape_rdn_value(change.name) + "," + m_settings.group_container;
  std::map<std::string, std::vector<std::string>> attributes;
  attributes["objectClass"] = {"top", m_settings.group_class()};
  attributes["cn"] = {change.name};
  if (m_settings.dialect == Dialect::active_directory) attributes["sAMAccountName"] = {change.name};
  if (const auto found = change.desired.find("description"); found != change.desired.end() && found->is_string())
    attributes["description"] = {found->get<std::string>()};
  std::vector<std::string> members;
  if (const auto found = change.desired.find("members"); found != change.desired.end() && found->is_array())
    for (const auto& element : *found) members.push_back(IDFORM_TRY(member_dn(element.get<std::string>(), request.ids)));
  if (members.empty() && m_settings.dialect == Dialect::openldap) {
    if (m_settings.placeholder_member.empty())
      return fail("a groupOfNames must have at least one member, and " + change.address + " has none",
                  "list a member, or set placeholder_member in the target to a DN the provider may put in empty groups");
    members.push_back(m_settings.placeholder_member);
  }
  if (!members.empty()) attributes["member"] = members;
  IDFORM_TRY(m_directory->add(dn, attributes));

  std::string id_attribute = m_settings.dialect == Dialect::openldap ? "entryUUID" : "objectGUID";
  provider::ApplyResponse response;
  IDFORM_TRY(m_directory->search(SearchRequest{dn, Scope::base, "(objectClass=*)", {id_attribute}},
                                 [&](Entry&& entry) -> Result<void> {
                                   response.id = id_of(entry);
                                   return {};
                                 }));
  if (response.id.empty()) return fail("created " + dn + " but cannot read its " + id_attribute);
  m_dn_of_id[response.id] = dn;
  return response;
}

Result<provider::ApplyResponse> LdapProvider::update_group(const provider::ApplyRequest& request) {
  const plan::Change& change = request.change;
  std::string dn = IDFORM_TRY(group_dn(change.id));
  std::string new_name;
  std::vector<Modification> modifications;
  for (const plan::AttributeChange& attribute : change.attributes) {
    if (attribute.path == "name") {
      new_name = attribute.after.get<std::string>();
    } else if (attribute.path == "description") {
      Modification replace{Modification::Op::replace, "description", {}};
      if (attribute.after.is_string()) replace.values.push_back(attribute.after.get<std::string>());
      modifications.push_back(std::move(replace));
    } else if (attribute.path == "members") {
      std::vector<std::string> add, remove;
      for (const std::string& element : attribute.added) add.push_back(IDFORM_TRY(member_dn(element, request.ids)));
      for (const std::string& element : attribute.removed) remove.push_back(IDFORM_TRY(member_dn(element, request.ids)));
      IDFORM_TRY(change_members(dn, add, remove));
    } else {
      return fail(attribute.path + ": provider \"ldap\" cannot express this");
    }
  }
  if (!modifications.empty()) IDFORM_TRY(m_directory->modify(dn, modifications));
  if (!new_name.empty()) {
    IDFORM_TRY(m_directory->rename(dn, "cn=" + escape_rdn_value(new_name)));
    std::string renamed = "cn=" + escape_rdn_value(new_name) + "," + parent_dn(dn);
    m_dn_of_id[change.id] = renamed;
    IDFORM_TRY(follow_references(dn, renamed));
  }
  return provider::ApplyResponse{change.id};
}

Result<provider::ApplyResponse> LdapProvider::delete_group(const provider::ApplyRequest& request) {
  const plan::Change& change = request.change;
  std::string dn = IDFORM_TRY(group_dn(change.id));
  IDFORM_TRY(follow_references(dn, ""));
  IDFORM_TRY(m_directory->remove(dn));
  m_dn_of_id.erase(change.id);
  return provider::ApplyResponse{change.id};
}

Result<provider::ApplyResponse> LdapProvider::apply(const provider::ApplyRequest& request) {
  std::lock_guard lock(m_mutex);
  const plan::Change& change = request.change;
  if (change.kind != model::Kind::group)
    return fail(with_address(Error{"provider \"ldap\" cannot express this kind", "it manages groups only", {}, {}},
                             change.address));
  Result<provider::ApplyResponse> response;
  switch (change.action) {
    case plan::Action::create: response = create_group(request); break;
    case plan::Action::update: response = update_group(request); break;
    case plan::Action::delete_: response = delete_group(request); break;
    case plan::Action::no_op: return provider::ApplyResponse{change.id};
  }
  if (!response) return fail(with_address(response.error(), change.address));
  return response;
}

Result<std::unique_ptr<provider::Provider>> make_ldap_provider(const provider::TargetContext& context,
                                                               const EnvLookup& env) {
  LdapSettings settings = IDFORM_TRY(parse_settings(context.target_name, context.settings, context.config_root, env));
  std::unique_ptr<Directory> directory = IDFORM_TRY(LdapDirectory::connect(settings));
  return std::make_unique<LdapProvider>(std::move(settings), std::move(directory));
}

}  // namespace idform::providers::ldap
