// The Okta provider when things go wrong, over real HTTP against idp-sim: 5xx answers and
// dropped connections (before and after the request was applied), concurrency 429s, Okta's
// eventual consistency, wrong credentials of every kind, scopes that allow reading but not
// writing — and no secret in any output of the idform binary, even with -v.

#include <catch2/catch.hpp>

#include <regex>

#include "fixtures/okta/okta_testbed.hpp"
#include "reconciler/util/redact.hpp"

using namespace idform::testing;
using namespace idform::testing::okta;
using nlohmann::json;

namespace {

const std::string kConfig = R"(kind: Group
name: rs-team
description: Resilient
members: [alice@acme.example, bob@acme.example]
---
kind: Group
name: rs-ops
members: [carol@acme.example]
---
kind: Application
name: rs-crm
sso: {protocol: oidc, oidc: {redirect_uris: ["https://crm.acme.example/cb"]}}
assignments: [{group: rs-team}, {group: rs-ops, role: Admin}]
---
kind: Application
name: rs-wiki
sso: {protocol: saml, saml: {entity_id: "https://wiki.acme.example", acs_urls: ["https://wiki.acme.example/acs"]}}
assignments: [{group: rs-ops}]
---
kind: NamedLocation
name: rs-office
ip_ranges: [192.0.2.0/24]
---
kind: ConditionalAccessPolicy
name: CA-RS
state: enabled
users: {include: [all], exclude: ["group:rs-ops"]}
applications: {include: ["app:rs-crm", "app:rs-wiki"]}
locations: {include: [any], exclude: ["location:rs-office"]}
grant: {controls: [mfa]}
)";

const char* kClientId = "0oaidformservice0001";

std::vector<std::string> read_scopes() {
  return {"okta.groups.read", "okta.users.read", "okta.apps.read", "okta.policies.read", "okta.networkZones.read"};
}

void register_service_app(const std::filesystem::path& seed, const std::string& public_pem,
                          std::vector<std::string> scopes) {
  write_json(seed, "_sim/service-apps.json",
             json::array({{{"client_id", kClientId}, {"public_key", public_pem}, {"scopes", scopes}}}));
}

}  // namespace

TEST_CASE("okta apply and read survive 5xx answers and dropped connections, before and after processing",
          "[okta-provider]") {
  Testbed bed({.sim_args = {"--time-scale", "0.01", "--fault-rate", "0.12", "--drop-rate", "0.08", "--drop-phase",
                            "mixed", "--fault-seed", "20261129"},
               .seed = {},
               .users = standard_users()});
  auto desired = bed.load({{"all.yaml", kConfig}});
  auto plan = bed.plan(desired);
  CHECK(plan.changes.size() == 6);
  bed.apply(plan);
  plan = bed.plan(desired);
  INFO(explain(plan));
  CHECK(plan.changes.empty());
  json stats = bed.sim().stats();
  WARN("faults injected: " << stats["faults"].dump() << "; client retries: " << bed.provider->client().retries());
  CHECK(stats["faults"]["error"].get<int>() + stats["faults"]["dropped"].get<int>() > 5);
  // Nothing was created twice although answers to creates were lost.
  json state = bed.sim().state();
  int teams = 0, crms = 0;
  for (const auto& group : state["collections"]["groups"]) teams += group["profile"]["name"] == "rs-team";
  for (const auto& app : state["collections"]["apps"]) crms += app["label"] == "rs-crm";
  CHECK(teams == 1);
  CHECK(crms == 1);
}

TEST_CASE("okta writes wait out eventual consistency: objects not yet visible, even to writes", "[okta-provider]") {
  Testbed bed({.sim_args = {"--time-scale", "0.01", "--consistency-delay-ms", "3000", "--consistency-writes"},
               .seed = {},
               .users = standard_users()});
  auto desired = bed.load({{"all.yaml", kConfig}});
  bed.apply(bed.plan(desired));
  auto plan = bed.plan(desired);
  INFO(explain(plan));
  CHECK(plan.changes.empty());
}

TEST_CASE("okta reads survive concurrency 429s", "[okta-provider]") {
  Testbed bed({.sim_args = {"--concurrency-limit", "2", "--request-ms", "15"},
               .seed = [](const std::filesystem::path& seed) {
                 json groups = json::array();
                 for (int g = 0; g < 12; ++g) {
                   std::string id = "00gconcurrency" + std::to_string(100000 + g);
                   groups.push_back({{"id", id}, {"type", "OKTA_GROUP"}, {"profile", {{"name", "c-" + std::to_string(g)}}}});
                   write_json(seed, "groups/" + id + "/users.json", json::array({standard_users()[g % 4]}));
                 }
                 write_json(seed, "groups.json", groups);
               },
               .users = standard_users()});
  auto read = bed.provider->read({});
  if (!read) FAIL(read.error().to_string());
  int members = 0;
  for (const auto& resource : read->state.resources)
    if (resource.kind == idform::model::Kind::group && !resource.read_only) members += resource.spec["members"].size();
  CHECK(members == 12);
  json stats = bed.sim().stats();
  WARN("concurrency limit 2: " << stats["throttled"] << " requests answered 429, all retried after the reset");
  CHECK(stats["throttled"].get<int>() > 0);
  CHECK(bed.provider->client().counters().throttled == stats["throttled"].get<int>());
}

TEST_CASE("okta wrong credentials give clear errors that contain no secret", "[okta-provider]") {
  auto key = make_test_key();
  auto other_key = make_test_key();
  Testbed bed({.sim_args = {"--time-scale", "0.01"},
               .seed = [&](const std::filesystem::path& seed) { register_service_app(seed, key.public_pem, read_scopes()); },
               .users = standard_users()});

  SECTION("an API token Okta does not know") {
    auto provider = bed.make_provider({}, test_env({{kTokenEnv, "00not-a-valid-okta-token"}}));
    auto read = provider->read({});
    REQUIRE(!read);
    std::string text = read.error().to_string();
    CHECK(text.find("authentication failed for target \"okta-test\": Okta rejected the API token in $"
                    "IDFORM_TEST_OKTA_TOKEN") != std::string::npos);
    CHECK(text.find("HTTP 401 E0000011: Invalid token provided") != std::string::npos);
    CHECK(text.find("errorId oae") != std::string::npos);
    CHECK(text.find("00not-a-valid-okta-token") == std::string::npos);
  }
  SECTION("a missing API token is reported before anything is sent") {
    auto settings = test_settings(bed.sim().base_url());
    idform::providers::okta::OktaProvider provider(settings, idform::http::make_curl_transport({}));
    auto connected = provider.connect(test_env({{kTokenEnv, ""}}));
    REQUIRE(!connected);
    CHECK(connected.error().summary == "target \"okta-test\": $IDFORM_TEST_OKTA_TOKEN is empty");
  }
  auto service_app = [&](const std::string& private_pem) {
    return bed.make_provider(
        [](idform::providers::okta::OktaSettings& settings) {
          settings.auth.method = idform::providers::okta::AuthMethod::private_key_jwt;
          settings.auth.client_id = kClientId;
          settings.auth.key_file_env = "IDFORM_TEST_OKTA_KEY";
        },
        test_env({{"IDFORM_TEST_OKTA_KEY", private_pem}}));
  };
  SECTION("a service app key Okta does not know") {
    auto provider = service_app(other_key.private_pem);
    auto read = provider->read({});
    REQUIRE(!read);
    CHECK(read.error().summary ==
          "authentication failed for target \"okta-test\" (private_key_jwt, client 0oaidformservice0001): HTTP 401 "
          "invalid_client: The client_assertion signature is invalid.");
    CHECK(read.error().detail.find("public key") != std::string::npos);
    CHECK(read.error().to_string().find("BEGIN") == std::string::npos);
  }
  SECTION("a service app with read grants plans, and is refused with advice when it writes") {
    auto provider = service_app(key.private_pem);
    auto read = provider->read({});
    if (!read) FAIL(read.error().to_string());
    idform::plan::Change change;
    change.address = "group:new";
    change.kind = idform::model::Kind::group;
    change.name = "new";
    change.action = idform::plan::Action::create;
    change.desired = {{"description", "x"}};
    auto applied = provider->apply({change, {}});
    REQUIRE(!applied);
    CHECK(applied.error().summary.find("HTTP 400 invalid_scope: The following scopes are not allowed: "
                                       "okta.groups.manage") != std::string::npos);
    CHECK(applied.error().detail.find("Okta API Scopes") != std::string::npos);
    CHECK(applied.error().address == "group:new");
  }
}

TEST_CASE("okta no secret in any output of the idform binary, with -v, for API tokens and service apps",
          "[okta-provider]") {
  auto key = make_test_key();
  std::vector<std::string> scopes = read_scopes();
  for (const char* scope : {"okta.groups.manage", "okta.apps.manage", "okta.policies.manage", "okta.networkZones.manage"})
    scopes.push_back(scope);
  Testbed bed({.sim_args = {"--time-scale", "0.01"},
               .seed = [&](const std::filesystem::path& seed) { register_service_app(seed, key.public_pem, scopes); },
               .users = standard_users()});
  TempDir config;
  std::ofstream(config.path() / "all.yaml") << kConfig;
  auto write_project = [&](const std::string& auth) {
    std::ofstream(config.path() / "idform.yaml")
        << "version: 1\ndefault_target: okta-sim\ntargets:\n  okta-sim:\n    provider: okta\n    org_url: "
        << bed.sim().base_url() << "\n    auth: " << auth << "\n";
  };
  auto run = [&](std::vector<std::string> args, std::map<std::string, std::string> env) {
    args.insert(args.begin(), IDFORM_BINARY);
    args.insert(args.end(), {"-v", "--no-color", "--config", config.path().string()});
    env.emplace("IDFORM_TODAY", "2026-11-29");
    return run_process(args, env);
  };
  // The parts of the key that would show if any of it leaked.
  std::vector<std::string> key_lines;
  for (const std::string& line : idform::util::split(key.private_pem, '\n'))
    if (line.size() > 40 && line.find("BEGIN") == std::string::npos) key_lines.push_back(line);
  auto check_clean = [&](const ProcessResult& result) {
    for (const std::string* stream : {&result.out, &result.err}) {
      CHECK(stream->find(kApiToken) == std::string::npos);
      // No JWT (client assertion or access token): two base64url JSON segments and a dot. A bare
      // "eyJ" is not enough: it is also three letters of a random Okta id or a paging cursor.
      CHECK_FALSE(std::regex_search(*stream, std::regex(R"(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,})")));
      for (const std::string& line : key_lines) CHECK(stream->find(line) == std::string::npos);
    }
  };

  write_project(std::string("{method: api_token, token_env: ") + kTokenEnv + "}");
  ProcessResult apply = run({"apply", "--auto-approve"}, {{kTokenEnv, kApiToken}});
  INFO(apply.out << apply.err);
  REQUIRE(apply.exit_code == 0);
  CHECK(apply.err.find("okta: GET " + bed.sim().base_url() + "/api/v1/groups?limit=10000 -> 200") != std::string::npos);
  check_clean(apply);
  // The OIDC app's client secret, which Okta returned on create and on every read, is nowhere.
  const nlohmann::json state = bed.sim().state();  // a range-for over a temporary's member reads freed memory
  REQUIRE_FALSE(state["collections"]["apps"].empty());
  for (const auto& app : state["collections"]["apps"]) {
    if (!app["credentials"].contains("oauthClient") || !app["credentials"]["oauthClient"].contains("client_secret")) continue;
    std::string secret = app["credentials"]["oauthClient"]["client_secret"];
    CHECK(apply.out.find(secret) == std::string::npos);
    CHECK(apply.err.find(secret) == std::string::npos);
  }

  write_project("{method: private_key_jwt, client_id: " + std::string(kClientId) + ", key_file_env: IDFORM_TEST_OKTA_KEY}");
  ProcessResult plan = run({"plan", "--detailed-exitcode"}, {{"IDFORM_TEST_OKTA_KEY", key.private_pem}});
  INFO(plan.out << plan.err);
  CHECK(plan.exit_code == 0);
  CHECK(plan.err.find("okta: POST " + bed.sim().base_url() + "/oauth2/v1/token -> 200") != std::string::npos);
  check_clean(plan);

  write_project(std::string("{method: api_token, token_env: ") + kTokenEnv + "}");
  ProcessResult wrong = run({"plan"}, {{kTokenEnv, "00the-wrong-token-xyz"}});
  CHECK(wrong.exit_code == 1);
  CHECK(wrong.err.find("Okta rejected the API token in $IDFORM_TEST_OKTA_TOKEN") != std::string::npos);
  CHECK(wrong.err.find("00the-wrong-token-xyz") == std::string::npos);
  CHECK(wrong.out.empty());
}
