#pragma once
// ConditionalAccessPolicy <-> Okta app sign-in policy (ACCESS_POLICY) with one rule.
//
//   name                      policy name
//   state                     status: enabled = ACTIVE, disabled = INACTIVE
//   applications.include      the apps whose sign-in policy this is (app _links.accessPolicy);
//                             attaching is PUT /api/v1/apps/{app}/policies/{policy}
//   users.include/exclude     rule conditions.people.users (user:LOGIN) and .groups (group:NAME);
//                             include all = no people condition
//   locations.include/exclude rule conditions.network: any = ANYWHERE, location:NAME = ZONE
//                             with the zone ids in include / exclude
//   platforms.include/exclude rule conditions.platform: all = ANY/ANY, android and ios = MOBILE,
//                             windows, macos and linux = DESKTOP
//   sign_in_risk              rule conditions.riskScore.level: [] = ANY, [low|medium|high]
//   grant.controls            [mfa] = access ALLOW with an ASSURANCE verification method of
//                             factorMode 2FA; [block] = access DENY; none = ALLOW with 1FA
//   session.sign_in_frequency verificationMethod.reauthenticateIn (8h = PT8H, every_time = PT0S)
//   session.persistent_browser never = keepMeSignedIn.postAuth NOT_ALLOWED
//   grant.authentication_strength  authentication_strength:Phishing-resistant MFA = verificationMethod
//                             factorMode 2FA with constraints [{possession: {phishingResistant: REQUIRED}}]
//                             (every constraint set requiring it); other strengths have no counterpart
// The policy's own rule is its first non-system rule ("Managed by idform" when idform made
// it). A policy with no rule of its own reads as its Catch-all Rule applied to everyone. A
// policy with several rules says more than the config kind can, and is read-only. Rule
// conditions the config has no word for (device, user type, expressions) are kept on update.

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "providers/okta/references.hpp"
#include "reconciler/model/resource.hpp"

namespace idform::providers::okta {

inline constexpr const char* kRuleName = "Managed by idform";

// `rules` as listed (any order); `apps` the ids of the apps whose sign-in policy this is.
model::Resource policy_resource(const nlohmann::json& policy, const std::vector<nlohmann::json>& rules,
                                const std::vector<std::string>& apps, const NameIndex& names);

// A policy idform began to create and did not finish (interrupted after POST /api/v1/policies):
// no rule of its own and attached to no app, so it affects no sign-in. Its Catch-all Rule may
// still be Okta's initial DENY. Reading it as a policy would make finishing it look like
// weakening a "block everyone" policy (a guard a human must accept), and an update would leave
// the Catch-all closed; so it is not read at all, the plan shows a create, and the create adopts
// it and finishes every step (policy_writer.cpp).
bool unfinished_policy(const nlohmann::json& policy, const std::vector<nlohmann::json>& rules,
                       const std::vector<std::string>& apps);

// The rule that carries the policy's conditions: the first non-system rule by priority, or null.
const nlohmann::json* primary_rule(const std::vector<nlohmann::json>& rules);
int own_rule_count(const std::vector<nlohmann::json>& rules);

// Writes the rule conditions and actions that the stated fields of `spec` express into `rule`
// (a new rule, or one as GET returned it, for a PUT).
Result<void> apply_rule_fields(nlohmann::json& rule, const nlohmann::json& spec, const IdResolver& ids);

// "PT8H" -> "8h", "PT0S" -> "every_time", "P1D" -> "1d"; "" when unreadable.
std::string duration_from_iso(const std::string& iso);
// "8h" -> "PT8H", "1d" -> "PT24H", "every_time" -> "PT0S", "90m" -> "PT90M"; "" when unreadable.
std::string iso_from_duration(const std::string& duration);

}  // namespace idform::providers::okta
