// The steps every command shares: load the config, pick the target, create its provider, plan.
#include "reconciler/cli/workspace.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstdio>

#include "reconciler/provider/read_cache.hpp"
#include "reconciler/util/date.hpp"
#include "reconciler/util/interrupt.hpp"
#include "reconciler/util/redact.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::cli {
namespace {

// plan and drift read through the snapshot cache (docs/incremental.md).
bool reads_through_cache(const Options& options) { return options.command == "plan" || options.command == "drift"; }

Result<config::Target> choose_target(const config::Project& project, const std::string& requested) {
  std::string name = requested.empty() ? project.default_target : requested;
  if (name.empty() && project.targets.size() == 1) name = project.targets.begin()->first;
  if (name.empty() && project.targets.empty()) name = "sandbox";
  auto found = project.targets.find(name);
  if (found != project.targets.end()) return found->second;
  if (name == "sandbox" && project.targets.empty())
    return config::Target{"sandbox", "local", {{"provider", "local"}}, {}};
  std::vector<std::string> known;
  for (const auto& [key, target] : project.targets) known.push_back(key);
  if (name.empty())
    return fail("no target chosen", "use --target (one of: " + util::join(known, ", ") + ") or set default_target");
  return fail("unknown target \"" + name + "\"", "targets in idform.yaml: " + util::join(known, ", "));
}

// $IDFORM_APPLY_LOCK_WAIT_MS, else ten minutes: a CI job queued behind another apply waits.
std::chrono::milliseconds apply_lock_wait(const Io& io) {
  std::string text = io.env ? io.env("IDFORM_APPLY_LOCK_WAIT_MS") : "";
  char* end = nullptr;
  long long value = text.empty() ? -1 : std::strtoll(text.c_str(), &end, 10);
  return value >= 0 && end && *end == '\0' ? std::chrono::milliseconds(value) : std::chrono::milliseconds(600000);
}

}  // namespace

Result<std::string> find_config_dir(const std::string& start) {
  std::error_code error;
  std::filesystem::path dir = std::filesystem::absolute(start, error);
  if (error || !std::filesystem::is_directory(dir, error))
    return fail("the config directory " + start + " does not exist or is not a directory");
  for (std::filesystem::path at = dir.lexically_normal();; at = at.parent_path()) {
    if (std::filesystem::exists(at / "idform.yaml", error)) return at == dir.lexically_normal() ? start : at.string();
    if (at == at.parent_path() || at.empty()) break;
  }
  return fail("no idform.yaml in " + start + " or any directory above it, so this is not a config repository",
              "run idform inside one, or pass --config DIR (a directory holding idform.yaml); nothing was read");
}

Result<config::LoadedConfig> load_checked(const std::string& start, Io& io, const config::ProjectReady& project_ready,
                                          const config::SettingsSchemas& settings_schemas) {
  std::string dir = IDFORM_TRY(find_config_dir(start));
  config::LoadResult loaded = config::load_config(dir, project_ready, settings_schemas);
  for (const Error& warning : loaded.warnings) io.err << "warning: " << warning.to_string() << "\n";
  if (loaded.ok()) return std::move(loaded.config);
  for (const Error& error : loaded.diagnostics) io.err << "error: " << error.to_string() << "\n";
  return fail(std::to_string(loaded.diagnostics.size()) + " error" +
              (loaded.diagnostics.size() == 1 ? "" : "s") + " in the configuration");
}

provider::SettingsCheck settings_check(const config::Target& target, Io& io, bool print) {
  return [&target, &io, print](const nlohmann::json& schema) {
    Diagnostics problems = config::check_target_settings(target, schema);
    if (print)
      for (const Error& problem : problems) io.err << "error: " << util::redact(problem.to_string()) << "\n";
    return problems;
  };
}

Result<Workspace> open_workspace(const Options& options, const provider::Registry& registry, Io& io,
                                 bool project_only) {
  // The provider is created as soon as idform.yaml is known, so that it can start reading the
  // tenant while the resource files load (a large config and tenant each take about as long).
  // Should that fail, nothing is said yet: the same steps below say it, as they always did.
  // Declared before the workspace, whose early cache read (start_cache_read) may still be using it
  // when a failure returns: the workspace waits for that read as it goes.
  std::unique_ptr<provider::Provider> early;
  Workspace workspace;
  const std::string dir = IDFORM_TRY(find_config_dir(options.config_dir));
  const config::SettingsSchemas built_in_schemas = registry.settings_schemas();
  // A plugin's settings are checked against its handshake's schema when it starts; the early
  // start below says nothing, the second says each problem.
  auto create = [&](const config::Target& target, bool quiet = false) {
    provider::TargetContext context{target.name, target.settings, dir, options.verbose};
    return registry.create(target.provider, context, target.where, settings_check(target, io, !quiet));
  };
  // An apply takes the machine's lock for its target before the provider starts reading, so two
  // applies never plan from the same state (apply_lock.hpp).
  std::optional<Error> lock_problem;
  auto lock = [&](const config::Target& target) {
    if (options.command != "apply" || workspace.apply_lock || lock_problem) return;
    auto taken = ApplyLock::acquire(target, options.config_dir, io.env, apply_lock_wait(io));
    if (taken) workspace.apply_lock.emplace(std::move(*taken));
    else lock_problem = taken.error();
  };
  auto start_reading = [&](const config::Project& project) {
    auto target = choose_target(project, options.target);
    if (!target) return;
    lock(*target);
    if (lock_problem) return;
    auto created = create(*target, true);
    if (!created) return;
    early = std::move(*created);
    early->start_reading();
    // plan and drift: the cache is read, and the change feeds since it, while the config loads.
    if (reads_through_cache(options) && !project_only)
      start_cache_read(workspace, cache_settings(options, dir, target->name, io), *early);
  };
  workspace.expiring_within_days = options.expiring_within_days;
  if (project_only) {
    config::LoadResult loaded = config::load_project(dir, built_in_schemas);
    for (const Error& error : loaded.diagnostics) io.err << "error: " << error.to_string() << "\n";
    if (!loaded.ok()) return fail("idform.yaml has " + std::to_string(loaded.diagnostics.size()) + " error(s)");
    workspace.config = std::move(loaded.config);
  } else {
    workspace.config = IDFORM_TRY(load_checked(dir, io, start_reading, built_in_schemas));
  }
  workspace.target = IDFORM_TRY(choose_target(workspace.config.project, options.target));
  lock(workspace.target);
  if (lock_problem) return std::unexpected(*lock_problem);
  if (early) workspace.provider = std::move(early);
  else workspace.provider = IDFORM_TRY(create(workspace.target));
  if (project_only) return workspace;
  Diagnostics problems = workspace.provider->check(workspace.config.desired);
  if (!problems.empty()) {
    for (const Error& error : problems) io.err << "error: " << error.to_string() << "\n";
    return fail("the configuration uses " + std::to_string(problems.size()) +
                " feature(s) provider \"" + workspace.provider->name() + "\" cannot express");
  }
  if (reads_through_cache(options)) workspace.cache = cache_settings(options, dir, workspace.target.name, io);
  if (!options.quiet) workspace.progress_display = std::make_unique<ProgressDisplay>(io.err, ProgressSettings{true, io.err_tty});
  return workspace;
}

namespace {

// plan and drift read through the snapshot cache (cached_read.cpp).
class WorkspaceReader : public engine::LiveReader {
 public:
  explicit WorkspaceReader(Workspace& workspace) : m_workspace(workspace) {}
  Result<provider::ReadResponse> read(provider::ReadRequest request) override {
    request.cancelled = util::interrupt_flag();  // the user's Ctrl-C stops the read
    return read_through_cache(m_workspace, std::move(request));
  }

 private:
  Workspace& m_workspace;
};

}  // namespace

Result<PlanRun> make_plan(Workspace& workspace, Io& io) {
  WorkspaceReader reader(workspace);
  engine::PlanRequest request;
  request.config = &workspace.config;
  request.target = workspace.target.name;
  request.provider = workspace.provider.get();
  request.today = IDFORM_TRY(today(io));
  request.expiring_within_days = workspace.expiring_within_days;
  request.progress = workspace.progress();
  request.reader = &reader;
  auto made = engine::make_plan(request);
  finish_cache_write(workspace);
  if (made) return std::move(*made);
  if (!made.error().problems.empty()) {
    workspace.stop_progress();
    for (const Error& error : made.error().problems) io.err << "error: " << error.to_string() << "\n";
  }
  return fail(std::move(made.error().error));
}

Result<std::string> today(const Io& io) {
  std::string forced = io.env ? io.env("IDFORM_TODAY") : "";
  if (!forced.empty()) {
    if (!util::parse_date(forced))
      return fail("IDFORM_TODAY=\"" + forced + "\" is not a calendar date",
                  "write it as YYYY-MM-DD, e.g. 2026-11-29; expiry decisions depend on it, so nothing was planned");
    return forced;
  }
  return util::format_date(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
}

}  // namespace idform::cli
