#pragma once
// The plan's versioned JSON form: the plan file format and `--format json`
// (schemas/plan.schema.json, docs/plan-format.md).

#include <nlohmann/json.hpp>

#include "reconciler/plan/plan.hpp"
#include "reconciler/util/result.hpp"

namespace idform::plan {

nlohmann::json to_json(const Plan& plan);
// One change as it appears in the plan's "changes" (also the drift report's change objects).
nlohmann::json change_to_json(const Change& change);
// Refuses a document of another format_version or with missing fields; never throws.
Result<Plan> plan_from_json(const nlohmann::json& document);
// Reads and parses a plan file (`idform plan --out`).
Result<Plan> read_plan_file(const std::string& path);

}  // namespace idform::plan
