#pragma once
// The engine's one entry point for making a plan: read the tenant, diff it against the config,
// evaluate the guards, and record where the config came from (git commit, dirtiness, file hash).
// The CLI's plan, drift and apply call it, and so do the provider tests (tests/support/
// engine_driver.hpp), so what they check is what the user runs. It prints nothing: the caller
// decides how problems are shown.

#include <expected>
#include <string>

#include "reconciler/config/loader.hpp"
#include "reconciler/model/resource.hpp"
#include "reconciler/plan/plan.hpp"
#include "reconciler/provider/provider.hpp"
#include "reconciler/util/progress.hpp"
#include "reconciler/util/result.hpp"

namespace idform::engine {

// How the tenant is read for a plan: the provider's own read by default; the CLI's plan and
// drift read through the snapshot cache (cli/cached_read.cpp) instead.
class LiveReader {
 public:
  virtual ~LiveReader() = default;
  virtual Result<provider::ReadResponse> read(provider::ReadRequest request) = 0;
};

struct PlanRequest {
  // The loaded config: desired state, project (ownership, guards, emergency access), root, files.
  const config::LoadedConfig* config = nullptr;
  std::string target;  // the target's name, recorded in the plan
  provider::Provider* provider = nullptr;
  std::string today;  // YYYY-MM-DD: which `expires:` dates have passed
  int expiring_within_days = 14;
  util::Progress* progress = nullptr;  // phases of the read and the diff; may be null
  LiveReader* reader = nullptr;        // null: provider->read
};

struct PlanRun {
  plan::Plan plan;
  model::LiveState live;  // what the plan was computed from
};

// Why no plan was made. `problems` are what the differ found between the config and the tenant
// (each names its object or file:line:col); empty when `error` came from the read.
struct PlanFailure {
  Error error;
  Diagnostics problems;
};

std::expected<PlanRun, PlanFailure> make_plan(const PlanRequest& request);

// sha256 over the config files' relative paths and contents.
std::string config_hash(const config::LoadedConfig& config);

}  // namespace idform::engine
