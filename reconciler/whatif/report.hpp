#pragma once
// What `idform whatif` prints: per scenario the outcome, the policies that apply and why, the
// ones that do not and why not, and what the report-only policies would do; or, comparing two
// policy sets, only the scenarios whose outcome changes. Pure functions of their inputs.

#include <string>
#include <vector>

#include "reconciler/whatif/evaluator.hpp"
#include "reconciler/whatif/scenario.hpp"

namespace idform::whatif {

struct ScenarioOutcome {
  std::string scenario;
  std::string enforced;     // Outcome::text()
  std::string report_only;  // "" when no report-only policy applies
};

// One line per scenario whose outcome (enforced or report-only) differs.
struct OutcomeChange {
  std::string scenario;
  ScenarioOutcome before, after;
};

std::vector<ScenarioOutcome> outcomes(const PolicySet& set, const std::vector<Scenario>& scenarios, Semantics semantics);
std::vector<OutcomeChange> changes(const std::vector<ScenarioOutcome>& before, const std::vector<ScenarioOutcome>& after);

// The full report; `markdown` chooses the form.
std::string render_report(const PolicySet& set, const std::vector<Scenario>& scenarios, Semantics semantics, bool markdown);
std::string render_changes(const std::vector<OutcomeChange>& changes, const std::string& base, bool markdown);

// Scenarios whose `expect:` the outcome does not meet, as messages with the scenario's location.
Diagnostics unmet_expectations(const PolicySet& set, const std::vector<Scenario>& scenarios, Semantics semantics);

}  // namespace idform::whatif
