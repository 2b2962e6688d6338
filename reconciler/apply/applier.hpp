#pragma once
// Executes a plan against a provider.

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "reconciler/model/resource.hpp"
#include "reconciler/plan/plan.hpp"
#include "reconciler/provider/provider.hpp"

namespace idform::apply {

// held_back: not attempted because a guard blocks it (or a change it depends on), or because it
// deletes something and a create or update of the same apply did not succeed.
enum class Status { applied, failed, skipped, held_back };
std::string_view status_name(Status status);

struct Outcome {
  std::string address;
  plan::Action action = plan::Action::no_op;
  Status status = Status::skipped;
  std::string error;  // failed: the provider's message; skipped / held back: why
  std::string id;
};

struct ApplyOptions {
  int parallelism = 4;
  // Called once per change as it finishes (from worker threads, serialised by the applier).
  std::function<void(const Outcome&)> on_outcome;
  // Passed on to the provider with each change (requests sent, waits); may be null.
  util::Progress* progress = nullptr;
  // Once set (the user interrupted idform), no further change starts: each is skipped, "not
  // started: idform was interrupted", and the running ones are passed the flag. May be null.
  const std::atomic<bool>* cancelled = nullptr;
};

struct ApplyReport {
  std::vector<Outcome> outcomes;  // in plan order
  int applied = 0, failed = 0, skipped = 0, held_back = 0;
  bool ok() const { return failed == 0 && skipped == 0 && held_back == 0; }
};

// Applies every change after the ones it depends on, up to `parallelism` at a time. A failed
// change skips its dependents (transitively); independent creates and updates go on. No delete
// starts before every create and update has finished, and none runs at all if any of them did
// not apply: those deletes are held back. `live` supplies the ids of objects that exist already;
// ids of objects created along the way are added as they come.
ApplyReport apply_plan(const plan::Plan& plan, const model::LiveState& live,
                       provider::Provider& provider, const ApplyOptions& options);

}  // namespace idform::apply
