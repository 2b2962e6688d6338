#pragma once
// The settings of an ldap target in idform.yaml, checked once when the provider is created.
//
//   url: ldaps://dc1.example.test        ldap://, ldaps:// (TLS from the start) or ldap:// + start_tls
//   start_tls: true                      upgrade an ldap:// connection before binding
//   ca_file: certs/ca.pem                trust these authorities (relative to idform.yaml); the
//                                        system's otherwise. Certificates are always verified.
//   bind_dn: cn=idform,ou=service,dc=example,dc=test
//   password_env: IDFORM_LDAP_PASSWORD   the variable holding the bind password (never printed)
//   base_dn: dc=example,dc=test          where groups and users are searched
//   group_container: ou=groups,dc=example,dc=test   where new groups are created
//   user_attribute: mail                 how config addresses users (mail, userPrincipalName, uid)
//   dialect: openldap                    openldap (groupOfNames) or active_directory (group)
//   placeholder_member: cn=nobody,...    openldap only: the member an empty group holds
//   page_size: 500                       paged results page size (1..5000)
// docs/providers/ldap.md describes each.

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "reconciler/util/result.hpp"

namespace idform::providers::ldap {

enum class Dialect { openldap, active_directory };

struct LdapSettings {
  std::string target_name;
  std::string url;
  bool start_tls = false;
  std::string ca_file;  // absolute; empty = the system's authorities
  std::string bind_dn;  // empty = anonymous
  std::string password_env;
  std::string password;  // read from password_env; registered as a secret
  std::string base_dn;
  std::string group_container;
  std::string user_attribute = "mail";
  std::string user_filter;   // empty = the dialect's default
  std::string placeholder_member;
  Dialect dialect = Dialect::openldap;
  int page_size = 500;
  int timeout_seconds = 30;

  // The object class of groups and the filter that finds them.
  std::string group_class() const { return dialect == Dialect::openldap ? "groupOfNames" : "group"; }
  std::string effective_user_filter() const;
};

using EnvLookup = std::function<std::string(const std::string&)>;

// The target's settings (its `settings:` mapping when it has one, else the target mapping
// itself), with `config_root` for a relative ca_file. Errors name the target.
Result<LdapSettings> parse_settings(const std::string& target_name, const nlohmann::json& settings,
                                    const std::string& config_root, const EnvLookup& env);

// The JSON Schema of an ldap target's settings (what the plugin hands over in its handshake).
const nlohmann::json& settings_schema();

}  // namespace idform::providers::ldap
