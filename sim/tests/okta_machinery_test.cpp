// idp-sim, Okta flavor, with the framework's shared machinery: eventual consistency, seeded fault
// injection, /_sim/stats, /_sim/reset and /_sim/state; and Okta's own example payloads, which
// must load as a seed unchanged and come back unchanged apart from paging.
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <thread>

#include "okta_sim_harness.hpp"

using namespace idform::testing::okta_sim;

namespace {

const char* kMachineryToken = "00machinery-token";

std::string auth() { return std::string("SSWS ") + kMachineryToken; }

}  // namespace

TEST_CASE("okta sim hides new objects and memberships for the consistency delay", "[sim][okta]") {
  OktaSim sim({"--seed", vendor_examples_dir(), "--api-token", kMachineryToken, "--consistency-delay-ms", "5000",
               "--time-scale", "1"});
  OktaClient okta(sim, auth());
  auto created = okta.post("/api/v1/groups", {{"profile", {{"name", "eventually"}}}});
  REQUIRE(created.status == 200);
  std::string id = created.json()["id"];
  CHECK(okta.get("/api/v1/groups/" + id).status == 404);  // not replicated yet
  CHECK(okta.put_empty("/api/v1/groups/" + id + "/users/00u118oQYT4TBTemp0g4").status == 204);  // writes see it
  sim.advance(5.1);
  CHECK(okta.get("/api/v1/groups/" + id).status == 200);
  CHECK(okta.get("/api/v1/groups/" + id + "/users").json().size() == 1);

  CHECK(okta.del("/api/v1/groups/" + id).status == 204);
  CHECK(okta.get("/api/v1/groups/" + id).status == 200);  // still readable right after the delete
  sim.advance(5.1);
  CHECK(okta.get("/api/v1/groups/" + id).status == 404);
}

TEST_CASE("okta sim with --consistency-writes also hides new objects from writes", "[sim][okta]") {
  OktaSim sim({"--api-token", kMachineryToken, "--consistency-delay-ms", "2000", "--consistency-writes"});
  OktaClient okta(sim, auth());
  std::string id = okta.post("/api/v1/groups", {{"profile", {{"name", "fresh"}}}}).json()["id"];
  auto put = okta.put("/api/v1/groups/" + id, {{"profile", {{"name", "renamed"}}}});
  CHECK(put.status == 404);
  CHECK(put.json()["errorCode"] == "E0000007");
  sim.advance(2.1);
  CHECK(okta.put("/api/v1/groups/" + id, {{"profile", {{"name", "renamed"}}}}).status == 200);
}

TEST_CASE("okta sim injects the same faults for the same seed and request order", "[sim][okta]") {
  auto run = [](const std::string& seed) {
    OktaSim sim({"--api-token", kMachineryToken, "--fault-rate", "0.3", "--drop-rate", "0.1", "--fault-seed", seed});
    OktaClient okta(sim, auth());
    std::vector<long> statuses;
    for (int i = 0; i < 40; ++i) {
      auto response = okta.get("/api/v1/groups");
      statuses.push_back(response.failed ? -1 : response.status);
      if (response.status >= 500) {
        Json body = response.json();
        CHECK((body["errorCode"] == "E0000009" || body["errorCode"] == "E0000010"));
        CHECK_FALSE(response.header("x-okta-request-id").empty());
        CHECK_FALSE(response.header("x-rate-limit-remaining").empty());
      }
    }
    Json stats = sim.stats();
    CHECK(stats["faults"]["error"].get<int>() + stats["faults"]["dropped"].get<int>() > 0);
    return statuses;
  };
  auto first = run("7");
  auto second = run("7");
  CHECK(first == second);
  CHECK(std::count(first.begin(), first.end(), 200) > 10);
  CHECK(std::count(first.begin(), first.end(), -1) > 0);
  CHECK(run("8") != first);
}

TEST_CASE("okta sim reports requests by route in /_sim/stats and resets to its seed", "[sim][okta]") {
  OktaSim sim({"--seed", vendor_examples_dir(), "--api-token", kMachineryToken, "--plan", "integrator-free",
               "--client-share", "100"});
  OktaClient okta(sim, auth());
  for (int i = 0; i < 3; ++i) okta.get("/api/v1/groups/00g1emaKYZTWRYYRRTSK");
  std::string created = okta.post("/api/v1/groups", {{"profile", {{"name", "temporary"}}}}).json()["id"];
  for (int i = 0; i < 21; ++i) okta.get("/api/v1/apps");
  Json stats = sim.stats();
  CHECK(stats["requests"]["GET /api/v1/groups/{groupId}"] == 3);
  CHECK(stats["requests"]["POST /api/v1/groups"] == 1);
  CHECK(stats["requests"]["GET /api/v1/apps"] == 21);
  CHECK(stats["status"]["429"] == 1);
  CHECK(stats["throttled"] == 1);
  CHECK(stats["requests_total"] == 25);

  Json state = sim.admin("GET", "/_sim/state").json();
  bool listed = false;
  for (const auto& group : state["collections"]["groups"]) listed = listed || group["id"] == created;
  CHECK(listed);
  CHECK(state["rate_limits"]["plan"] == "integrator-free");
  Json info = sim.admin("GET", "/_sim/info").json();
  CHECK(info["flavor"] == "okta");
  CHECK(info["token_path"] == "/oauth2/v1/token");

  sim.reset();  // rate limits and stats only
  CHECK(okta.get("/api/v1/apps").status == 200);
  CHECK(okta.get("/api/v1/groups/" + created).status == 200);
  sim.reset(true);  // and the tenant back to its seed
  CHECK(okta.get("/api/v1/groups/" + created).status == 404);
  CHECK(okta.get("/api/v1/groups/00g1emaKYZTWRYYRRTSK").status == 200);
  CHECK(sim.stats()["requests_total"] == 2);
}

TEST_CASE("okta sim holds writes past /_sim/hold-writes and discards them on release", "[sim][okta]") {
  OktaSim sim({"--api-token", kMachineryToken, "--throttle", "off"});
  OktaClient okta(sim, auth());
  CHECK(sim.admin("POST", "/_sim/hold-writes?after=x").status == 400);
  REQUIRE(sim.admin("POST", "/_sim/hold-writes?after=1").status == 200);
  REQUIRE(okta.post("/api/v1/groups", {{"profile", {{"name", "first"}}}}).status == 200);
  auto held = std::async(std::launch::async, [&] { return okta.post("/api/v1/groups", {{"profile", {{"name", "second"}}}}); });
  for (int i = 0; i < 2000 && sim.stats()["writes_held"] != 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  REQUIRE(sim.stats()["writes_held"] == 1);
  CHECK(okta.get("/api/v1/groups").status == 200);  // reads pass
  CHECK(held.wait_for(std::chrono::milliseconds(50)) == std::future_status::timeout);
  Json released = sim.admin("POST", "/_sim/hold-writes?release=true").json();
  CHECK(released["discarded"] == 1);
  OktaResponse discarded = held.get();
  CHECK(discarded.status == 503);
  Json names = Json::array();
  for (const auto& group : okta.get("/api/v1/groups").json()) names.push_back(group["profile"]["name"]);
  CHECK(names == Json::array({"first"}));  // the held write never reached the tenant
  CHECK(okta.post("/api/v1/groups", {{"profile", {{"name", "third"}}}}).status == 200);  // released: writes pass
}

// Each response example of Okta's documentation, seeded on its own, is served back unchanged.
TEST_CASE("okta sim serves Okta's example payloads back unchanged", "[sim][okta]") {
  struct Example {
    std::string file;
    std::vector<std::string> extra_files;  // parents the example refers to
    std::string path;                      // "" = GET the object by the id in the file
    std::string collection;                // apps, groups, ... for by-id reads
  };
  std::vector<Example> examples = {
      {"group-get.json", {}, "", "groups"},
      {"group-list.json", {}, "/api/v1/groups", ""},
      {"group-list-search.json", {}, "/api/v1/groups", ""},
      {"group-list-filter-type.json", {}, "/api/v1/groups", ""},
      {"group-members-list.json", {}, "", "users"},
      {"app-get.json", {}, "", "apps"},
      {"app-saml-get.json", {}, "", "apps"},
      {"app-oidc-get.json", {}, "", "apps"},
      {"app-oidc-replace-response.json", {}, "", "apps"},
      {"app-list-by-group.json", {}, "/api/v1/apps", ""},
      {"app-list-by-name.json", {}, "/api/v1/apps", ""},
      {"app-group-assignment-list.json", {}, "/api/v1/apps/0oa15anjcUHSI6hTB0g4/groups", ""},
      {"app-group-assignment-get-embedded.json", {}, "/api/v1/apps/0oa15anjcUHSI6hTB0g4/groups/00g15acRUy0SYb9GT0g4", ""},
      {"app-group-assignment-put-response.json", {}, "/api/v1/apps/0oa15anjcUHSI6hTB0g4/groups/00g15acRUy0SYb9GT0g4", ""},
      {"policy-access-get.json", {}, "", "policies"},
      {"policy-access-list.json", {}, "/api/v1/policies?type=ACCESS_POLICY", ""},
      {"policy-okta-sign-on-get.json", {}, "", "policies"},
      {"policy-okta-sign-on-list.json", {}, "/api/v1/policies?type=OKTA_SIGN_ON", ""},
      {"policy-password-get.json", {}, "", "policies"},
      {"policy-mfa-enroll-get.json", {}, "", "policies"},
      {"policy-rule-access-list.json", {"policy-access-get.json"}, "/api/v1/policies/policyId/rules", ""},
      {"policy-rule-sign-on-list.json", {"policy-okta-sign-on-get.json"}, "/api/v1/policies/policyId/rules", ""},
      {"policy-rule-mfa-enroll-list.json", {"policy-mfa-enroll-get.json"}, "/api/v1/policies/policyId/rules", ""},
      {"policy-rule-password-list.json", {"policy-password-get.json"}, "/api/v1/policies/policyId/rules", ""},
      {"policy-rule-get.json", {}, "", "rules"},
      {"policy-rule-sign-on-get.json", {}, "", "rules"},
      {"policy-rule-access-2fa-kmsi-response.json", {}, "", "rules"},
      {"policy-rule-access-device-oamp-response.json", {}, "", "rules"},
      {"policy-rule-sign-on-cloud-response.json", {}, "", "rules"},
      {"policy-rule-sign-on-deny-response.json", {}, "", "rules"},
      {"zone-get.json", {}, "", "zones"},
      {"zone-get-dynamic.json", {}, "", "zones"},
      {"zone-get-enhanced-dynamic.json", {}, "", "zones"},
      {"zone-create-ip-response.json", {}, "", "zones"},
      {"zone-list.json", {}, "/api/v1/zones", ""},
  };
  for (const auto& example : examples) {
    INFO(example.file);
    TempDir seed;
    for (const auto& file : example.extra_files) {
      std::filesystem::copy(vendor_examples_dir() + "/" + file, seed.path() / file);
    }
    std::filesystem::copy(vendor_examples_dir() + "/" + example.file, seed.path() / example.file);
    Json expected = Json::parse(read_text(seed.path() / example.file));
    if (example.file.rfind("app-group-assignment", 0) == 0) {  // the app the assignments belong to
      write_text(seed.path() / "stub-app.json", Json{{"id", "0oa15anjcUHSI6hTB0g4"}, {"status", "ACTIVE"},
                                                     {"name", "bookmark"}, {"label", "stub"},
                                                     {"signOnMode", "BOOKMARK"}}.dump());
    }
    std::string policy;
    if (example.collection == "rules") {
      // The policy a rule example belongs to, named by its self link, as a minimal policy object.
      std::string href = expected["_links"]["self"]["href"];
      policy = href.substr(href.find("/policies/") + 10);
      policy = policy.substr(0, policy.find('/'));
      if (policy.front() == '{') policy = policy.substr(1, policy.size() - 2);
      std::string type = expected["type"] == "SIGN_ON" ? "OKTA_SIGN_ON" : expected["type"].get<std::string>();
      write_text(seed.path() / "stub-policy.json", Json{{"id", policy}, {"type", type}, {"name", "stub"}}.dump());
    }
    OktaSim sim({"--seed", seed.path().string(), "--api-token", kMachineryToken});
    OktaClient okta(sim, auth());
    if (!example.path.empty()) {
      auto response = okta.get(example.path);
      REQUIRE(response.status == 200);
      CHECK(response.json() == expected);
      continue;
    }
    Json items = expected.is_array() ? expected : Json::array({expected});
    for (const auto& item : items) {
      std::string id = item["id"];
      std::string path = "/api/v1/" + example.collection + "/" + id;
      if (example.collection == "rules") path = "/api/v1/policies/" + policy + "/rules/" + id;
      auto response = okta.get(path);
      REQUIRE(response.status == 200);
      CHECK(response.json() == item);
    }
  }
}

TEST_CASE("okta sim loads Okta's whole example directory as a seed", "[sim][okta]") {
  OktaSim sim({"--seed", vendor_examples_dir(), "--api-token", kMachineryToken});
  OktaClient okta(sim, auth());
  CHECK(sim.log().find("seed: loaded") != std::string::npos);
  CHECK(sim.log().find("group-rule-get.json: skipped, a group rule (not emulated)") != std::string::npos);
  Json zones = Json::parse(read_text(vendor_examples_dir() + "/zone-list.json"));
  for (const auto& zone : zones) {
    INFO(zone["id"]);
    CHECK(okta.get("/api/v1/zones/" + zone["id"].get<std::string>()).json() == zone);
  }
  CHECK(okta.get("/api/v1/users/alice.smith@example.com").json()["id"] == "00u118oQYT4TBTemp0g4");
}

TEST_CASE("okta sim compresses with gzip, never brotli, whatever the client accepts", "[sim][okta]") {
  OktaSim sim({"--seed", vendor_examples_dir(), "--api-token", kMachineryToken});
  auto get = [&](const std::string& accept_encoding) {
    return http("GET", sim.url("/api/v1/groups"), "",
                {{"Accept", "application/json"}, {"Authorization", auth()}, {"Accept-Encoding", accept_encoding}});
  };
  auto both = get("br, gzip");
  CHECK(both.status == 200);
  CHECK(both.header("content-encoding") == "gzip");
  auto brotli_only = get("br");
  CHECK(brotli_only.status == 200);
  CHECK(brotli_only.header("content-encoding").empty());
  CHECK(brotli_only.json().is_array());
}
