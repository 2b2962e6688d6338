#pragma once
// The coverage matrix: sign-ins built from the config itself - every group as a persona (plus a
// user in no group and a guest), every application (plus one the config does not declare), five
// platforms, every named location (plus an unknown one), browser and desktop clients - and the
// gaps among their outcomes: no policy at all, no second factor, or a block on an emergency
// access account.

#include <string>
#include <vector>

#include "reconciler/model/resource.hpp"
#include "reconciler/whatif/evaluator.hpp"

namespace idform::whatif {

struct Gap {
  std::string kind;      // "no policy", "no MFA", "emergency access blocked"
  std::string persona;   // "group:sales", "a user in no group", ...
  std::vector<std::string> applications;  // "app:Salesforce", "(an app not in the config)"
  std::vector<std::string> where;  // per location: "location:hq: every platform and client app",
                                   // or "(no named location): ios / browser, ..."; empty: everywhere
};

struct MatrixReport {
  size_t scenarios = 0;
  std::vector<Gap> gaps;
};

MatrixReport coverage_matrix(const model::DesiredState& desired, const PolicySet& set, Semantics semantics);
std::string render_matrix(const MatrixReport& report, bool markdown);

}  // namespace idform::whatif
