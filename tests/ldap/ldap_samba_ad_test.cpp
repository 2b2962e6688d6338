// The ldap provider's Active Directory dialect against a Samba AD domain controller. Hidden from
// ctest (tag [.samba-ad]): scripts/try-samba-ad.sh provisions a domain on loopback, starts
// Samba, and runs this case with IDFORM_TEST_AD_URL and IDFORM_TEST_AD_PASSWORD set. It expects
// the users alice and bob (userPrincipalName alice@ad.example.test, bob@...) and the group oncall
// (member bob) that the script adds.

#include <catch2/catch.hpp>

#include "providers/ldap/ldap_directory.hpp"
#include "providers/ldap/ldap_provider.hpp"
#include "support/engine_driver.hpp"
#include "support/temp_dir.hpp"

namespace {

class SambaAdBed : public idform::testing::EngineDriver<idform::provider::Provider> {
 public:
  SambaAdBed() {
    const char* url = std::getenv("IDFORM_TEST_AD_URL");
    if (!url || !std::getenv("IDFORM_TEST_AD_PASSWORD")) FAIL("set IDFORM_TEST_AD_URL and IDFORM_TEST_AD_PASSWORD");
    settings = {{"url", url},
                {"bind_dn", "Administrator@ad.example.test"},
                {"password_env", "IDFORM_TEST_AD_PASSWORD"},
                {"base_dn", "DC=ad,DC=example,DC=test"},
                {"group_container", "OU=Groups,DC=ad,DC=example,DC=test"},
                {"user_attribute", "userPrincipalName"},
                {"dialect", "active_directory"},
                {"page_size", 5}};  // a new domain has about 40 groups: several pages
    idform::provider::TargetContext context{"samba-ad", settings, m_dir.str(), false};
    auto made = idform::providers::ldap::make_ldap_provider(context, idform::util::environment_variable);
    if (!made) FAIL(made.error().to_string());
    provider = std::move(*made);
  }
  idform::model::DesiredState load(const std::string& yaml) {
    return load_tree(m_dir.path() / "config", "version: 1\ndefault_target: t\ntargets:\n  t: {provider: local}\n",
                     {{"groups.yaml", yaml}});
  }
  std::string first_value(const std::string& dn, const std::string& attribute) {
    auto parsed = idform::providers::ldap::parse_settings("raw", settings, "", idform::util::environment_variable);
    REQUIRE(parsed);
    auto directory = idform::providers::ldap::LdapDirectory::connect(*parsed);
    REQUIRE(directory);
    std::string value;
    auto searched = (*directory)->search({dn, idform::providers::ldap::Scope::base, "(objectClass=*)", {attribute}},
                                         [&](idform::providers::ldap::Entry&& entry) -> idform::Result<void> {
                                           value = entry.first(idform::util::to_lower(attribute));
                                           return {};
                                         });
    REQUIRE(searched);
    return value;
  }
  nlohmann::json settings;

 private:
  idform::testing::TempDir m_dir;
};

std::vector<std::string> samba_summary(const idform::plan::Plan& plan) {
  std::vector<std::string> out;
  for (const auto& change : plan.changes) out.push_back(std::string(idform::plan::action_name(change.action)) + " " + change.address);
  return out;
}

}  // namespace

TEST_CASE("ldap active_directory dialect against Samba AD: create, members, rename, delete", "[.samba-ad]") {
  SambaAdBed bed;
  auto desired = bed.load(R"(kind: Group
name: idform-team
description: The team
members: [alice@ad.example.test, {group: oncall}]
---
kind: Group
name: oncall
members: [bob@ad.example.test]
)");
  auto plan = bed.plan(desired);
  CHECK(samba_summary(plan) == std::vector<std::string>{"create group:idform-team"});
  CHECK(plan.unmanaged.size() > 5);  // the domain's built-in groups, read page by page
  bed.apply(plan);
  bed.expect_converged(desired);
  std::string id;
  for (const auto& resource : bed.live().resources)
    if (resource.name == "idform-team") id = resource.id;
  CHECK(id.size() == 32);  // objectGUID in hex
  CHECK(bed.first_value("CN=idform-team,OU=Groups,DC=ad,DC=example,DC=test", "sAMAccountName") == "idform-team");

  desired = bed.load(R"(kind: Group
name: idform-squad
id: )" + id + R"(
description: The squad
members: [bob@ad.example.test]
---
kind: Group
name: oncall
members: [bob@ad.example.test]
)");
  plan = bed.plan(desired);
  CHECK(samba_summary(plan) == std::vector<std::string>{"update group:idform-squad"});
  bed.apply(plan);
  bed.expect_converged(desired);
  CHECK(bed.first_value("CN=idform-squad,OU=Groups,DC=ad,DC=example,DC=test", "description") == "The squad");

  desired = bed.load("kind: Group\nname: idform-squad\nstate: absent\n");
  plan = bed.plan(desired);
  CHECK(samba_summary(plan) == std::vector<std::string>{"delete group:idform-squad"});
  bed.apply(plan);
  bed.expect_converged(desired);
}
