#pragma once
// The plan framed as a drift report: what the tenant has that the configuration does not say,
// object by object, from the tenant's point of view. For scheduled jobs.

#include <nlohmann/json.hpp>
#include <string>

#include "reconciler/plan/plan.hpp"
#include "reconciler/render/markdown.hpp"
#include "reconciler/render/text.hpp"

namespace idform::render {

std::string render_drift_text(const plan::Plan& plan, const TextOptions& options);
// Within options.limit characters (GitHub's comment and issue limit by default): rows that do not
// fit are counted in a closing note.
std::string render_drift_markdown(const plan::Plan& plan, const MarkdownOptions& options = {});
// {format_version, target, provider, drift, objects: [{address, id, drift, change}], unmanaged};
// `change` is the change object of the plan JSON (docs/plan-format.md).
nlohmann::json drift_json(const plan::Plan& plan);

}  // namespace idform::render
