// `idform apply`: plan + confirm + apply, or apply a saved plan exactly. A saved plan is refused
// as a whole when it was made for another target or configuration, when any object it touches
// changed since, or when it is not exactly what would be planned now (an edited or damaged file):
// applying part of a plan someone reviewed is worse than applying none.

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "reconciler/apply/applier.hpp"
#include "reconciler/apply/audit_log.hpp"
#include "reconciler/apply/partial.hpp"
#include "reconciler/apply/saved_plan_check.hpp"
#include "reconciler/apply/stale_check.hpp"
#include "reconciler/cli/commands.hpp"
#include "reconciler/cli/workspace.hpp"
#include "reconciler/git/repository.hpp"
#include "reconciler/plan/guards.hpp"
#include "reconciler/plan/plan_json.hpp"
#include "reconciler/render/text.hpp"
#include "reconciler/util/interrupt.hpp"
#include "reconciler/util/redact.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::cli {
namespace {

std::string actor(const Io& io, const std::string& git_user) {
  if (io.env) {
    if (std::string github = io.env("GITHUB_ACTOR"); !github.empty()) return github;
  }
  if (!git_user.empty()) return git_user;
  return io.env ? io.env("USER") : "";
}

bool confirmed(const Options& options, Io& io) {
  if (options.auto_approve) return true;
  if (!io.in_tty) {
    io.err << "error: refusing to apply without confirmation: stdin is not a terminal; "
              "review the plan and pass --auto-approve\n";
    return false;
  }
  io.out << "\nDo you want to apply these changes? Only 'yes' will be accepted: " << std::flush;
  std::string answer;
  std::getline(io.in, answer);
  if (util::trim(answer) == "yes") return true;
  io.err << "Apply cancelled.\n";
  return false;
}

// Opens --audit-log when given; the context is the plan's own (the config it was made from).
Result<std::optional<apply::AuditLog>> open_audit(const plan::Plan& plan, const Workspace& workspace,
                                                  const Options& options, Io& io) {
  if (options.audit_log.empty()) return std::optional<apply::AuditLog>();
  git::SourceState source = git::inspect(workspace.config.root);
  apply::AuditContext context{plan.target, plan.provider, plan.source, actor(io, source.user),
                              {options.accept.begin(), options.accept.end()}, options.skip_blocked};
  return std::optional<apply::AuditLog>(IDFORM_TRY(apply::AuditLog::open(options.audit_log, std::move(context), plan)));
}

void print_outcome(const apply::Outcome& outcome, Io& io) {
  io.out << outcome.address << ": ";
  switch (outcome.status) {
    case apply::Status::applied:
      io.out << plan::action_name(outcome.action) << " complete";
      if (!outcome.id.empty()) io.out << " (id " << outcome.id << ")";
      break;
    case apply::Status::failed: io.out << plan::action_name(outcome.action) << " FAILED: " << util::redact(outcome.error); break;
    case apply::Status::skipped:
    case apply::Status::held_back: io.out << util::redact(outcome.error); break;
  }
  io.out << "\n" << std::flush;
}

const plan::Change* change_at(const plan::Plan& plan, const std::string& address) {
  for (const plan::Change& change : plan.changes)
    if (change.address == address) return &change;
  return nullptr;
}

int execute(const plan::Plan& plan, const model::LiveState& live, Workspace& workspace,
            const Options& options, Io& io) {
  auto audit = open_audit(plan, workspace, options, io);
  if (!audit) return report_error(audit.error(), io);
  std::vector<std::string> refused = plan::unaccepted_guards(plan, options.accept);
  if (!refused.empty() && !options.skip_blocked) {
    io.err << "error: the plan is blocked by guard(s) " << util::join(refused, ", ")
           << "; nothing was applied.\n  Review it, then accept each with";
    for (const std::string& guard : refused) io.err << " --accept " << guard;
    io.err << ", or apply only what no guard blocks with --skip-blocked\n";
    if (*audit) (*audit)->refuse_all("blocked by guard(s) " + util::join(refused, ", ") + " not accepted; nothing was applied");
    return 1;
  }
  apply::Selection selection = options.skip_blocked ? apply::select_unblocked(plan, options.accept)
                                                    : apply::Selection{plan, {}};
  for (const apply::HeldBack& held : selection.held_back) {
    io.out << held.address << ": " << held.reason << "\n";
    if (*audit) (*audit)->record(*change_at(plan, held.address), "held_back", held.reason);
  }
  // On a terminal each finished change prints a line, which is progress enough; elsewhere a
  // timestamped line keeps a long apply from looking stuck.
  if (io.err_tty) workspace.stop_progress();
  apply::ApplyOptions apply_options;
  apply_options.parallelism = options.parallelism;
  apply_options.progress = workspace.progress();
  apply_options.cancelled = util::interrupt_flag();
  if (apply_options.progress) apply_options.progress->start_phase("applying changes", static_cast<long long>(selection.plan.changes.size()));
  apply_options.on_outcome = [&](const apply::Outcome& outcome) {
    if (apply_options.progress) apply_options.progress->add_done();
    if (*audit) (*audit)->record(*change_at(selection.plan, outcome.address), outcome);
    print_outcome(outcome, io);
  };
  apply::ApplyReport report = apply::apply_plan(selection.plan, live, *workspace.provider, apply_options);
  workspace.stop_progress();
  bool complete = report.ok() && selection.held_back.empty();
  io.out << "\nApply " << (complete ? "complete" : "incomplete") << ": " << report.applied << " applied, "
         << report.failed << " failed, " << report.skipped << " skipped, "
         << report.held_back + static_cast<int>(selection.held_back.size()) << " held back.\n";
  if (util::interrupted()) {
    io.err << "error: interrupted: no change started after the interruption (" << report.applied
           << " applied before it); run idform plan to see what remains\n";
    return util::kInterruptedExitCode;
  }
  if (!report.ok()) io.err << "error: some changes did not apply; run idform plan to see what remains\n";
  else if (!complete)
    io.err << "error: " << selection.held_back.size() << " change(s) held back by guards " << util::join(refused, ", ")
           << "; review them and apply with --accept\n";
  return complete ? 0 : 1;
}

int apply_saved(const std::string& path, const Options& options, const provider::Registry& registry, Io& io) {
  Result<plan::Plan> saved = plan::read_plan_file(path);
  if (!saved) return report_error(saved.error(), io);
  if (!options.target.empty() && options.target != saved->target)
    return report_error(Error{"the plan was made for target \"" + saved->target + "\", not \"" + options.target + "\"",
                              "nothing was applied", {}, {}}, io);
  Options for_target = options;
  for_target.target = saved->target;
  Result<Workspace> workspace = open_workspace(for_target, registry, io);
  if (!workspace) return report_error(workspace.error(), io);
  if (workspace->provider->name() != saved->provider)
    return report_error(Error{"the plan was made for provider \"" + saved->provider + "\", but target \"" +
                                  saved->target + "\" now uses \"" + workspace->provider->name() + "\"",
                              "nothing was applied", {}, {}}, io);
  if (engine::config_hash(workspace->config) != saved->source.hash)
    return report_error(Error{"the plan was made from a different configuration than the one in " +
                                  options.config_dir,
                              "re-run idform plan; nothing was applied", {}, {}}, io);
  Result<PlanRun> now = make_plan(*workspace, io);
  if (io.err_tty) workspace->stop_progress();
  if (!now) return report_error(now.error(), io);
  std::vector<apply::StaleObject> stale = apply::find_stale(*saved, now->live);
  if (!stale.empty()) {
    io.err << "error: the tenant changed since the plan was made; refusing to apply any of it:\n";
    std::vector<std::string> changed;
    for (const apply::StaleObject& object : stale) {
      io.err << "  " << object.address << ": " << object.what << "\n";
      changed.push_back(object.address);
    }
    io.err << "Re-run idform plan and review the new plan.\n";
    auto audit = open_audit(*saved, *workspace, options, io);
    if (!audit) return report_error(audit.error(), io);
    if (*audit) (*audit)->refuse_all("the tenant changed since the plan was made (" + util::join(changed, ", ") + "); nothing was applied");
    return 1;
  }
  // What is applied is what the configuration and the tenant give now, and only if the file
  // says the same: an edited or damaged plan file is refused, and guards come from idform.yaml.
  std::vector<std::string> differences = apply::saved_plan_differences(*saved, now->plan);
  if (!differences.empty()) {
    io.err << "error: the plan file is not what the configuration and the tenant plan now; refusing to apply any of it:\n";
    for (size_t i = 0; i < differences.size() && i < 20; ++i) io.err << "  " << util::redact(differences[i]) << "\n";
    if (differences.size() > 20) io.err << "  ... and " << differences.size() - 20 << " more\n";
    io.err << "Re-run idform plan and review the new plan.\n";
    return 1;
  }
  if (!now->plan.has_changes()) {
    io.out << "The plan has no changes; nothing to apply.\n";
    return 0;
  }
  return execute(now->plan, now->live, *workspace, options, io);
}

}  // namespace

int run_apply(const Options& options, const provider::Registry& registry, Io& io) {
  if (!options.positional.empty()) return apply_saved(options.positional.front(), options, registry, io);
  Result<Workspace> workspace = open_workspace(options, registry, io);
  if (!workspace) return report_error(workspace.error(), io);
  Result<PlanRun> run = make_plan(*workspace, io);
  if (io.err_tty) workspace->stop_progress();
  if (!run) return report_error(run.error(), io);
  render::TextOptions text{use_color(options, io), options.show_unmanaged};
  io.out << util::redact(render::render_text(run->plan, text));
  if (!run->plan.has_changes()) return 0;
  bool blocked = !plan::unaccepted_guards(run->plan, options.accept).empty();
  if (blocked && !options.skip_blocked) return execute(run->plan, run->live, *workspace, options, io);
  // The plan may be long; what needs attention is repeated right above the question.
  if (!options.auto_approve && io.in_tty) io.out << "\n" << util::redact(render::render_attention(run->plan, text));
  if (!confirmed(options, io)) return 1;
  io.out << "\n";
  return execute(run->plan, run->live, *workspace, options, io);
}

}  // namespace idform::cli
