#pragma once
// What the interrupted-apply tests (sandbox, Entra, Okta) check once idform has been stopped in
// the middle of an apply: the next plan and apply converge without --accept, and touch only what
// the plan showed.

#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "e2e/e2e_support.hpp"

namespace idform::testing {

// The addresses an apply reported as done ("group:x: create complete").
inline std::set<std::string> applied_addresses(const std::string& out) {
  std::set<std::string> addresses;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    auto done = line.find(" complete");
    auto colon = line.rfind(": ", done);
    if (done != std::string::npos && colon != std::string::npos) addresses.insert(line.substr(0, colon));
  }
  return addresses;
}

// Plans (JSON), applies without --accept, plans again: the run converges, and the apply touched
// only what its plan showed (by its own report, and by the tenant when `objects` can read it).
inline void converges_after_interruption(
    const AcmeCopy& acme, const std::map<std::string, std::string>& env,
    const std::function<std::map<std::string, nlohmann::json>()>& objects = {}) {
  ProcessResult planned = acme.idform({"plan", "--format", "json"}, env);
  INFO(planned.err);
  REQUIRE(planned.exit_code == 0);
  nlohmann::json plan = nlohmann::json::parse(planned.out);
  CHECK(plan["guards"].empty());
  std::set<std::string> shown;
  for (const auto& change : plan["changes"]) shown.insert(change["address"].get<std::string>());
  std::map<std::string, nlohmann::json> before = objects ? objects() : std::map<std::string, nlohmann::json>{};
  ProcessResult applied = acme.idform({"apply", "--auto-approve", "--no-color"}, env);
  INFO(applied.out << applied.err);
  REQUIRE(applied.exit_code == 0);
  for (const std::string& address : applied_addresses(applied.out)) CHECK(shown.contains(address));
  if (objects) {
    std::map<std::string, nlohmann::json> after = objects();
    for (const auto& [address, spec] : after) {
      auto found = before.find(address);
      if (found == before.end() || found->second != spec) CHECK(shown.contains(address));
      if (found != before.end()) before.erase(found);
    }
    for (const auto& [address, spec] : before) CHECK(shown.contains(address));  // deleted
  }
  ProcessResult again = acme.idform({"plan", "--detailed-exitcode", "--no-color"}, env);
  INFO(again.out << again.err);
  CHECK(again.exit_code == 0);
}

}  // namespace idform::testing
