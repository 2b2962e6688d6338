#pragma once
// The plan framed as a drift report: what the tenant has that the configuration does not say,
// object by object, from the tenant's point of view. For scheduled jobs.

#include <nlohmann/json.hpp>
#include <string>

#include "reconciler/plan/plan.hpp"
#include "reconciler/render/text.hpp"

namespace idform::render {

std::string render_drift_text(const plan::Plan& plan, const TextOptions& options);
std::string render_drift_markdown(const plan::Plan& plan);
nlohmann::json drift_json(const plan::Plan& plan);

}  // namespace idform::render
