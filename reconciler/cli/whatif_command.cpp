// `idform whatif`: evaluates the sign-in scenarios of whatif/*.yaml offline against the config's
// conditional access policies (the working tree, or --ref REV read from git), compares two
// revisions (--base REV), or reports the coverage matrix's gaps (--matrix). Also the scenario
// section of a markdown plan: the same scenarios against the live tenant and the config.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "reconciler/cli/commands.hpp"
#include "reconciler/cli/workspace.hpp"
#include "reconciler/git/tree_export.hpp"
#include "reconciler/util/redact.hpp"
#include "reconciler/whatif/matrix.hpp"
#include "reconciler/whatif/report.hpp"

namespace idform::cli {
namespace {

namespace fs = std::filesystem;

// A directory removed when it goes out of scope.
class ScratchDirectory {
 public:
  ScratchDirectory() {
    std::random_device seed;
    m_path = fs::temp_directory_path() / ("idform-whatif-" + std::to_string(seed()) + std::to_string(seed()));
    fs::create_directories(m_path);
  }
  ~ScratchDirectory() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
  }
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;
  const fs::path& path() const { return m_path; }

 private:
  fs::path m_path;
};

struct PolicySource {
  config::LoadedConfig config;
  whatif::PolicySet set;
};

Result<PolicySource> load_policies(const Options& options, const std::string& revision, Io& io) {
  std::unique_ptr<ScratchDirectory> scratch;
  std::string dir = options.config_dir;
  if (!revision.empty()) {
    scratch = std::make_unique<ScratchDirectory>();
    IDFORM_TRY(git::export_config_at(options.config_dir, revision, scratch->path()));
    dir = scratch->path().string();
  }
  config::LoadedConfig config = IDFORM_TRY(load_checked(dir, io));
  whatif::PolicySet set = whatif::compile(config.desired, config.project.emergency_access);
  return PolicySource{std::move(config), std::move(set)};
}

Result<whatif::Semantics> semantics_of(const Options& options, const config::Project& project) {
  std::string word = options.semantics;
  if (word.empty()) {
    std::string target = options.target.empty() ? project.default_target : options.target;
    auto found = project.targets.find(target);
    word = found != project.targets.end() && found->second.provider == "okta" ? "okta" : "entra";
  }
  if (word == "entra") return whatif::Semantics::entra;
  if (word == "okta") return whatif::Semantics::okta;
  return fail("--semantics must be entra or okta, got \"" + word + "\"");
}

Result<std::vector<whatif::Scenario>> scenarios_of(const Options& options, Io& io) {
  whatif::ScenarioLoad load = whatif::load_scenarios(options.config_dir);
  for (const Error& error : load.diagnostics) io.err << util::redact(error.to_string()) << "\n";
  if (!load.diagnostics.empty()) return fail(std::to_string(load.diagnostics.size()) + " problem(s) in the scenarios under whatif/");
  return std::move(load.scenarios);
}

int fail_with(const Error& error, Io& io) {
  io.err << "error: " << util::redact(error.to_string()) << "\n";
  return 1;
}

}  // namespace

int run_whatif(const Options& options, Io& io) {
  if (!options.ref.empty() && !options.base.empty() && options.ref == options.base)
    return fail_with(Error{"--ref and --base name the same revision", {}, {}, {}}, io);
  bool markdown = options.format == "markdown";
  if (options.format == "json") return fail_with(Error{"whatif prints text or markdown", {}, {}, {}}, io);
  auto head = load_policies(options, options.ref, io);
  if (!head) return fail_with(head.error(), io);
  auto semantics = semantics_of(options, head->config.project);
  if (!semantics) return fail_with(semantics.error(), io);
  if (options.matrix) {
    io.out << whatif::render_matrix(whatif::coverage_matrix(head->config.desired, head->set, *semantics), markdown);
    return 0;
  }
  auto scenarios = scenarios_of(options, io);
  if (!scenarios) return fail_with(scenarios.error(), io);
  if (scenarios->empty()) {
    io.out << "No scenarios: write sign-ins to whatif/*.yaml (see docs/whatif.md), or run idform whatif --matrix.\n";
    return 0;
  }
  if (!options.base.empty()) {
    auto base = load_policies(options, options.base, io);
    if (!base) return fail_with(base.error(), io);
    auto list = whatif::changes(whatif::outcomes(base->set, *scenarios, *semantics),
                                whatif::outcomes(head->set, *scenarios, *semantics));
    io.out << whatif::render_changes(list, options.base, markdown);
    return 0;
  }
  io.out << whatif::render_report(head->set, *scenarios, *semantics, markdown);
  Diagnostics unmet = whatif::unmet_expectations(head->set, *scenarios, *semantics);
  for (const Error& error : unmet) io.err << util::redact(error.to_string()) << "\n";
  return unmet.empty() ? 0 : 1;
}

std::string whatif_plan_section(const Options& options, const config::LoadedConfig& config, const model::LiveState& live) {
  whatif::ScenarioLoad load = whatif::load_scenarios(config.root);
  if (load.scenarios.empty() || !load.diagnostics.empty()) return "";
  auto semantics = semantics_of(options, config.project);
  if (!semantics) return "";
  // The tenant as it is: its policies and locations, with the config's group members (the
  // plan changes those too, but a scenario asks about policies).
  model::DesiredState before;
  for (const model::Resource& resource : config.desired.resources)
    if (resource.kind == model::Kind::group) before.resources.push_back(resource);
  for (const model::Resource& resource : live.resources)
    if (resource.kind == model::Kind::conditional_access_policy || resource.kind == model::Kind::named_location)
      before.resources.push_back(resource);
  whatif::PolicySet then = whatif::compile(before, config.project.emergency_access);
  whatif::PolicySet now = whatif::compile(config.desired, config.project.emergency_access);
  auto list = whatif::changes(whatif::outcomes(then, load.scenarios, *semantics), whatif::outcomes(now, load.scenarios, *semantics));
  return "\n" + whatif::render_changes(list, "the live tenant", true);
}

}  // namespace idform::cli
