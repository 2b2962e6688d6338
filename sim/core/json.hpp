#pragma once
// idp-sim keeps vendor JSON in insertion order so that objects are served back exactly as seeded.
#include <nlohmann/json.hpp>

namespace idp_sim {
using Json = nlohmann::ordered_json;
}  // namespace idp_sim
