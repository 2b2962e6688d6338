// validate, plan, drift and the other small commands; each returns the exit code.
#include "reconciler/cli/commands.hpp"

#include <fstream>
#include <iostream>
#include <memory>
#include <vector>

#include "reconciler/cli/workspace.hpp"
#include "reconciler/plan/plan_json.hpp"
#include "reconciler/render/drift.hpp"
#include "reconciler/render/markdown.hpp"
#include "reconciler/render/text.hpp"
#include "reconciler/util/private_file.hpp"
#include "reconciler/util/redact.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::cli {

int report_error(const Error& error, Io& io) {
  io.err << "error: " << util::redact(error.to_string()) << "\n";
  return 1;
}

namespace {

std::string render(const plan::Plan& plan, const Options& options, const Io& io) {
  if (options.format == "json") return plan::to_json(plan).dump(2) + "\n";
  if (options.format == "markdown") return render::render_markdown(plan, {});
  return render::render_text(plan, {use_color(options, io), options.show_unmanaged});
}

Result<void> save_plan(const plan::Plan& plan, const std::string& path) {
  // A plan holds tenant data: owner-only, like the audit log and the sandbox.
  IDFORM_TRY(util::prepare_private_file(path, true));
  std::ofstream out(path, std::ios::trunc);
  out << plan::to_json(plan).dump(2) << "\n";
  if (!out.flush()) return fail("cannot write plan file " + path);
  return {};
}

// A large config and tenant are millions of strings, and freeing them one by one takes longer
// than printing a plan of them. When the process ends right after the command, they are left to
// the operating system; the pointer stays reachable from a static, so leak checkers do not count
// them.
template <typename T>
void leave_to_process_end(const Io& io, T& value) {
  if (!io.process_ends_after) return;
  static auto* kept = new std::vector<std::shared_ptr<void>>();  // never destroyed
  kept->push_back(std::make_shared<T>(std::move(value)));
}

// Every target's provider (or only `only`'s) checks offline that it can express the config; each
// problem is printed with the target it concerns. A plugin target's program is started for it
// (handshake and check, never configure: no secrets), and its settings are checked against the
// schema it gives; a built-in's were checked when the config loaded. Returns the targets checked.
Result<std::vector<std::string>> check_capabilities(const config::LoadedConfig& config, const std::string& only,
                                                    const provider::Registry& registry, Io& io) {
  const auto& targets = config.project.targets;
  if (!only.empty() && !targets.contains(only)) {
    std::vector<std::string> known;
    for (const auto& [name, target] : targets) known.push_back(name);
    return fail("unknown target \"" + only + "\"", "targets in idform.yaml: " + util::join(known, ", "));
  }
  std::vector<std::string> checked;
  size_t problems = 0;
  for (const auto& [name, target] : targets) {
    if (!only.empty() && name != only) continue;
    checked.push_back(name);
    for (const Error& error : registry.check(target.provider, config.desired, target.settings, config.root.string(),
                                             settings_check(target, io, false))) {
      io.err << "error: " << util::redact(error.to_string()) << " (target " << name << ", provider " << target.provider << ")\n";
      ++problems;
    }
  }
  if (problems > 0)
    return fail(std::to_string(problems) +
                    " problem(s): a target's settings, or the configuration, are not what its provider accepts",
                "fix the files, or validate one target with --target T");
  return checked;
}

}  // namespace

int run_validate(const Options& options, const provider::Registry& registry, Io& io) {
  std::string dir = options.positional.empty() ? options.config_dir : options.positional.front();
  Result<config::LoadedConfig> loaded = load_checked(dir, io, {}, registry.settings_schemas());
  if (!loaded) return report_error(loaded.error(), io);
  Result<std::vector<std::string>> checked = check_capabilities(*loaded, options.target, registry, io);
  if (!checked) return report_error(checked.error(), io);
  io.out << "The configuration is valid: " << loaded->desired.resources.size() << " objects in "
         << loaded->files.size() << " files";
  if (!checked->empty()) io.out << "; every target can express it (" << util::join(*checked, ", ") << ")";
  io.out << ".\n";
  leave_to_process_end(io, *loaded);
  return 0;
}

int run_plan(const Options& options, const provider::Registry& registry, Io& io) {
  Result<Workspace> workspace = open_workspace(options, registry, io);
  if (!workspace) return report_error(workspace.error(), io);
  Result<PlanRun> run = make_plan(*workspace, io);
  workspace->stop_progress();
  if (!run) return report_error(run.error(), io);
  if (!options.out_file.empty()) {
    if (auto saved = save_plan(run->plan, options.out_file); !saved) return report_error(saved.error(), io);
  }
  io.out << util::redact(render(run->plan, options, io));
  if (options.format == "markdown") io.out << util::redact(whatif_plan_section(options, workspace->config, run->live));
  if (!options.out_file.empty() && options.format == "text")
    io.out << "\nSaved the plan to " << options.out_file << "; apply exactly it with: idform apply "
           << options.out_file << "\n";
  leave_to_process_end(io, workspace->config);
  leave_to_process_end(io, run->live);
  return options.detailed_exitcode && run->plan.has_changes() ? 2 : 0;
}

int run_drift(const Options& options, const provider::Registry& registry, Io& io) {
  Result<Workspace> workspace = open_workspace(options, registry, io);
  if (!workspace) return report_error(workspace.error(), io);
  Result<PlanRun> run = make_plan(*workspace, io);
  workspace->stop_progress();
  if (!run) return report_error(run.error(), io);
  if (options.format == "json") {
    io.out << util::redact(render::drift_json(run->plan).dump(2)) << "\n";
  } else if (options.format == "markdown") {
    io.out << util::redact(render::render_drift_markdown(run->plan));
  } else {
    io.out << util::redact(render::render_drift_text(run->plan, {use_color(options, io), options.show_unmanaged}));
  }
  leave_to_process_end(io, workspace->config);
  leave_to_process_end(io, run->live);
  return run->plan.has_changes() ? 2 : 0;
}

}  // namespace idform::cli
