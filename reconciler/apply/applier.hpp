#pragma once
// Executes a plan against a provider.

#include <functional>
#include <string>
#include <vector>

#include "reconciler/model/resource.hpp"
#include "reconciler/plan/plan.hpp"
#include "reconciler/provider/provider.hpp"

namespace idform::apply {

enum class Status { applied, failed, skipped };
std::string_view status_name(Status status);

struct Outcome {
  std::string address;
  plan::Action action = plan::Action::no_op;
  Status status = Status::skipped;
  std::string error;  // failed: the provider's message; skipped: which dependency failed
  std::string id;
};

struct ApplyOptions {
  int parallelism = 4;
  // Called once per change as it finishes (from worker threads, serialised by the applier).
  std::function<void(const Outcome&)> on_outcome;
};

struct ApplyReport {
  std::vector<Outcome> outcomes;  // in plan order
  int applied = 0, failed = 0, skipped = 0;
  bool ok() const { return failed == 0 && skipped == 0; }
};

// Applies every change after the ones it depends on, up to `parallelism` at a time. A failed
// change skips its dependents (transitively); independent changes go on. `live` supplies the ids
// of objects that exist already; ids of objects created along the way are added as they come.
ApplyReport apply_plan(const plan::Plan& plan, const model::LiveState& live,
                       provider::Provider& provider, const ApplyOptions& options);

}  // namespace idform::apply
