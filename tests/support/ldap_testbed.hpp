#pragma once
// The ldap provider in-process against a real slapd (slapd_process.hpp): settings for the
// service account, a raw view of the directory for assertions, and the engine driver's
// load / plan / apply / expect_converged.

#include <catch2/catch.hpp>

#include "providers/ldap/ldap_directory.hpp"
#include "providers/ldap/ldap_provider.hpp"
#include "support/engine_driver.hpp"
#include "support/slapd_process.hpp"
#include "support/temp_dir.hpp"

namespace idform::testing {

// People every ldap test may refer to: three with mail, one (erin) without.
inline std::string ldap_people() {
  std::string out;
  for (const char* name : {"alice", "bob", "carol", "dave"})
    out += std::string("dn: uid=") + name + ",ou=people,dc=example,dc=test\nobjectClass: inetOrgPerson\nuid: " + name +
           "\ncn: " + name + "\nsn: " + name + "\nmail: " + name + "@example.test\n\n";
  out += "dn: uid=erin,ou=people,dc=example,dc=test\nobjectClass: inetOrgPerson\nuid: erin\ncn: erin\nsn: erin\n\n";
  return out;
}

inline constexpr const char* kLdapPasswordEnv = "IDFORM_TEST_LDAP_PASSWORD";

class LdapTestbed : public EngineDriver<provider::Provider> {
 public:
  explicit LdapTestbed(SlapdOptions options = {}, const nlohmann::json& extra_settings = nlohmann::json::object())
      : slapd(std::move(options)) {
    settings = {{"url", slapd.url()},
                {"bind_dn", SlapdProcess::bind_dn()},
                {"password_env", kLdapPasswordEnv},
                {"base_dn", SlapdProcess::base_dn()},
                {"group_container", "ou=groups,dc=example,dc=test"},
                {"user_attribute", "mail"},
                {"dialect", "openldap"}};
    settings.update(extra_settings);
    auto made = connect(settings);
    if (!made) FAIL(made.error().to_string());
    provider = std::move(*made);
  }

  Result<std::unique_ptr<provider::Provider>> connect(const nlohmann::json& target) const {
    provider::TargetContext context{"ldap-test", target, m_dir.str(), false};
    return providers::ldap::make_ldap_provider(context, [](const std::string& name) {
      return name == kLdapPasswordEnv ? SlapdProcess::bind_password() : std::string();
    });
  }

  // The directory itself, for assertions beside the provider's view.
  std::unique_ptr<providers::ldap::LdapDirectory> raw(int page_size = 500) const {
    auto parsed = providers::ldap::parse_settings("raw", settings, "", [](const std::string&) {
      return SlapdProcess::bind_password();
    });
    REQUIRE(parsed);
    parsed->page_size = page_size;
    auto directory = providers::ldap::LdapDirectory::connect(*parsed);
    if (!directory) FAIL(directory.error().to_string());
    return std::move(*directory);
  }

  // The member values of `dn` as stored, lower case ("" entries when the entry is missing).
  std::set<std::string> members_of(const std::string& dn) const {
    std::set<std::string> out;
    auto directory = raw();
    auto searched = directory->search({dn, providers::ldap::Scope::base, "(objectClass=*)", {"member"}},
                                      [&](providers::ldap::Entry&& entry) -> Result<void> {
                                        for (const auto& value : entry.values("member")) out.insert(util::to_lower(value));
                                        return {};
                                      });
    REQUIRE(searched);
    return out;
  }

  bool exists(const std::string& dn) const {
    bool found = false;
    auto directory = raw();
    auto searched = directory->search({dn, providers::ldap::Scope::base, "(objectClass=*)", {"cn"}},
                                      [&](providers::ldap::Entry&&) -> Result<void> {
                                        found = true;
                                        return {};
                                      });
    REQUIRE(searched);
    return found;
  }

  // The config tree: idform.yaml names a sandbox target only so the loader accepts it; the engine
  // driver plans against this provider.
  model::DesiredState load(const std::map<std::string, std::string>& files, const std::string& manage = "") {
    return load_tree(m_dir.path() / "config", "version: 1\ndefault_target: t\ntargets:\n  t: {provider: local}\n" + manage,
                     files);
  }

  // The live group `name` (the test fails without one).
  const model::Resource& live_group(const std::string& name) const {
    for (const model::Resource& resource : live().resources)
      if (resource.kind == model::Kind::group && resource.name == name) return resource;
    FAIL("no live group " << name);
    return live().resources.front();
  }

  SlapdProcess slapd;
  nlohmann::json settings;

 private:
  TempDir m_dir;
};

}  // namespace idform::testing
