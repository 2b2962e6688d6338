// Reads and checks an ldap target's settings; holds the JSON Schema the plugin announces.

#include "providers/ldap/ldap_settings.hpp"

#include <filesystem>

#include "reconciler/util/redact.hpp"

namespace idform::providers::ldap {
namespace {

std::string text_of(const nlohmann::json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_string()) return "";
  return object[key].get<std::string>();
}

// The host of an ldap:// or ldaps:// URL ("" when there is none).
std::string host_of(const std::string& url) {
  auto start = url.find("://");
  if (start == std::string::npos) return "";
  std::string rest = url.substr(start + 3);
  rest = rest.substr(0, rest.find('/'));
  if (!rest.empty() && rest.front() == '[') return rest.substr(1, rest.find(']') - 1);
  return rest.substr(0, rest.find(':'));
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

}  // namespace

std::string LdapSettings::effective_user_filter() const {
  if (!user_filter.empty()) return user_filter;
  return dialect == Dialect::openldap ? "(objectClass=inetOrgPerson)" : "(&(objectCategory=person)(objectClass=user))";
}

Result<LdapSettings> parse_settings(const std::string& target_name, const nlohmann::json& target,
                                    const std::string& config_root, const EnvLookup& env) {
  // A plugin target's own settings sit in its `settings:` mapping; they are also read from the
  // target itself, as a built-in provider's are.
  const nlohmann::json& settings =
      target.is_object() && target.contains("settings") && target["settings"].is_object() ? target["settings"] : target;
  const std::string where = "target \"" + target_name + "\" (provider ldap)";
  LdapSettings out;
  out.target_name = target_name;
  out.url = text_of(settings, "url");
  if (!out.url.starts_with("ldap://") && !out.url.starts_with("ldaps://"))
    return fail(where + ": url must start with ldap:// or ldaps://", "got \"" + out.url + "\"");
  out.start_tls = settings.is_object() && settings.value("start_tls", false);
  if (out.start_tls && out.url.starts_with("ldaps://"))
    return fail(where + ": start_tls is for ldap:// URLs; an ldaps:// connection is TLS from the start");
  // A bind over plain LDAP sends the password in the clear: only to this machine.
  if (out.url.starts_with("ldap://") && !out.start_tls && !is_loopback(host_of(out.url)))
    return fail(where + ": plain ldap:// is allowed only to loopback",
                "use ldaps:// or set start_tls: true so the bind password is not sent in the clear");
  if (std::string ca = text_of(settings, "ca_file"); !ca.empty()) {
    std::filesystem::path file(ca);
    if (file.is_relative() && !config_root.empty()) file = std::filesystem::path(config_root) / file;
    out.ca_file = file.string();
  }
  out.bind_dn = text_of(settings, "bind_dn");
  out.password_env = text_of(settings, "password_env");
  if (!out.bind_dn.empty()) {
    if (out.password_env.empty()) return fail(where + ": password_env is required with bind_dn");
    out.password = env ? env(out.password_env) : "";
    if (out.password.empty()) return fail(where + ": environment variable " + out.password_env + " is not set");
    util::register_secret(out.password);
  }
  out.base_dn = text_of(settings, "base_dn");
  if (out.base_dn.empty()) return fail(where + ": base_dn is required", "such as dc=example,dc=test");
  out.group_container = text_of(settings, "group_container");
  if (out.group_container.empty()) out.group_container = out.base_dn;
  if (std::string attribute = text_of(settings, "user_attribute"); !attribute.empty()) out.user_attribute = attribute;
  out.user_filter = text_of(settings, "user_filter");
  std::string dialect = text_of(settings, "dialect");
  if (dialect.empty() || dialect == "openldap") out.dialect = Dialect::openldap;
  else if (dialect == "active_directory") out.dialect = Dialect::active_directory;
  else return fail(where + ": dialect must be openldap or active_directory", "got \"" + dialect + "\"");
  out.placeholder_member = text_of(settings, "placeholder_member");
  if (!out.placeholder_member.empty() && out.dialect != Dialect::openldap)
    return fail(where + ": placeholder_member is for the openldap dialect (Active Directory groups may be empty)");
  if (settings.is_object() && settings.contains("page_size")) {
    if (!settings["page_size"].is_number_integer()) return fail(where + ": page_size must be a whole number");
    out.page_size = settings["page_size"].get<int>();
    if (out.page_size < 1 || out.page_size > 5000) return fail(where + ": page_size must be between 1 and 5000");
  }
  if (settings.is_object() && settings.contains("timeout_seconds")) {
    if (!settings["timeout_seconds"].is_number_integer()) return fail(where + ": timeout_seconds must be a whole number");
    out.timeout_seconds = settings["timeout_seconds"].get<int>();
    if (out.timeout_seconds < 1 || out.timeout_seconds > 600)
      return fail(where + ": timeout_seconds must be between 1 and 600");
  }
  return out;
}

const nlohmann::json& settings_schema() {
  static const nlohmann::json schema = nlohmann::json::parse(R"({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "ldap target settings",
  "type": "object",
  "required": ["url", "base_dn"],
  "properties": {
    "provider": {"const": "ldap"},
    "plugin": {"type": "string"},
    "url": {"type": "string", "pattern": "^ldaps?://"},
    "start_tls": {"type": "boolean"},
    "ca_file": {"type": "string", "minLength": 1},
    "bind_dn": {"type": "string"},
    "password_env": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
    "base_dn": {"type": "string", "minLength": 1},
    "group_container": {"type": "string", "minLength": 1},
    "user_attribute": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9-]*$"},
    "user_filter": {"type": "string", "pattern": "^\\(.*\\)$"},
    "dialect": {"enum": ["openldap", "active_directory"]},
    "placeholder_member": {"type": "string", "minLength": 1},
    "page_size": {"type": "integer", "minimum": 1, "maximum": 5000},
    "timeout_seconds": {"type": "integer", "minimum": 1, "maximum": 600}
  },
  "additionalProperties": false
})");
  return schema;
}

}  // namespace idform::providers::ldap
