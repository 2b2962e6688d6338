// The Okta rule mapping without HTTP: the phishing-resistant authentication strength becomes a
// possession constraint and reads back as the same spec; mfa alone stays two factors without it.

#include <catch2/catch.hpp>

#include "providers/okta/policy_mapping.hpp"

using namespace idform::providers::okta;
using nlohmann::json;

namespace {

json read_back(const json& spec) {
  std::map<std::string, std::string> ids = {{"group:admins", "g-1"}};
  IdResolver resolver(ids);
  json rule = {{"name", kRuleName}, {"type", "ACCESS_POLICY"}, {"system", false}, {"priority", 1}};
  REQUIRE(apply_rule_fields(rule, spec, resolver).has_value());
  TenantSnapshot snapshot;
  snapshot.groups = {{{"id", "g-1"}, {"type", "OKTA_GROUP"}, {"profile", {{"name", "admins"}}}}};
  NameIndex names(snapshot);
  json policy = {{"id", "p-1"}, {"name", "CA-P"}, {"status", "ACTIVE"}, {"type", "ACCESS_POLICY"}};
  return policy_resource(policy, {rule}, {}, names).spec;
}

}  // namespace

TEST_CASE("okta: the phishing-resistant strength is a possession constraint and reads back", "[okta-provider]") {
  json spec = {{"users", {{"include", {"group:admins"}}}},
               {"grant", {{"authentication_strength", "authentication_strength:Phishing-resistant MFA"}}}};
  std::map<std::string, std::string> ids = {{"group:admins", "g-1"}};
  IdResolver resolver(ids);
  json rule = json::object();
  REQUIRE(apply_rule_fields(rule, spec, resolver).has_value());
  CHECK(rule["actions"]["appSignOn"]["verificationMethod"] ==
        json({{"type", "ASSURANCE"}, {"factorMode", "2FA"}, {"constraints", {{{"possession", {{"phishingResistant", "REQUIRED"}}}}}}}));
  json back = read_back(spec);
  CHECK(back["grant"]["authentication_strength"] == "authentication_strength:Phishing-resistant MFA");
  CHECK(back["grant"]["controls"] == json({"mfa"}));

  json mfa = read_back({{"users", {{"include", {"group:admins"}}}}, {"grant", {{"operator", "or"}, {"controls", {"mfa"}}}}});
  CHECK_FALSE(mfa["grant"].contains("authentication_strength"));
  CHECK(mfa["grant"]["controls"] == json({"mfa"}));

  json other = json::object();
  CHECK_FALSE(apply_rule_fields(other, {{"grant", {{"authentication_strength", "authentication_strength:Passwordless MFA"}}}}, resolver).has_value());
}
