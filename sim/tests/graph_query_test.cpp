// OData query options in the Graph flavor: paging, $top limits, $select, $filter, advanced
// queries and users by id or userPrincipalName.
#include <catch2/catch.hpp>

#include <set>

#include "graph_sim_fixture.hpp"

using namespace idform::testing;
using nlohmann::json;

namespace {

std::string encode(const std::string& text) { return url_encode(text); }

}  // namespace

TEST_CASE("graph paging follows @odata.nextLink with an opaque skip token", "[sim][graph][query]") {
  TempDir seed;
  seed.write_json("users.json", seed_users(250));
  GraphSim graph({}, {seed.str()});

  SECTION("default page size is 100") {
    auto first = graph.get("/users");
    REQUIRE(first.status == 200);
    auto body = first.json();
    CHECK(body["value"].size() == 100);
    REQUIRE(body.contains("@odata.nextLink"));
    std::string next = body["@odata.nextLink"];
    CHECK(next.rfind(graph.sim.base_url() + "/v1.0/users?", 0) == 0);
    CHECK(next.find("$skiptoken=") != std::string::npos);
  }
  SECTION("following nextLink visits every object exactly once, keeping the query") {
    std::set<std::string> seen;
    std::string url = graph.url("/users?$top=60&$select=id,userPrincipalName");
    int pages = 0;
    while (!url.empty()) {
      auto page = graph.get(url);
      REQUIRE(page.status == 200);
      auto body = page.json();
      CHECK(body["@odata.context"] == "https://graph.microsoft.com/v1.0/$metadata#users(id,userPrincipalName)");
      for (const auto& user : body["value"]) {
        CHECK(user.size() == 2);  // id + userPrincipalName only
        CHECK(seen.insert(user["id"].get<std::string>()).second);
      }
      url = body.value("@odata.nextLink", "");
      if (!url.empty()) CHECK((url.find("%24top=60") != std::string::npos || url.find("$top=60") != std::string::npos));
      ++pages;
    }
    CHECK(seen.size() == 250);
    CHECK(pages == 5);
  }
  SECTION("objects created while paging do not shift the pages") {
    auto first = graph.get("/users?$top=100").json();
    graph.create_user("zz-new");
    std::set<std::string> seen;
    for (const auto& user : first["value"]) seen.insert(user["id"].get<std::string>());
    std::string url = first["@odata.nextLink"];
    while (!url.empty()) {
      auto body = graph.get(url).json();
      for (const auto& user : body["value"]) CHECK(seen.insert(user["id"].get<std::string>()).second);
      url = body.value("@odata.nextLink", "");
    }
    CHECK(seen.size() == 251);
  }
  SECTION("$top maximum is 999 for directory collections") {
    CHECK(graph.get("/users?$top=999").json()["value"].size() == 250);
    auto too_big = graph.get("/users?$top=1000");
    CHECK(too_big.status == 400);
    CHECK(too_big.json()["error"]["code"] == "Request_BadRequest");
    CHECK(too_big.json()["error"]["message"] ==
          "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.");
    CHECK(graph.get("/users?$top=0").status == 400);
  }
  SECTION("a skip token that was not issued is rejected") {
    CHECK(graph.get("/users?$skiptoken=not-a-token").status == 400);
  }
}

TEST_CASE("graph $select and default properties", "[sim][graph][query]") {
  TempDir seed;
  seed.write_json("users.json", seed_users(3));
  GraphSim graph({}, {seed.str()});
  std::string id = "00000000-0000-4000-8000-000000000001";
  SECTION("a user has a limited default property set") {
    auto user = graph.get("/users/" + id).json();
    CHECK(user["userPrincipalName"] == "user001@contoso.onmicrosoft.com");
    CHECK_FALSE(user.contains("accountEnabled"));
    auto selected = graph.get("/users/" + id + "?$select=accountEnabled,displayName").json();
    CHECK(selected["@odata.context"] ==
          "https://graph.microsoft.com/v1.0/$metadata#users(accountEnabled,displayName)/$entity");
    CHECK(selected["accountEnabled"] == true);
    CHECK_FALSE(selected.contains("mail"));
    CHECK(selected["id"] == id);
  }
  SECTION("a selected property without a value is null") {
    auto selected = graph.get("/users/" + id + "?$select=jobTitle").json();
    CHECK(selected.contains("jobTitle"));
    CHECK(selected["jobTitle"].is_null());
  }
  SECTION("selecting an unknown property is an error") {
    auto response = graph.get("/users?$select=shoeSize");
    CHECK(response.status == 400);
    CHECK(response.json()["error"]["message"] ==
          "Could not find a property named 'shoeSize' on type 'microsoft.graph.user'.");
  }
  SECTION("users by userPrincipalName, case-insensitively") {
    auto user = graph.get("/users/USER002@contoso.onmicrosoft.com");
    REQUIRE(user.status == 200);
    CHECK(user.json()["id"] == "00000000-0000-4000-8000-000000000002");
    CHECK(graph.get("/users/nobody@contoso.onmicrosoft.com").status == 404);
  }
}

TEST_CASE("graph $filter", "[sim][graph][query]") {
  TempDir seed;
  seed.write_json("users.json", seed_users(30));
  GraphSim graph({}, {seed.str()});
  auto count = [&](const std::string& query, std::vector<std::pair<std::string, std::string>> headers = {}) {
    auto response = graph.get("/users?" + query, std::move(headers));
    INFO(query << " -> " << response.body);
    REQUIRE(response.status == 200);
    return response.json()["value"].size();
  };
  SECTION("userPrincipalName and mail eq, in, startswith") {
    CHECK(count("$filter=" + encode("userPrincipalName eq 'user007@contoso.onmicrosoft.com'")) == 1);
    CHECK(count("$filter=" + encode("mail eq 'USER007@contoso.com'")) == 1);
    CHECK(count("$filter=" + encode("userPrincipalName in ('user001@contoso.onmicrosoft.com', "
                                    "'user002@contoso.onmicrosoft.com', 'nobody@contoso.com')")) == 2);
    CHECK(count("$filter=" + encode("mail in ('user010@contoso.com','user011@contoso.com')")) == 2);
    CHECK(count("$filter=" + encode("startswith(displayName,'user01')")) == 10);
    CHECK(count("$filter=" + encode("displayName eq 'user005' or displayName eq 'user006'")) == 2);
    CHECK(count("$filter=" + encode("accountEnabled eq true and startswith(userPrincipalName,'user02')")) == 10);
  }
  SECTION("in accepts at most 15 values") {
    std::string list;
    for (int i = 0; i < 16; ++i) list += (i ? "," : "") + std::string("'u") + std::to_string(i) + "'";
    auto response = graph.get("/users?$filter=" + encode("mail in (" + list + ")"));
    CHECK(response.status == 400);
  }
  SECTION("a property that is not filterable") {
    auto response = graph.get("/users?$filter=" + encode("officeLocation eq 'x'"));
    CHECK(response.status == 400);
    CHECK(response.json()["error"]["code"] == "Request_UnsupportedQuery");
    CHECK(response.json()["error"]["message"] ==
          "Unsupported or invalid query filter clause specified for property 'officeLocation' of resource 'User'.");
  }
  SECTION("advanced operators need ConsistencyLevel: eventual and $count=true") {
    auto plain = graph.get("/users?$filter=" + encode("displayName ne 'user001'"));
    CHECK(plain.status == 400);
    CHECK(plain.json()["error"]["code"] == "Request_UnsupportedQuery");
    CHECK(plain.json()["error"]["message"].get<std::string>().rfind("Operator 'ne' is not supported", 0) == 0);
    auto advanced = graph.get("/users?$count=true&$filter=" + encode("displayName ne 'user001'"),
                              {{"ConsistencyLevel", "eventual"}});
    REQUIRE(advanced.status == 200);
    CHECK(advanced.json()["@odata.count"] == 29);
    CHECK(count("$count=true&$filter=" + encode("endswith(mail,'7@contoso.com')"), {{"ConsistencyLevel", "eventual"}}) ==
          3);
  }
  SECTION("$count=true without ConsistencyLevel is ignored silently") {
    auto response = graph.get("/users?$count=true");
    REQUIRE(response.status == 200);
    CHECK_FALSE(response.json().contains("@odata.count"));
  }
  SECTION("$search needs ConsistencyLevel: eventual") {
    auto plain = graph.get("/users?$search=" + encode("\"displayName:user02\""));
    CHECK(plain.status == 400);
    CHECK(plain.json()["error"]["code"] == "Request_UnsupportedQuery");
    CHECK(count("$search=" + encode("\"displayName:user02\""), {{"ConsistencyLevel", "eventual"}}) == 10);
  }
  SECTION("a malformed filter") {
    CHECK(graph.get("/users?$filter=" + encode("displayName eq")).status == 400);
  }
}

TEST_CASE("graph groups $filter on displayName and $orderby", "[sim][graph][query]") {
  GraphSim graph;
  for (const char* name : {"sales", "sales-emea", "support", "engineering"}) graph.create_group(name);
  auto names = [&](const std::string& query) {
    std::vector<std::string> out;
    auto response = graph.get("/groups?" + query);
    INFO(response.body);
    for (const auto& group : value_of(response.json())) out.push_back(group["displayName"]);
    return out;
  };
  CHECK(names("$filter=" + encode("displayName eq 'sales'")) == std::vector<std::string>{"sales"});
  CHECK(names("$filter=" + encode("startswith(displayName,'s')")) ==
        std::vector<std::string>{"sales", "sales-emea", "support"});
  CHECK(names("$orderby=displayName") == std::vector<std::string>{"engineering", "sales", "sales-emea", "support"});
  CHECK(graph.get("/groups?$orderby=displayName&$filter=" + encode("startswith(displayName,'s')")).status == 400);
  CHECK(graph.get("/groups?$filter=" + encode("createdDateTime ge 2020-01-01T00:00:00Z")).status == 400);
}
