// Making a plan: read the tenant (asking it to resolve the users the config names), diff, evaluate
// the guards, record the config's source. See make_plan.hpp.
#include "reconciler/engine/make_plan.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "reconciler/git/repository.hpp"
#include "reconciler/plan/differ.hpp"
#include "reconciler/plan/guards.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::engine {
namespace {

Result<model::LiveState> read_live(const PlanRequest& request) {
  provider::Provider& provider = *request.provider;
  provider::ReadRequest read;
  // The sandbox returns every user whatever it is asked, so the references are not worked out for it.
  if (!provider.reads_every_user()) read.user_emails = model::referenced_users(request.config->desired);
  read.progress = request.progress;
  if (read.progress) read.progress->start_phase("reading target \"" + request.target + "\"");
  provider::ReadResponse response =
      IDFORM_TRY(request.reader ? request.reader->read(std::move(read)) : provider.read(read));
  return std::move(response.state);
}

plan::DiffSettings diff_settings(const PlanRequest& request) {
  plan::DiffSettings settings;
  settings.today = request.today;
  settings.expiring_within_days = request.expiring_within_days;
  for (const auto& [kind, ownership] : request.config->project.manage)
    settings.manage[kind] = {ownership.prune, ownership.match};
  return settings;
}

}  // namespace

std::expected<PlanRun, PlanFailure> make_plan(const PlanRequest& request) {
  const config::LoadedConfig& config = *request.config;
  PlanRun run;
  Result<model::LiveState> live = read_live(request);
  if (!live) return std::unexpected(PlanFailure{std::move(live.error()), {}});
  run.live = std::move(*live);
  if (request.progress) request.progress->start_phase("comparing with the configuration");
  plan::DiffResult result = plan::diff(config.desired, run.live, diff_settings(request));
  if (!result.errors.empty()) {
    std::string summary =
        "cannot plan: " + std::to_string(result.errors.size()) + " problem(s) between the configuration and the tenant";
    return std::unexpected(PlanFailure{fail(std::move(summary)).error(), std::move(result.errors)});
  }
  run.plan = std::move(result.plan);
  run.plan.target = request.target;
  run.plan.provider = request.provider->name();
  if (!config.root.empty()) {  // a config put together in memory has no source to record
    git::SourceState source = git::inspect(config.root);
    run.plan.source = {source.commit, source.dirty, config_hash(config)};
  }
  const config::Project& project = config.project;
  plan::evaluate_guards(
      run.plan, {project.guards.max_deletes, project.guards.max_member_removals, project.guards.protected_addresses},
      plan::guard_context(config.desired, run.live, project.emergency_access));
  return run;
}

std::string config_hash(const config::LoadedConfig& config) {
  std::string material;
  for (const auto& file : config.files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    std::error_code ec;
    material += std::filesystem::relative(file, config.root, ec).generic_string();
    material += '\0';
    material += util::sha256_hex(content.str());
    material += '\n';
  }
  return util::sha256_hex(material);
}

}  // namespace idform::engine
