#pragma once
// When a change makes a conditional access policy apply to fewer sign-ins or require less.

#include <string>
#include <vector>

#include "reconciler/plan/plan.hpp"

namespace idform::plan {

// Why `change` weakens a policy, one sentence per reason; empty when it does not (or is not a
// policy change).
std::vector<std::string> policy_weakenings(const Change& change);

// Why `change` widens a named location (ranges or countries added, trusted or unknown countries
// switched on); empty when it does not.
std::vector<std::string> location_widenings(const Change& change);

// An attribute value that lists nothing: null or an empty array.
inline bool is_empty_list(const nlohmann::json& value) { return value.is_null() || (value.is_array() && value.empty()); }

}  // namespace idform::plan
