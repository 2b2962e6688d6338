#pragma once
// The differ: desired state vs live state -> Plan.

#include <map>
#include <string>

#include "reconciler/model/resource.hpp"
#include "reconciler/plan/plan.hpp"
#include "reconciler/util/result.hpp"

namespace idform::plan {

// manage.<kind>: unmanaged objects are deleted only where prune is on and the name matches.
struct OwnershipRule {
  bool prune = false;
  std::string match;  // ECMAScript regex; empty = every name
};

struct DiffSettings {
  std::map<model::Kind, OwnershipRule> manage;
  std::string today;  // "YYYY-MM-DD": entries that expired before it are treated as absent
  int expiring_within_days = 14;  // grants expiring this soon are listed on their own
};

struct DiffResult {
  Plan plan;
  Diagnostics errors;  // problems that make the plan meaningless (unknown users, ambiguous names)
};

DiffResult diff(const model::DesiredState& desired, const model::LiveState& live,
                const DiffSettings& settings);

// sha256 over the canonical form of a live object: what a saved plan compares before applying.
std::string fingerprint(const model::Resource& live);

}  // namespace idform::plan
