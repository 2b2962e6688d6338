// bench-whatif: builds a deterministic config of 200 conditional access policies over 60 groups,
// 40 applications and 5 named locations, and 10,000 sign-in scenarios, then times the whatif
// evaluator on every (policy, scenario) pair - the work `idform whatif` and `--matrix` do.
// Usage: bench-whatif [POLICIES] [SCENARIOS] [SEED]; prints one JSON object.
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <random>

#include "reconciler/whatif/evaluator.hpp"

using namespace idform::whatif;
using idform::model::Kind;
using idform::model::Resource;
using nlohmann::json;

namespace {

Resource make(Kind kind, std::string name, json spec) {
  Resource resource;
  resource.kind = kind;
  resource.name = std::move(name);
  resource.spec = std::move(spec);
  return resource;
}

idform::model::DesiredState config(int policies, std::mt19937& random) {
  idform::model::DesiredState desired;
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  for (int g = 0; g < 60; ++g) {
    json members = json::array();
    for (int u = 0; u < 50; ++u) members.push_back("user:user" + std::to_string(g * 50 + u) + "@bench.example");
    if (g % 10 != 0) members.push_back("group:group" + std::to_string(g - g % 10));
    desired.resources.push_back(make(Kind::group, "group" + std::to_string(g), {{"members", members}}));
  }
  for (int l = 0; l < 5; ++l)
    desired.resources.push_back(make(Kind::named_location, "site" + std::to_string(l),
                                     {{"trusted", l < 2}, {"ip_ranges", {"10." + std::to_string(l) + ".0.0/16"}}}));
  const char* controls[] = {"mfa", "compliant_device", "approved_app", "block"};
  const char* platforms[] = {"android", "ios", "windows", "macos", "linux"};
  for (int p = 0; p < policies; ++p) {
    json spec = {{"state", p % 7 == 0 ? "report-only" : "enabled"}};
    spec["users"] = {{"include", p % 5 == 0 ? json::array({"all"}) : json::array({"group:group" + std::to_string(pick(60))})},
                     {"exclude", {"group:group" + std::to_string(pick(60))}}};
    spec["applications"] = {{"include", p % 3 == 0 ? json::array({"all"}) : json::array({"app:app" + std::to_string(pick(40))})}};
    if (p % 4 == 0) spec["platforms"] = {{"include", {platforms[pick(5)], platforms[pick(5)]}}};
    if (p % 6 == 0) spec["locations"] = {{"include", {"any"}}, {"exclude", {"all_trusted"}}};
    if (p % 9 == 0) spec["sign_in_risk"] = {"medium", "high"};
    if (p % 11 == 0) spec["devices"] = {{"filter", {{"mode", "exclude"}, {"rule", "device.isCompliant -eq True"}}}};
    // Blocks are narrow (one group, with conditions), as in real tenants; broad policies ask for controls.
    const char* control = controls[pick(4)];
    if (p % 5 == 0 && std::string(control) == "block") control = "mfa";
    spec["grant"] = {{"operator", "or"}, {"controls", {control}}};
    if (p % 8 == 0) spec["session"] = {{"sign_in_frequency", std::to_string(1 + pick(24)) + "h"}};
    desired.resources.push_back(make(Kind::conditional_access_policy, "CA-" + std::to_string(p), spec));
  }
  return desired;
}

std::vector<Scenario> scenarios(int count, std::mt19937& random) {
  const char* platforms[] = {"android", "ios", "windows", "macos", "linux"};
  const char* risks[] = {"none", "low", "medium", "high"};
  std::vector<Scenario> out;
  for (int i = 0; i < count; ++i) {
    Scenario s;
    s.name = "scenario " + std::to_string(i);
    s.user = "user" + std::to_string(random() % 3000) + "@bench.example";
    s.application = "app" + std::to_string(random() % 40);
    s.platform = platforms[random() % 5];
    s.ip = "10." + std::to_string(random() % 8) + ".1.2";
    s.sign_in_risk = risks[random() % 4];
    if (random() % 2) s.device["device.isCompliant"] = "True";
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int policies = argc > 1 ? std::atoi(argv[1]) : 200;
  int count = argc > 2 ? std::atoi(argv[2]) : 10000;
  unsigned seed = argc > 3 ? static_cast<unsigned>(std::strtoul(argv[3], nullptr, 10)) : 20;
  std::mt19937 random(seed);
  idform::model::DesiredState desired = config(policies, random);
  std::vector<Scenario> list = scenarios(count, random);

  auto start = std::chrono::steady_clock::now();
  PolicySet set = compile(desired);
  std::vector<SignIn> sign_ins;
  sign_ins.reserve(list.size());
  for (const Scenario& scenario : list) sign_ins.push_back(resolve(set, scenario));
  auto compiled = std::chrono::steady_clock::now();
  size_t blocked = 0, mfa = 0, applied = 0;
  for (const SignIn& in : sign_ins) {
    Evaluation evaluation = evaluate(set, in, Semantics::entra);
    blocked += evaluation.enforced.block;
    mfa += evaluation.enforced.requires_mfa();
    applied += evaluation.enforced.policies.size() + evaluation.report_only.policies.size();
  }
  auto end = std::chrono::steady_clock::now();
  auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
  json result = {{"policies", policies},
                 {"scenarios", count},
                 {"evaluations", static_cast<long long>(policies) * count},
                 {"compile_ms", ms(start, compiled)},
                 {"evaluate_ms", ms(compiled, end)},
                 {"total_ms", ms(start, end)},
                 {"blocked", blocked},
                 {"requires_mfa", mfa},
                 {"policies_applied", applied}};
  std::cout << result.dump(2) << "\n";
  return 0;
}
