// The ldap provider verifies the server's certificate over ldaps:// and StartTLS: slapd serves a
// certificate from an authority generated for the test; trusting that authority (ca_file)
// connects, trusting another one or only the system's does not. A wrong password fails without
// the password in the message.

#include <catch2/catch.hpp>

#include "support/ldap_testbed.hpp"

using idform::testing::LdapTestbed;
using idform::testing::SlapdProcess;
using idform::testing::ldap_people;
using nlohmann::json;

TEST_CASE("ldap over ldaps and StartTLS verifies the server certificate", "[ldap-provider][ldap-tls]") {
  LdapTestbed bed({.seed = ldap_people(), .tls = true});
  struct Case {
    std::string name;
    json settings;
    bool connects;
  };
  const std::vector<Case> cases = {
      {"ldaps with the issuing authority", {{"url", bed.slapd.ldaps_url()}, {"ca_file", bed.slapd.ca_file()}}, true},
      {"ldaps with another authority", {{"url", bed.slapd.ldaps_url()}, {"ca_file", bed.slapd.other_ca_file()}}, false},
      {"ldaps with the system's authorities", {{"url", bed.slapd.ldaps_url()}}, false},
      {"StartTLS with the issuing authority", {{"start_tls", true}, {"ca_file", bed.slapd.ca_file()}}, true},
      {"StartTLS with another authority", {{"start_tls", true}, {"ca_file", bed.slapd.other_ca_file()}}, false},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    json settings = bed.settings;
    settings.update(c.settings);
    auto provider = bed.connect(settings);
    CHECK(static_cast<bool>(provider) == c.connects);
    if (provider) {
      auto read = (*provider)->read({});
      REQUIRE(read);
      CHECK(read->state.users.size() == 4);
    } else {
      INFO(provider.error().to_string());
      CHECK(provider.error().to_string().find("ldap") != std::string::npos);
    }
  }
}

TEST_CASE("ldap bind failures name the account, never the password", "[ldap-provider]") {
  LdapTestbed bed({.seed = ldap_people()});
  json settings = bed.settings;
  settings["bind_dn"] = "uid=alice,ou=people,dc=example,dc=test";  // the test password is not hers
  auto provider = bed.connect(settings);
  REQUIRE_FALSE(provider);
  std::string message = provider.error().to_string();
  CHECK(message.find("cannot bind as uid=alice,ou=people,dc=example,dc=test") != std::string::npos);
  CHECK(message.find("Invalid credentials") != std::string::npos);
  CHECK(message.find(SlapdProcess::bind_password()) == std::string::npos);
}
