// Reading a large org within Okta's rate limits: 1,000 groups (with members) and 200 apps (with
// group assignments) in idp-sim's Okta flavor with the documented per-minute limits of an
// Enterprise org (time-scaled: a minute lasts 3 s) and the default 50 % share per API token, so
// that both the /api/v1/apps* bucket (50 requests a minute for the token) and the /api/v1 bucket
// of the member lists (300) run out several times during the read.
// Every request must succeed; the test reports how many requests were sent and how many 429s
// came back (the goal, with pacing, is none).

#include <catch2/catch.hpp>

#include "fixtures/okta/okta_testbed.hpp"

using namespace idform::testing::okta;
using nlohmann::json;

namespace {

std::string id_of(const char* prefix, int n) {
  char id[32];
  std::snprintf(id, sizeof id, "%s%017d", prefix, n);
  return id;
}

// 1,000 groups with 2-4 members each among 300 users; 200 apps (half SAML, half OIDC) with
// 1-3 group assignments each; two policies with a rule each; two zones.
void write_large_org(const std::filesystem::path& seed, json& users) {
  users = json::array();
  for (int u = 0; u < 300; ++u)
    users.push_back(okta_user(id_of("00u", u), "user" + std::to_string(u) + "@big.example", "User", std::to_string(u)));
  json groups = json::array();
  for (int g = 0; g < 1000; ++g) {
    std::string id = id_of("00g", g);
    groups.push_back({{"id", id}, {"type", "OKTA_GROUP"}, {"objectClass", {"okta:user_group"}},
                      {"profile", {{"name", "team-" + std::to_string(g)}, {"description", "Team " + std::to_string(g)}}}});
    json members = json::array();
    for (int m = 0; m < 2 + g % 3; ++m) members.push_back(users[(g * 7 + m * 13) % 300]);
    write_json(seed, "groups/" + id + "/users.json", members);
  }
  write_json(seed, "groups.json", groups);
  json apps = json::array();
  for (int a = 0; a < 200; ++a) {
    std::string id = id_of("0oa", a);
    std::string label = "app-" + std::to_string(a);
    json app = {{"id", id}, {"label", label}, {"status", "ACTIVE"},
                {"_links", {{"accessPolicy", {{"href", "http://x/api/v1/policies/" + std::string(kDefaultPolicyId)}}}}}};
    if (a % 2 == 0) {
      app["name"] = "big_" + std::to_string(a);
      app["signOnMode"] = "SAML_2_0";
      app["settings"] = {{"signOn", {{"audience", "https://" + label + ".example"}, {"ssoAcsUrl", "https://" + label + ".example/acs"},
                                     {"subjectNameIdFormat", "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"}}}};
    } else {
      app["name"] = "oidc_client";
      app["signOnMode"] = "OPENID_CONNECT";
      app["settings"] = {{"oauthClient", {{"application_type", "web"}, {"redirect_uris", {"https://" + label + ".example/cb"}},
                                          {"grant_types", {"authorization_code"}}, {"response_types", {"code"}}}}};
    }
    apps.push_back(app);
    json assignments = json::array();
    for (int k = 0; k < 1 + a % 3; ++k)
      assignments.push_back({{"id", id_of("00g", (a * 5 + k * 11) % 1000)}, {"priority", k}, {"profile", json::object()}});
    write_json(seed, "apps/" + id + "/groups.json", assignments);
  }
  write_json(seed, "apps.json", apps);
  write_json(seed, "zones.json",
             json::array({{{"type", "IP"}, {"id", "nzo0big0000000000001"}, {"name", "office"}, {"status", "ACTIVE"},
                           {"usage", "POLICY"}, {"system", false}, {"gateways", {{{"type", "CIDR"}, {"value", "10.0.0.0/8"}}}}},
                          {{"type", "DYNAMIC"}, {"id", "nzo0big0000000000002"}, {"name", "countries"}, {"status", "ACTIVE"},
                           {"usage", "POLICY"}, {"system", false}, {"locations", {{{"country", "DE"}}}}}}));
}

}  // namespace

TEST_CASE("okta reading 1,000 groups and 200 apps within Okta's per-minute limits: no failed request",
          "[okta-provider]") {
  json users;
  Testbed bed({.sim_args = {"--time-scale", "0.05", "--plan", "enterprise"},
               .seed = [&](const std::filesystem::path& seed) {
                 write_large_org(seed, users);
                 write_json(seed, "users.json", users);
               }});
  bed.sim().reset();  // statistics from zero
  auto started = std::chrono::steady_clock::now();
  idform::provider::ReadRequest request;
  auto read = bed.provider->read(request);
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  REQUIRE(read);

  size_t groups = 0, apps = 0, members = 0, assignments = 0;
  for (const auto& resource : read->state.resources) {
    if (resource.kind == idform::model::Kind::group && !resource.read_only) {
      ++groups;
      members += resource.spec["members"].size();
    }
    if (resource.kind == idform::model::Kind::application && !resource.read_only) {
      ++apps;
      assignments += resource.spec["assignments"].size();
    }
  }
  CHECK(groups == 1000);
  CHECK(apps == 200);
  CHECK(members == 2999);
  CHECK(assignments == 399);

  json stats = bed.sim().stats();
  int requests = stats["requests_total"].get<int>();
  int throttled = stats["throttled"].get<int>();
  int ok = stats["status"].value("200", 0);
  auto counters = bed.provider->client().counters();
  WARN("okta read of 1,000 groups / 200 apps: " << requests << " requests, " << throttled << " answered 429, "
       << counters.paced << " waited for a window (" << counters.waited.count() << " ms in all), " << seconds
       << " s wall at 0.05 s per Okta second");
  CHECK(ok == requests);      // no failed request
  CHECK(throttled == 0);      // pacing kept every bucket above its reserve
  CHECK(counters.throttled == 0);
  CHECK(counters.paced > 0);  // the limits did bind: without pacing these reads would have met 429s
  // One list per family plus one per OKTA_GROUP, per managed app and per own policy: no per-object GETs.
  CHECK(requests == 1 + 1000 + 1 + 200 + 1 + 1);
  CHECK(stats["requests"].value("GET /api/v1/apps/{appId}", 0) == 0);
  CHECK(stats["requests"].value("GET /api/v1/groups/{groupId}", 0) == 0);
  CHECK(stats["peak_concurrency"].get<int>() <= 8);
}
