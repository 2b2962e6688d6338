// The ldap provider's parts that need no server: settings checks, DN and filter escaping,
// Active Directory's ranged retrieval against a fake directory, and the capability check.

#include <catch2/catch.hpp>

#include "providers/ldap/capabilities.hpp"
#include "providers/ldap/ldap_settings.hpp"
#include "providers/ldap/ranged_values.hpp"
#include "reconciler/util/redact.hpp"

using namespace idform::providers::ldap;
using idform::Result;
using nlohmann::json;

namespace {

json ldap_minimal_settings() {
  return {{"url", "ldaps://dc1.example.test"}, {"base_dn", "dc=example,dc=test"},
          {"bind_dn", "cn=idform,dc=example,dc=test"}, {"password_env", "LDAP_PW"}};
}

std::string ldap_env(const std::string& name) { return name == "LDAP_PW" ? "pw-for-unit-tests" : ""; }

// A directory holding one AD group whose member values come in ranges of `max_range`, as an AD
// domain controller with MaxValRange = max_range answers.
class RangedFakeDirectory final : public Directory {
 public:
  RangedFakeDirectory(int count, int max_range) : m_max(max_range) {
    for (int i = 0; i < count; ++i) m_values.push_back("CN=user" + std::to_string(i) + ",OU=People,DC=ad,DC=test");
  }
  Result<void> search(const SearchRequest& request, const std::function<Result<void>(Entry&&)>& each) override {
    requests.push_back(request.attributes.at(0));
    return each(answer(request.attributes.at(0)));
  }
  Entry answer(const std::string& attribute) const {
    Entry entry{"CN=big,OU=Groups,DC=ad,DC=test", {}};
    int low = 0;
    if (auto at = attribute.find(";range="); at != std::string::npos) low = std::stoi(attribute.substr(at + 7));
    int total = static_cast<int>(m_values.size());
    if (low == 0 && total <= m_max) {
      entry.attributes["member"] = m_values;
      return entry;
    }
    int high = std::min(low + m_max, total) - 1;
    std::string name = "member;range=" + std::to_string(low) + "-" + (high == total - 1 ? "*" : std::to_string(high));
    entry.attributes["member"] = {};
    entry.attributes[name] = std::vector<std::string>(m_values.begin() + low, m_values.begin() + high + 1);
    return entry;
  }
  Result<void> add(const std::string&, const std::map<std::string, std::vector<std::string>>&) override { return {}; }
  Result<void> modify(const std::string&, const std::vector<Modification>&) override { return {}; }
  Result<void> rename(const std::string&, const std::string&) override { return {}; }
  Result<void> remove(const std::string&) override { return {}; }

  std::vector<std::string> m_values;
  int m_max;
  std::vector<std::string> requests;
};

}  // namespace

TEST_CASE("ldap settings are checked and the password comes from the environment", "[ldap-unit]") {
  auto parsed = parse_settings("corp", ldap_minimal_settings(), "/repo", ldap_env);
  REQUIRE(parsed);
  CHECK(parsed->password == "pw-for-unit-tests");
  CHECK(parsed->group_container == "dc=example,dc=test");
  CHECK(parsed->user_attribute == "mail");
  CHECK(parsed->dialect == Dialect::openldap);
  CHECK(idform::util::redact("bound with pw-for-unit-tests") == "bound with (redacted)");

  struct Case {
    json change;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{{"url", "http://dc1"}}, "url must start with ldap:// or ldaps://"},
      {{{"url", "ldap://dc1.example.test"}}, "plain ldap:// is allowed only to loopback"},
      {{{"start_tls", true}}, "start_tls is for ldap:// URLs"},
      {{{"password_env", "UNSET_VARIABLE"}}, "environment variable UNSET_VARIABLE is not set"},
      {{{"base_dn", ""}}, "base_dn is required"},
      {{{"dialect", "novell"}}, "dialect must be openldap or active_directory"},
      {{{"dialect", "active_directory"}, {"placeholder_member", "cn=x"}}, "placeholder_member is for the openldap dialect"},
      {{{"page_size", 0}}, "page_size must be between 1 and 5000"},
  };
  for (const Case& c : cases) {
    json settings = ldap_minimal_settings();
    settings.update(c.change);
    auto result = parse_settings("corp", settings, "/repo", ldap_env);
    INFO(c.change.dump());
    REQUIRE_FALSE(result);
    CHECK(result.error().summary.find("target \"corp\" (provider ldap)") == 0);
    CHECK(result.error().summary.find(c.message) != std::string::npos);
    CHECK(result.error().to_string().find("pw-for-unit-tests") == std::string::npos);
  }
  json starttls = ldap_minimal_settings();
  starttls.update({{"url", "ldap://dc1.example.test"}, {"start_tls", true}, {"ca_file", "certs/ca.pem"}});
  auto upgraded = parse_settings("corp", starttls, "/repo", ldap_env);
  REQUIRE(upgraded);
  CHECK(upgraded->ca_file == "/repo/certs/ca.pem");

  // A plugin target holds its own settings in `settings:`.
  json nested = {{"provider", "ldap"}, {"plugin", "idform-provider-ldap"}, {"settings", ldap_minimal_settings()}};
  nested["settings"]["dialect"] = "active_directory";
  auto from_nested = parse_settings("corp", nested, "/repo", ldap_env);
  REQUIRE(from_nested);
  CHECK(from_nested->dialect == Dialect::active_directory);
  CHECK(from_nested->url == "ldaps://dc1.example.test");
}

TEST_CASE("ldap escapes filter values and DN values, and compares DNs", "[ldap-unit]") {
  CHECK(escape_filter_value("a*b(c)d\\e") == "a\\2ab\\28c\\29d\\5ce");
  CHECK(escape_rdn_value("Sales, EMEA") == "Sales\\, EMEA");
  CHECK(escape_rdn_value("#lead+ops ") == "\\#lead\\+ops\\ ");
  CHECK(escape_rdn_value(" a#b") == "\\ a#b");
  CHECK(first_rdn_value("cn=Sales\\, EMEA,ou=groups,dc=x") == "Sales, EMEA");
  CHECK(first_rdn_value("cn=a\\2cb,dc=x") == "a,b");
  CHECK(parent_dn("cn=Sales\\, EMEA,ou=groups,dc=x") == "ou=groups,dc=x");
  CHECK(dn_key("CN=Alice , OU=People,DC=Example") == dn_key("cn=alice,ou=people,dc=example"));
}

TEST_CASE("ldap follows Active Directory's ranged retrieval past 1,500 values", "[ldap-unit]") {
  RangedFakeDirectory directory(3200, 1500);
  Entry first = directory.answer("member");
  CHECK(first.attributes.contains("member;range=0-1499"));
  auto values = complete_values(directory, first, "member");
  REQUIRE(values);
  CHECK(values->size() == 3200);
  CHECK(values->back() == "CN=user3199,OU=People,DC=ad,DC=test");
  CHECK(directory.requests == std::vector<std::string>{"member;range=1500-*", "member;range=3000-*"});

  RangedFakeDirectory small(20, 1500);
  auto all = complete_values(small, small.answer("member"), "member");
  REQUIRE(all);
  CHECK(all->size() == 20);
  CHECK(small.requests.empty());

  Entry broken{"CN=big", {{"member;range=0-x", {"a"}}}};
  auto refused = complete_values(small, broken, "member");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().summary.find("cannot read the range") != std::string::npos);
}

TEST_CASE("ldap cannot express applications, policies, named locations or group owners", "[ldap-unit]") {
  idform::model::DesiredState desired;
  auto add = [&](idform::model::Kind kind, const std::string& name, json spec) {
    idform::model::Resource resource;
    resource.kind = kind;
    resource.name = name;
    resource.spec = std::move(spec);
    desired.resources.push_back(resource);
  };
  add(idform::model::Kind::group, "fine", {{"description", "x"}, {"members", {"user:a@example.test", "group:other"}}});
  add(idform::model::Kind::group, "owned", {{"owners", {"a@example.test"}}});
  add(idform::model::Kind::application, "Salesforce", json::object());
  add(idform::model::Kind::conditional_access_policy, "CA-001", json::object());
  add(idform::model::Kind::named_location, "hq", json::object());
  auto problems = check_expressible(desired);
  std::vector<std::string> seen;
  for (const auto& problem : problems) seen.push_back(problem.address + ": " + problem.summary);
  CHECK(seen == std::vector<std::string>{"group:owned: owners: provider \"ldap\" cannot express this",
                                         "app:Salesforce: Application: provider \"ldap\" cannot express this",
                                         "policy:CA-001: ConditionalAccessPolicy: provider \"ldap\" cannot express this",
                                         "location:hq: NamedLocation: provider \"ldap\" cannot express this"});
}
