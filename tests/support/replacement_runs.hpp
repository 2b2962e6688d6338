#pragma once
// Replacements under injected faults, for any provider's testbed: a group, an application and a
// policy are renamed without `id:` (each a create of the new object and a pruning delete of the
// old), beside an update and a policy whose references move to the new objects. Each seeded run
// starts from the "old" tenant, fails random creates and updates (FaultyProvider), applies at a
// random parallelism from 1 to 8, and checks: no delete starts before every create and update has
// ended, none runs at all after one failed, and the next plan shows exactly what did not apply.
//
// A testbed provides reset() (back to a tenant holding only the users), load(files) (with pruning
// on for every kind), plan(), apply(), live(), reopen() (a fresh provider where the old one caches)
// and `provider`.

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>

#include "reconciler/apply/applier.hpp"
#include "support/engine_driver.hpp"
#include "support/faulty_provider.hpp"

namespace idform::testing {

inline const char* kPruneEverything =
    "manage:\n  groups: {prune: true}\n  applications: {prune: true}\n  conditional_access_policies: {prune: true}\n";

// Which policies the runs use: any provider's, or Okta's shape, where a policy is attached to the
// apps it names (one policy per app) and blocks or asks for MFA without client app conditions.
enum class PolicyShape { general, okta };

// The config of the tenant before (`suffix` "old") and after ("new") the renames.
inline std::map<std::string, std::string> replacement_files(const std::string& suffix, const std::string& description,
                                                            PolicyShape shape = PolicyShape::general) {
  std::string group = "team-" + suffix, app = "Portal " + suffix, policy = "CA-010 Block legacy " + suffix;
  if (shape == PolicyShape::okta)
    return {
        {"groups.yaml", "kind: Group\nname: " + group + "\nmembers: [alice@acme.example]\n---\n"
                        "kind: Group\nname: other\ndescription: " + description + "\n"},
        {"apps.yaml", "kind: Application\nname: " + app + "\nsso: {protocol: oidc, oidc: {redirect_uris: "
                      "[\"https://portal.acme.example/cb\"]}}\nassignments: [{group: " + group + "}]\n---\n"
                      "kind: Application\nname: Wiki\nsso: {protocol: oidc, oidc: {redirect_uris: "
                      "[\"https://wiki.acme.example/cb\"]}}\n"},
        {"policies.yaml", "kind: ConditionalAccessPolicy\nname: " + policy + "\nstate: enabled\n"
                          "users: {include: [all], exclude: [\"group:" + group + "\"]}\n"
                          "applications: {include: [\"app:" + app + "\"]}\ngrant: {operator: or, controls: [block]}\n---\n"
                          "kind: ConditionalAccessPolicy\nname: CA-011 MFA\nstate: enabled\n"
                          "users: {include: [all], exclude: [\"group:" + group + "\"]}\n"
                          "applications: {include: [\"app:Wiki\"]}\ngrant: {operator: or, controls: [mfa]}\n"},
    };
  return {
      {"groups.yaml", "kind: Group\nname: " + group + "\nmembers: [alice@acme.example]\n---\n"
                      "kind: Group\nname: other\ndescription: " + description + "\n"},
      {"apps.yaml", "kind: Application\nname: " + app + "\nsso: {protocol: oidc, oidc: {redirect_uris: "
                    "[\"https://portal.acme.example/cb\"]}}\nassignments: [{group: " + group + "}]\n"},
      {"policies.yaml", "kind: ConditionalAccessPolicy\nname: " + policy + "\nstate: enabled\n"
                        "users: {include: [all], exclude: [\"group:" + group + "\"]}\n"
                        "applications: {include: [all]}\nclient_app_types: [exchange_active_sync, other]\n"
                        "grant: {operator: or, controls: [block]}\n---\n"
                        "kind: ConditionalAccessPolicy\nname: CA-011 MFA\nstate: enabled\n"
                        "users: {include: [all], exclude: [\"group:" + group + "\"]}\n"
                        "applications: {include: [\"app:" + app + "\"]}\ngrant: {operator: or, controls: [mfa]}\n"},
  };
}

inline std::set<std::string> change_summary(const std::vector<plan::Change>& changes) {
  std::set<std::string> out;
  for (const plan::Change& change : changes) out.insert(std::string(plan::action_name(change.action)) + " " + change.address);
  return out;
}

// Whether a delete started before the last create or update ended, and whether any delete started.
struct DeleteTiming {
  bool early = false;
  bool any = false;
};
inline DeleteTiming delete_timing(const std::vector<std::string>& events) {
  size_t last_other_end = 0, first_delete_start = events.size();
  for (size_t i = 0; i < events.size(); ++i) {
    bool is_delete = events[i].find(" delete ") != std::string::npos;
    if (!is_delete && events[i].starts_with("end ")) last_other_end = i;
    if (is_delete && events[i].starts_with("start ")) first_delete_start = std::min(first_delete_start, i);
  }
  bool any = first_delete_start < events.size();
  return {any && first_delete_start < last_other_end, any};
}

// Runs `runs` seeded replacement runs on `bed`; returns how many had injected failures.
template <class Bed>
int run_replacements(Bed& bed, unsigned base_seed, unsigned runs, PolicyShape shape = PolicyShape::general) {
  int with_failures = 0;
  for (unsigned run = 0; run < runs; ++run) {
    unsigned seed = base_seed + run;
    std::mt19937 random(seed);
    INFO("seed " << seed << " (run " << run << " of " << runs << ")");
    bed.reset();
    model::DesiredState before = bed.load(replacement_files("old", "one", shape));
    bed.apply(bed.plan(before));
    bed.reopen();

    model::DesiredState after = bed.load(replacement_files("new", "two", shape));
    plan::Plan plan = bed.plan(after);
    for (const char* address : {"group:team-old", "app:Portal old", "policy:CA-010 Block legacy old"}) {
      const plan::Change& old_one = change_of(plan, address);
      CHECK(old_one.action == plan::Action::delete_);
      CHECK(std::find(old_one.depends_on.begin(), old_one.depends_on.end(), old_one.replaced_by) != old_one.depends_on.end());
    }
    CHECK(change_of(plan, "group:team-old").replaced_by == "group:team-new");
    CHECK(change_of(plan, "app:Portal old").replaced_by == "app:Portal new");
    CHECK(change_of(plan, "policy:CA-010 Block legacy old").replaced_by == "policy:CA-010 Block legacy new");

    FaultyProvider faulty(*bed.provider);
    for (const plan::Change& change : plan.changes)
      if (change.action != plan::Action::delete_ && random() % 4 == 0) faulty.failing.insert(change.address);
    int parallelism = 1 + static_cast<int>(random() % 8);
    INFO("parallelism " << parallelism << ", " << faulty.failing.size() << " failing");
    apply::ApplyReport report = apply::apply_plan(plan, bed.live(), faulty, {.parallelism = parallelism, .on_outcome = {}});
    if (!faulty.failing.empty()) ++with_failures;

    DeleteTiming timing = delete_timing(faulty.events());
    CHECK_FALSE(timing.early);
    if (!faulty.failing.empty()) CHECK_FALSE(timing.any);  // zero deletes after a failed create or update
    else CHECK(report.ok());

    std::vector<plan::Change> not_applied;
    for (size_t i = 0; i < report.outcomes.size(); ++i)
      if (report.outcomes[i].status != apply::Status::applied) not_applied.push_back(plan.changes[i]);
    bed.reopen();
    plan::Plan next = bed.plan(after);
    CHECK(change_summary(next.changes) == change_summary(not_applied));
  }
  return with_failures;
}

}  // namespace idform::testing
