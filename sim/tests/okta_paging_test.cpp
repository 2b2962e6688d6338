// idp-sim, Okta flavor: list paging (limit, after, Link headers) and the filter/search/q
// parameters of groups, users, apps and zones, over real HTTP.
#include <catch2/catch.hpp>

#include "okta_sim_harness.hpp"

using namespace idform::testing::okta_sim;

namespace {

const char* kPagingToken = "00paging-token";

// A seed with `count` groups named "group-000".., three users and memberships.
void write_groups_seed(const std::filesystem::path& dir, int count) {
  Json groups = Json::array();
  for (int i = 0; i < count; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "00g%017d", i);
    char name[32];
    std::snprintf(name, sizeof name, "group-%03d", i);
    groups.push_back({{"id", id},
                      {"created", "2024-01-01T00:00:00.000Z"},
                      {"lastUpdated", i < count / 2 ? "2024-01-01T00:00:00.000Z" : "2025-06-01T00:00:00.000Z"},
                      {"lastMembershipUpdated", "2024-01-01T00:00:00.000Z"},
                      {"objectClass", Json::array({"okta:user_group"})},
                      {"type", i % 10 == 9 ? "APP_GROUP" : "OKTA_GROUP"},
                      {"profile", {{"name", name}, {"description", i % 2 ? "odd" : "even"}}}});
  }
  write_text(dir / "groups.json", groups.dump(2));
  Json users = Json::array();
  for (const char* login : {"alice@acme.example", "bob@acme.example", "carol@acme.example"}) {
    std::string short_name = std::string(login).substr(0, std::string(login).find('@'));
    users.push_back({{"id", "00u" + short_name},
                     {"status", short_name == "carol" ? "DEPROVISIONED" : "ACTIVE"},
                     {"type", {{"id", "oty1"}}},
                     {"profile", {{"firstName", short_name}, {"lastName", "Example"}, {"login", login}, {"email", login}}}});
  }
  write_text(dir / "users.json", users.dump(2));
  write_text(dir / "groups/00g00000000000000000/users.json", Json::array({users[0], users[1]}).dump());
}

std::vector<std::string> ids_of(const Json& list) {
  std::vector<std::string> ids;
  for (const auto& item : list) ids.push_back(item["id"].get<std::string>());
  return ids;
}

}  // namespace

TEST_CASE("okta sim pages groups with limit, after and Link headers", "[sim][okta]") {
  TempDir seed;
  write_groups_seed(seed.path(), 25);
  OktaSim sim({"--seed", seed.path().string(), "--api-token", kPagingToken});
  OktaClient okta(sim, std::string("SSWS ") + kPagingToken);

  auto first = okta.get("/api/v1/groups?limit=10");
  REQUIRE(first.status == 200);
  CHECK(first.json().size() == 10);
  auto links = first.all("link");
  REQUIRE(links.size() == 2);  // two separate Link headers, as Okta sends them
  CHECK(links[0] == "<" + sim.base() + "/api/v1/groups?limit=10>; rel=\"self\"");
  CHECK(links[1].find("rel=\"next\"") != std::string::npos);
  CHECK(first.next_link().find("after=00g00000000000000009") != std::string::npos);

  // Following next links visits every group exactly once, and the last page has no next link.
  std::vector<std::string> seen = ids_of(first.json());
  std::string next = first.next_link();
  int pages = 1;
  while (!next.empty()) {
    auto page = okta.get(next);
    REQUIRE(page.status == 200);
    auto ids = ids_of(page.json());
    seen.insert(seen.end(), ids.begin(), ids.end());
    next = page.next_link();
    ++pages;
  }
  CHECK(pages == 3);
  CHECK(seen.size() == 25);
  CHECK(std::set<std::string>(seen.begin(), seen.end()).size() == 25);

  SECTION("a cursor stays valid when its item is deleted meanwhile") {
    REQUIRE(okta.del("/api/v1/groups/00g00000000000000009").status == 204);
    auto page = okta.get(first.next_link());
    REQUIRE(page.status == 200);
    CHECK(page.json()[0]["id"] == "00g00000000000000010");
  }
  SECTION("an unknown cursor is Okta's invalid paging request") {
    auto page = okta.get("/api/v1/groups?after=nonsense");
    CHECK(page.status == 400);
    CHECK(page.json()["errorCode"] == "E0000029");
  }
  SECTION("limit above the maximum is clamped, a non-number refused") {
    CHECK(okta.get("/api/v1/groups?limit=20000").json().size() == 25);
    auto bad = okta.get("/api/v1/groups?limit=ten");
    CHECK(bad.status == 400);
    CHECK(bad.json()["errorCode"] == "E0000001");
  }
}

TEST_CASE("okta sim applies each list's default and maximum limit", "[sim][okta]") {
  TempDir seed;
  Json apps = Json::array();
  for (int i = 0; i < 230; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "0oa%017d", i);
    apps.push_back({{"id", id}, {"status", "ACTIVE"}, {"name", "bookmark"}, {"label", "App " + std::to_string(i)},
                    {"signOnMode", "BOOKMARK"}});
  }
  write_text(seed.path() / "apps.json", apps.dump());
  OktaSim sim({"--seed", seed.path().string(), "--api-token", kPagingToken, "--throttle", "off"});
  OktaClient okta(sim, std::string("SSWS ") + kPagingToken);
  CHECK(okta.get("/api/v1/apps").json().size() == 20);             // default page of apps
  CHECK(okta.get("/api/v1/apps?limit=1000").json().size() == 200);  // maximum 200
  auto page = okta.get("/api/v1/apps?limit=200");
  CHECK(page.next_link().find("after=0oa00000000000000199") != std::string::npos);
  CHECK(okta.get(page.next_link()).json().size() == 30);
  CHECK(okta.get("/api/v1/zones").json().empty());
}

TEST_CASE("okta sim filters groups with search, filter and q", "[sim][okta]") {
  TempDir seed;
  write_groups_seed(seed.path(), 20);
  OktaSim sim({"--seed", seed.path().string(), "--api-token", kPagingToken});
  OktaClient okta(sim, std::string("SSWS ") + kPagingToken);

  auto by_name = okta.get("/api/v1/groups?search=profile.name%20eq%20%22group-007%22");
  REQUIRE(by_name.status == 200);
  CHECK(ids_of(by_name.json()) == std::vector<std::string>{"00g00000000000000007"});
  auto by_type = okta.get("/api/v1/groups?search=type+eq+%22APP_GROUP%22");
  CHECK(ids_of(by_type.json()) == std::vector<std::string>{"00g00000000000000009", "00g00000000000000019"});
  auto updated = okta.get("/api/v1/groups?search=lastUpdated+gt+%222025-01-01T00:00:00.000Z%22");
  CHECK(updated.json().size() == 10);
  auto combined = okta.get(
      "/api/v1/groups?search=type+eq+%22OKTA_GROUP%22+and+(profile.description+eq+%22odd%22+or+profile.name+sw+%22group-00%22)");
  CHECK(combined.json().size() == 13);  // OKTA_GROUPs group-000..008 and the odd 011, 013, 015, 017
  auto contains = okta.get("/api/v1/groups?search=profile.name+co+%22-01%22");
  CHECK(contains.json().size() == 10);

  auto filtered = okta.get("/api/v1/groups?filter=type+eq+%22OKTA_GROUP%22+and+lastUpdated+lt+%222025-01-01T00:00:00.000Z%22");
  CHECK(filtered.json().size() == 9);
  auto query = okta.get("/api/v1/groups?q=group-01&limit=3");
  CHECK(query.json().size() == 3);
  CHECK(query.next_link().empty());  // q cannot be paged

  SECTION("filter only allows id, type, lastUpdated and lastMembershipUpdated") {
    auto refused = okta.get("/api/v1/groups?filter=profile.name+eq+%22group-001%22");
    CHECK(refused.status == 400);
    CHECK(refused.json()["errorCode"] == "E0000031");
  }
  SECTION("co is only supported on profile.name and profile.description") {
    CHECK(okta.get("/api/v1/groups?search=type+co+%22GROUP%22").json()["errorCode"] == "E0000031");
  }
  SECTION("search and filter cannot be combined") {
    auto both = okta.get("/api/v1/groups?search=type+eq+%22OKTA_GROUP%22&filter=type+eq+%22OKTA_GROUP%22");
    CHECK(both.status == 400);
    CHECK(both.json()["errorCode"] == "E0000033");
  }
  SECTION("a malformed expression is invalid search criteria") {
    CHECK(okta.get("/api/v1/groups?search=profile.name+eq").json()["errorCode"] == "E0000031");
  }
}

TEST_CASE("okta sim finds users by id, login, filter and search", "[sim][okta]") {
  TempDir seed;
  write_groups_seed(seed.path(), 2);
  OktaSim sim({"--seed", seed.path().string(), "--api-token", kPagingToken});
  OktaClient okta(sim, std::string("SSWS ") + kPagingToken);

  CHECK(okta.get("/api/v1/users/00ualice").json()["profile"]["login"] == "alice@acme.example");
  CHECK(okta.get("/api/v1/users/Bob@Acme.Example").json()["id"] == "00ubob");
  auto missing = okta.get("/api/v1/users/nobody@acme.example");
  CHECK(missing.status == 404);
  CHECK(missing.json()["errorSummary"] == "Not found: Resource not found: nobody@acme.example (User)");

  auto two = okta.get(
      "/api/v1/users?filter=profile.login+eq+%22alice%40acme.example%22+or+profile.login+eq+%22bob%40acme.example%22");
  REQUIRE(two.status == 200);
  CHECK(ids_of(two.json()) == std::vector<std::string>{"00ualice", "00ubob"});
  CHECK(okta.get("/api/v1/users").json().size() == 2);  // DEPROVISIONED users are only found by search
  CHECK(ids_of(okta.get("/api/v1/users?search=status+eq+%22DEPROVISIONED%22").json()) ==
        std::vector<std::string>{"00ucarol"});
  CHECK(okta.get("/api/v1/users?q=bo").json().size() == 1);
  CHECK(okta.get("/api/v1/users?filter=profile.firstName+sw+%22a%22").json()["errorCode"] == "E0000031");

  auto members = okta.get("/api/v1/groups/00g00000000000000000/users?limit=1");
  REQUIRE(members.status == 200);
  CHECK(ids_of(members.json()) == std::vector<std::string>{"00ualice"});
  CHECK(ids_of(okta.get(members.next_link()).json()) == std::vector<std::string>{"00ubob"});
}

TEST_CASE("okta sim filters apps and zones", "[sim][okta]") {
  OktaSim sim({"--seed", vendor_examples_dir(), "--api-token", kPagingToken});
  OktaClient okta(sim, std::string("SSWS ") + kPagingToken);
  auto active = okta.get("/api/v1/apps?filter=status+eq+%22ACTIVE%22&limit=200");
  REQUIRE(active.status == 200);
  for (const auto& app : active.json()) CHECK(app["status"] == "ACTIVE");
  CHECK(ids_of(okta.get("/api/v1/apps?filter=name+eq+%22workday%22").json()) ==
        std::vector<std::string>{"0oa7vicdkRNrz59R80w6", "0oa7vicvor8YSr9Hc0w6"});
  CHECK(okta.get("/api/v1/apps?q=Example").json().size() >= 1);
  REQUIRE(okta.put_empty("/api/v1/apps/0oa1gjh63g214q0Hq0g4/groups/00g1emaKYZTWRYYRRTSK").status == 200);
  CHECK(ids_of(okta.get("/api/v1/apps?filter=group.id+eq+%2200g1emaKYZTWRYYRRTSK%22").json()) ==
        std::vector<std::string>{"0oa1gjh63g214q0Hq0g4"});
  auto blocklist = okta.get("/api/v1/zones?filter=usage+eq+%22BLOCKLIST%22");
  CHECK(ids_of(blocklist.json()) ==
        std::vector<std::string>{"nzok0oz2xYHOZtIch0g4", "nzou3u0stMCmgOzXK1d6", "nzohcnxFrSgsiwyHp0g4"});
  CHECK(okta.get("/api/v1/zones?filter=(id+eq+%22nzowc1U5Jh5xuAK0o0g3%22+or+id+eq+%22nzoy0ox5xADOZtKrh0g6%22)")
            .json()
            .size() == 2);
  CHECK(okta.get("/api/v1/zones?filter=name+eq+%22x%22").json()["errorCode"] == "E0000031");
}
