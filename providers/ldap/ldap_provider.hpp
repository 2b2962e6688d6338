#pragma once
// The ldap provider: groups of an LDAP directory (OpenLDAP groupOfNames or Active Directory
// group) with their description and members, users addressed by a configurable attribute (mail,
// userPrincipalName, ...). It implements the same provider::Provider contract as the built-in
// providers; the idform-provider-ldap executable serves it out of process.
//
// Identity: a group's id is its entryUUID (OpenLDAP) or its objectGUID as 32 hex digits (Active
// Directory), so a pinned id survives a rename; its name is its cn, and renaming is a modrdn in
// place. A user's id is its DN. Members are read as user:<attribute value>, group:<cn>, or
// user:id:<DN> for a member DN that is neither a user with the attribute nor a group in base_dn.
//
// OpenLDAP's groupOfNames must have a member: a group the config empties holds
// placeholder_member instead (never shown as a member), and without one the change fails with
// a message saying so. Without the refint overlay OpenLDAP leaves member values pointing at a
// deleted or renamed group, so the provider updates the groups that listed it; Active Directory
// does that itself. docs/providers/ldap.md has the mapping and the settings.

#include <map>
#include <memory>
#include <mutex>

#include "providers/ldap/directory.hpp"
#include "providers/ldap/ldap_settings.hpp"
#include "reconciler/provider/provider.hpp"

namespace idform::providers::ldap {

class LdapProvider final : public provider::Provider {
 public:
  LdapProvider(LdapSettings settings, std::unique_ptr<Directory> directory);

  std::string name() const override { return "ldap"; }
  // Every user with the user attribute is read (one paged search), so member DNs can be named.
  bool reads_every_user() const override { return true; }
  Result<provider::ReadResponse> read(const provider::ReadRequest& request) override;
  Result<provider::ApplyResponse> apply(const provider::ApplyRequest& request) override;
  Diagnostics check(const model::DesiredState& desired) const override;

 private:
  struct GroupEntry;
  Result<std::vector<GroupEntry>> read_groups();
  Result<std::map<std::string, model::User>> read_users();  // by dn_key
  std::string id_of(const Entry& entry) const;
  std::string id_filter(const std::string& id) const;
  Result<std::string> group_dn(const std::string& id);
  Result<std::string> user_dn(const std::string& element, const std::map<std::string, std::string>& ids);
  Result<std::string> member_dn(const std::string& element, const std::map<std::string, std::string>& ids);
  Result<std::vector<std::string>> current_members(const std::string& dn);
  Result<void> change_members(const std::string& dn, const std::vector<std::string>& add,
                              const std::vector<std::string>& remove);
  // Groups whose member values name `old_dn`: point them at `new_dn`, or drop it when empty.
  Result<void> follow_references(const std::string& old_dn, const std::string& new_dn);
  Result<provider::ApplyResponse> create_group(const provider::ApplyRequest& request);
  Result<provider::ApplyResponse> update_group(const provider::ApplyRequest& request);
  Result<provider::ApplyResponse> delete_group(const provider::ApplyRequest& request);

  LdapSettings m_settings;
  std::unique_ptr<Directory> m_directory;
  std::map<std::string, std::string> m_dn_of_id;  // groups seen by read or apply
  std::mutex m_mutex;
};

// The factory for target settings: parses them (password from `env`), connects and binds.
Result<std::unique_ptr<provider::Provider>> make_ldap_provider(const provider::TargetContext& context,
                                                               const EnvLookup& env);

}  // namespace idform::providers::ldap
