#pragma once
// Evaluates a sign-in against a compiled policy set, offline and as pure functions.
//
// Entra semantics (docs/whatif.md cites the pages): every enabled policy whose conditions all
// match applies; a block in any of them blocks; otherwise every applying policy's grant controls
// are required (each policy's own controls combined by its operator); the strictest session
// controls win. Report-only policies are evaluated the same way but reported apart and never
// change the outcome; disabled policies are skipped.
//
// Okta semantics: an app has one sign-in policy; its rules are tried in priority order and the
// first whose conditions match decides alone; when none matches, the policy's Catch-all Rule
// (not managed by idform) decides.

#include <string>
#include <vector>

#include "reconciler/whatif/policy_set.hpp"

namespace idform::whatif {

enum class Semantics { entra, okta };

// The condition that kept a policy from applying (none when it applies).
enum class Condition : std::uint8_t {
  none, state, users, workload_identity, applications, service_principals, platforms, locations,
  client_app_types, sign_in_risk, user_risk, insider_risk, service_principal_risk, authentication_flows,
  devices, not_attached
};
std::string_view condition_name(Condition condition);

struct Match {
  Condition failed = Condition::none;
  bool excluded = false;  // an exclusion matched (rather than no inclusion)
  bool applies() const { return failed == Condition::none; }
};

// Whether `policy`'s conditions hold for the sign-in (state aside).
Match match(const Policy& policy, const SignIn& sign_in);

struct Requirement {
  bool all_of = false;
  std::vector<std::string> controls;  // sorted
  bool operator==(const Requirement&) const = default;
  bool operator<(const Requirement& other) const;
};

struct Outcome {
  bool block = false;
  bool any_policy = false;   // at least one policy applied
  bool catch_all = false;    // Okta: no rule matched; the Catch-all Rule decides
  std::vector<Requirement> requirements;  // sorted, distinct
  Session session;
  std::vector<int> policies;  // the applying policies (indices into PolicySet::policies)

  bool requires_mfa() const;  // every way through needs a second factor (mfa or a strength)
  std::string text() const;   // "block", "allow (no policy applies)", "require mfa and compliant_device; session: ..."
};

struct Evaluation {
  std::vector<Match> matches;  // one per policy
  Outcome enforced;
  Outcome report_only;         // what the report-only policies would do on their own
};

Evaluation evaluate(const PolicySet& set, const SignIn& sign_in, Semantics semantics);

// Only the enforced outcome, without keeping per-policy matches (the bench's and the matrix's path).
Outcome outcome_of(const PolicySet& set, const SignIn& sign_in, Semantics semantics);

// Why a policy applies ("users: group:admins; applications: all") or not ("users.exclude: group:break-glass").
std::string explain(const PolicySet& set, const Policy& policy, const SignIn& sign_in, const Match& match);

}  // namespace idform::whatif
