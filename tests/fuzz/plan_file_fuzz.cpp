// Fuzz target: the saved-plan reader and what apply does with a plan it read: the JSON form is
// parsed, turned into a Plan, compared with itself as apply compares a saved plan with a fresh
// one, written back, and rendered in every format (which escapes control characters).

#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "reconciler/apply/saved_plan_check.hpp"
#include "reconciler/plan/plan_json.hpp"
#include "reconciler/render/drift.hpp"
#include "reconciler/render/markdown.hpp"
#include "reconciler/render/text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  nlohmann::json document = nlohmann::json::parse(idform::fuzz::text_of(data, size), nullptr, false);
  if (document.is_discarded()) return 0;
  auto plan = idform::plan::plan_from_json(document);
  if (!plan) return 0;
  if (!idform::apply::saved_plan_differences(*plan, *plan).empty()) {
    // A plan always matches itself unless it names an address twice.
    bool duplicate = false;
    for (size_t i = 0; i < plan->changes.size() && !duplicate; ++i)
      for (size_t j = i + 1; j < plan->changes.size(); ++j)
        if (plan->changes[i].address == plan->changes[j].address) duplicate = true;
    if (!duplicate) __builtin_trap();
  }
  (void)idform::plan::to_json(*plan).dump();
  (void)idform::render::render_text(*plan, {true, true});
  (void)idform::render::render_markdown(*plan, {});
  (void)idform::render::render_drift_text(*plan, {false, true});
  (void)idform::render::render_drift_markdown(*plan);
  return 0;
}
