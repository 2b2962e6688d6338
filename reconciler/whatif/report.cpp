// Renders whatif results as text or markdown (see report.hpp).
#include "reconciler/whatif/report.hpp"

#include <map>
#include <sstream>

namespace idform::whatif {
namespace {

const char* state_word(PolicyState state) {
  switch (state) {
    case PolicyState::enabled: return "enabled";
    case PolicyState::report_only: return "report-only";
    case PolicyState::disabled: return "disabled";
  }
  return "";
}

ScenarioOutcome outcome_for(const PolicySet& set, const Scenario& scenario, Semantics semantics) {
  Evaluation evaluation = evaluate(set, resolve(set, scenario), semantics);
  return {scenario.name, evaluation.enforced.text(),
          evaluation.report_only.any_policy ? evaluation.report_only.text() : std::string()};
}

void render_scenario(std::ostringstream& out, const PolicySet& set, const Scenario& scenario, Semantics semantics,
                     bool markdown) {
  SignIn in = resolve(set, scenario);
  Evaluation evaluation = evaluate(set, in, semantics);
  const char* bullet = markdown ? "- " : "    ";
  out << (markdown ? "### " : "") << scenario.name << "\n";
  if (markdown) out << "\n";
  out << (markdown ? "**Outcome:** " : "  outcome: ") << evaluation.enforced.text() << "\n";
  if (evaluation.report_only.any_policy)
    out << (markdown ? "\n**Report-only would:** " : "  report-only would: ") << evaluation.report_only.text() << "\n";
  if (markdown) out << "\n";
  out << (markdown ? "Applies:\n\n" : "  applies:\n");
  bool any = false;
  for (size_t i = 0; i < set.policies.size(); ++i) {
    const Policy& policy = set.policies[i];
    if (!evaluation.matches[i].applies()) continue;
    any = true;
    out << bullet << policy.name << " (" << state_word(policy.state) << "): " << explain(set, policy, in, evaluation.matches[i]) << "\n";
  }
  if (!any) out << bullet << "none\n";
  if (markdown) out << "\n";
  out << (markdown ? "Does not apply:\n\n" : "  does not apply:\n");
  any = false;
  for (size_t i = 0; i < set.policies.size(); ++i) {
    const Policy& policy = set.policies[i];
    if (evaluation.matches[i].applies()) continue;
    any = true;
    out << bullet << policy.name << ": " << explain(set, policy, in, evaluation.matches[i]) << "\n";
  }
  if (!any) out << bullet << "none\n";
  out << "\n";
}

std::string cell(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

}  // namespace

std::vector<ScenarioOutcome> outcomes(const PolicySet& set, const std::vector<Scenario>& scenarios, Semantics semantics) {
  std::vector<ScenarioOutcome> out;
  out.reserve(scenarios.size());
  for (const Scenario& scenario : scenarios) out.push_back(outcome_for(set, scenario, semantics));
  return out;
}

std::vector<OutcomeChange> changes(const std::vector<ScenarioOutcome>& before, const std::vector<ScenarioOutcome>& after) {
  std::map<std::string, const ScenarioOutcome*> earlier;
  for (const ScenarioOutcome& outcome : before) earlier[outcome.scenario] = &outcome;
  std::vector<OutcomeChange> out;
  for (const ScenarioOutcome& now : after) {
    auto found = earlier.find(now.scenario);
    ScenarioOutcome then = found != earlier.end() ? *found->second : ScenarioOutcome{now.scenario, "(no such scenario)", ""};
    if (then.enforced != now.enforced || then.report_only != now.report_only) out.push_back({now.scenario, then, now});
  }
  return out;
}

std::string render_report(const PolicySet& set, const std::vector<Scenario>& scenarios, Semantics semantics, bool markdown) {
  std::ostringstream out;
  out << (markdown ? "## Sign-in scenarios\n\n" : "")
      << scenarios.size() << " scenario(s) against " << set.policies.size() << " polic"
      << (set.policies.size() == 1 ? "y" : "ies") << " (" << (semantics == Semantics::okta ? "Okta" : "Entra")
      << " semantics)\n\n";
  for (const Policy& policy : set.policies)
    for (const std::string& problem : policy.problems)
      out << "warning: " << policy.name << ": " << problem << " (treated as matching nothing)\n";
  for (const Scenario& scenario : scenarios) render_scenario(out, set, scenario, semantics, markdown);
  return out.str();
}

std::string render_changes(const std::vector<OutcomeChange>& list, const std::string& base, bool markdown) {
  std::ostringstream out;
  if (markdown) {
    out << "### Sign-in scenarios this change affects\n\n";
    if (list.empty()) {
      out << "No scenario's outcome changes (compared with " << cell(base) << ").\n";
      return out.str();
    }
    out << "| scenario | before (" << cell(base) << ") | after |\n|---|---|---|\n";
    for (const OutcomeChange& change : list) {
      auto both = [](const ScenarioOutcome& outcome) {
        return cell(outcome.enforced) + (outcome.report_only.empty() ? "" : "<br>report-only: " + cell(outcome.report_only));
      };
      out << "| " << cell(change.scenario) << " | " << both(change.before) << " | " << both(change.after) << " |\n";
    }
    return out.str();
  }
  if (list.empty()) return "No scenario's outcome differs from " + base + ".\n";
  out << list.size() << " scenario(s) change compared with " << base << ":\n\n";
  for (const OutcomeChange& change : list) {
    out << change.scenario << "\n  before: " << change.before.enforced << "\n  after:  " << change.after.enforced << "\n";
    if (change.before.report_only != change.after.report_only)
      out << "  report-only before: " << (change.before.report_only.empty() ? "-" : change.before.report_only)
          << "\n  report-only after:  " << (change.after.report_only.empty() ? "-" : change.after.report_only) << "\n";
  }
  return out.str();
}

Diagnostics unmet_expectations(const PolicySet& set, const std::vector<Scenario>& scenarios, Semantics semantics) {
  Diagnostics out;
  for (const Scenario& scenario : scenarios) {
    if (scenario.expect.empty()) continue;
    std::string got = outcome_for(set, scenario, semantics).enforced;
    if (got != scenario.expect && !(scenario.expect == "allow" && got.starts_with("allow")))
      out.push_back(Error{"scenario \"" + scenario.name + "\" expects \"" + scenario.expect + "\" but the outcome is \"" + got + "\"",
                          {}, {}, scenario.where});
  }
  return out;
}

}  // namespace idform::whatif
