// The ldap provider's behavioural spec against a real slapd on loopback: reading groups, members
// (users by mail, nested groups, unknown DNs) and descriptions; the group lifecycle (create with
// members, add and remove members, description, rename by modrdn, delete) converging after each
// apply; empty groupOfNames; paged reads past the server's size limit.

#include <catch2/catch.hpp>

#include "support/ldap_testbed.hpp"

using idform::testing::LdapTestbed;
using idform::testing::SlapdOptions;
using idform::testing::ldap_people;
using nlohmann::json;

namespace {

std::vector<std::string> ldap_summary(const idform::plan::Plan& plan) {
  std::vector<std::string> out;
  for (const auto& change : plan.changes) out.push_back(std::string(idform::plan::action_name(change.action)) + " " + change.address);
  return out;
}

std::set<std::string> ldap_members(const idform::model::Resource& group) {
  return group.spec.at("members").get<std::set<std::string>>();
}

const std::string kLdapSeedGroups = R"(dn: cn=oncall,ou=groups,dc=example,dc=test
objectClass: groupOfNames
cn: oncall
member: uid=carol,ou=people,dc=example,dc=test

dn: cn=eng,ou=groups,dc=example,dc=test
objectClass: groupOfNames
cn: eng
description: Engineering
member: uid=alice,ou=people,dc=example,dc=test
member: uid=bob,ou=people,dc=example,dc=test
member: cn=oncall,ou=groups,dc=example,dc=test
member: uid=erin,ou=people,dc=example,dc=test

)";

}  // namespace

TEST_CASE("ldap reads groups with users by mail, nested groups and descriptions", "[ldap-provider]") {
  LdapTestbed bed({.seed = ldap_people() + kLdapSeedGroups});
  auto desired = bed.load({});
  auto plan = bed.plan(desired);
  CHECK(plan.changes.empty());
  CHECK(plan.unmanaged.size() == 2);
  const auto& eng = bed.live_group("eng");
  CHECK(eng.spec["description"] == "Engineering");
  CHECK(ldap_members(eng) == std::set<std::string>{"user:alice@example.test", "user:bob@example.test", "group:oncall",
                                                   "user:id:uid=erin,ou=people,dc=example,dc=test"});
  CHECK(ldap_members(bed.live_group("oncall")) == std::set<std::string>{"user:carol@example.test"});
  CHECK(eng.id.size() == 36);  // entryUUID
  // Every user with a mail address, by DN.
  std::set<std::string> emails;
  for (const auto& user : bed.live().users) emails.insert(user.email + " " + user.id);
  CHECK(emails == std::set<std::string>{"alice@example.test uid=alice,ou=people,dc=example,dc=test",
                                        "bob@example.test uid=bob,ou=people,dc=example,dc=test",
                                        "carol@example.test uid=carol,ou=people,dc=example,dc=test",
                                        "dave@example.test uid=dave,ou=people,dc=example,dc=test"});
}

TEST_CASE("ldap group lifecycle: create with members, change members and description, rename, delete", "[ldap-provider]") {
  LdapTestbed bed({.seed = ldap_people()});
  auto desired = bed.load({{"groups.yaml", R"(kind: Group
name: team
description: The team
members: [alice@example.test, Bob@Example.test, {group: oncall}]
---
kind: Group
name: oncall
members: [carol@example.test]
---
kind: Group
name: all-staff
members: [{group: team}, dave@example.test]
)"}});
  auto plan = bed.plan(desired);
  CHECK(ldap_summary(plan) == std::vector<std::string>{"create group:oncall", "create group:team", "create group:all-staff"});
  bed.apply(plan);
  bed.expect_converged(desired);
  CHECK(bed.members_of("cn=team,ou=groups,dc=example,dc=test") ==
        std::set<std::string>{"uid=alice,ou=people,dc=example,dc=test", "uid=bob,ou=people,dc=example,dc=test",
                              "cn=oncall,ou=groups,dc=example,dc=test"});
  const std::string team_id = bed.live_group("team").id;

  // One member out, one in, a new description.
  desired = bed.load({{"groups.yaml", R"(kind: Group
name: team
description: The whole team
members: [alice@example.test, carol@example.test, {group: oncall}]
---
kind: Group
name: oncall
members: [carol@example.test]
---
kind: Group
name: all-staff
members: [{group: team}, dave@example.test]
)"}});
  plan = bed.plan(desired);
  REQUIRE(ldap_summary(plan) == std::vector<std::string>{"update group:team"});
  const auto* members = idform::testing::attribute_of(plan.changes[0], "members");
  REQUIRE(members);
  CHECK(members->added == std::vector<std::string>{"user:carol@example.test"});
  CHECK(members->removed == std::vector<std::string>{"user:bob@example.test"});
  bed.apply(plan);
  bed.expect_converged(desired);

  // Rename through the pinned id: a modrdn, and all-staff's member value follows it.
  desired = bed.load({{"groups.yaml", R"(kind: Group
name: squad
id: )" + team_id + R"(
description: The whole team
members: [alice@example.test, carol@example.test, {group: oncall}]
---
kind: Group
name: oncall
members: [carol@example.test]
---
kind: Group
name: all-staff
members: [{group: squad}, dave@example.test]
)"}});
  plan = bed.plan(desired);
  // all-staff's member list names the group by its new name: the plan shows that too.
  CHECK(ldap_summary(plan) == std::vector<std::string>{"update group:all-staff", "update group:squad"});
  bed.apply(plan);
  bed.expect_converged(desired);
  CHECK(bed.live_group("squad").id == team_id);
  CHECK_FALSE(bed.exists("cn=team,ou=groups,dc=example,dc=test"));
  CHECK(bed.members_of("cn=all-staff,ou=groups,dc=example,dc=test") ==
        std::set<std::string>{"cn=squad,ou=groups,dc=example,dc=test", "uid=dave,ou=people,dc=example,dc=test"});

  // Delete: the entry goes, and so does the member value that named it.
  desired = bed.load({{"groups.yaml", R"(kind: Group
name: squad
state: absent
---
kind: Group
name: oncall
members: [carol@example.test]
---
kind: Group
name: all-staff
membership: additive
members: [dave@example.test]
)"}});
  plan = bed.plan(desired);
  CHECK(ldap_summary(plan) == std::vector<std::string>{"delete group:squad"});
  bed.apply(plan);
  bed.expect_converged(desired);
  CHECK_FALSE(bed.exists("cn=squad,ou=groups,dc=example,dc=test"));
  CHECK(bed.members_of("cn=all-staff,ou=groups,dc=example,dc=test") ==
        std::set<std::string>{"uid=dave,ou=people,dc=example,dc=test"});
}

TEST_CASE("ldap groupOfNames cannot be empty: an error without a placeholder, the placeholder with one", "[ldap-provider]") {
  SECTION("without placeholder_member") {
    LdapTestbed bed({.seed = ldap_people()});
    auto desired = bed.load({{"g.yaml", "kind: Group\nname: nobody-yet\nmembers: []\n"}});
    auto plan = bed.plan(desired);
    REQUIRE(plan.changes.size() == 1);
    idform::provider::ApplyRequest request{plan.changes[0], {}, nullptr};
    auto applied = bed.provider->apply(request);
    REQUIRE_FALSE(applied);
    CHECK(applied.error().address == "group:nobody-yet");
    CHECK(applied.error().summary.find("at least one member") != std::string::npos);
    CHECK(applied.error().detail.find("placeholder_member") != std::string::npos);
  }
  SECTION("with placeholder_member") {
    const std::string placeholder = "cn=idform,dc=example,dc=test";
    LdapTestbed bed({.seed = ldap_people()}, {{"placeholder_member", placeholder}});
    auto desired = bed.load({{"g.yaml", "kind: Group\nname: later\nmembers: []\n"}});
    bed.apply(bed.plan(desired));
    bed.expect_converged(desired);
    CHECK(ldap_members(bed.live_group("later")).empty());
    CHECK(bed.members_of("cn=later,ou=groups,dc=example,dc=test") == std::set<std::string>{placeholder});

    desired = bed.load({{"g.yaml", "kind: Group\nname: later\nmembers: [alice@example.test]\n"}});
    bed.apply(bed.plan(desired));
    bed.expect_converged(desired);
    CHECK(bed.members_of("cn=later,ou=groups,dc=example,dc=test") ==
          std::set<std::string>{"uid=alice,ou=people,dc=example,dc=test"});

    desired = bed.load({{"g.yaml", "kind: Group\nname: later\nmembers: []\n"}});
    bed.apply(bed.plan(desired));
    bed.expect_converged(desired);
    CHECK(bed.members_of("cn=later,ou=groups,dc=example,dc=test") == std::set<std::string>{placeholder});
  }
}

TEST_CASE("ldap reads page by page past the server's size limit", "[ldap-provider]") {
  std::string seed = ldap_people();
  for (int i = 0; i < 12; ++i)
    seed += "dn: cn=paged-" + std::to_string(i) + ",ou=groups,dc=example,dc=test\nobjectClass: groupOfNames\ncn: paged-" +
            std::to_string(i) + "\nmember: uid=alice,ou=people,dc=example,dc=test\n\n";
  // The service account may see 3 entries per unpaged search; pages of 5 read all 12 groups.
  LdapTestbed bed({.seed = seed, .size_limit = 3}, {{"page_size", 5}});
  auto plan = bed.plan(bed.load({}));
  CHECK(plan.unmanaged.size() == 12);
  CHECK(bed.live().users.size() == 4);

  auto directory = bed.raw(5);
  int entries = 0;
  auto searched = directory->search({"ou=groups,dc=example,dc=test", idform::providers::ldap::Scope::subtree,
                                     "(objectClass=groupOfNames)", {"cn"}},
                                    [&](idform::providers::ldap::Entry&&) -> idform::Result<void> {
                                      ++entries;
                                      return {};
                                    });
  REQUIRE(searched);
  CHECK(entries == 12);
  CHECK(directory->search_requests() == 3);  // 5 + 5 + 2
}
