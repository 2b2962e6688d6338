#pragma once
// The engine in-process against one provider, for provider tests: write a config tree, load and
// check it, plan (engine::make_plan, as the CLI does), apply, and expect convergence. A provider's testbed derives from
// it and supplies the provider and its idform.yaml. A testbed that overrides out_of_process_options() runs its provider
// out of process when IDFORM_TEST_OUT_OF_PROCESS=1 (support/out_of_process.hpp): the engine then talks to `idform
// provider serve` for the config's target, while `provider` stays in-process for the test's own look at the tenant.

#include <catch2/catch.hpp>

#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "reconciler/apply/applier.hpp"
#include "reconciler/config/loader.hpp"
#include "reconciler/engine/make_plan.hpp"
#include "reconciler/util/strings.hpp"
#include "support/out_of_process.hpp"
#include "support/temp_dir.hpp"

namespace idform::testing {

template <class ProviderType>
class EngineDriver {
 public:
  virtual ~EngineDriver() {
    if (!m_outside) return;
    m_outside.reset();  // ends the session: shutdown, goodbye
    if (std::uncaught_exceptions() > 0) return;
    auto counts = check_recorded_session(m_record.path() / "session.jsonl");
    CHECK(counts["plugin"] > 0);
  }

  // The provider the engine talks to: out of process when the run asks for it and the testbed
  // allows it, else `provider`.
  provider::Provider& engine() { return m_outside ? *m_outside : static_cast<provider::Provider&>(*provider); }
  bool runs_out_of_process() const { return m_outside != nullptr; }

  // The live state the last plan() was computed from.
  const model::LiveState& live() const { return m_live; }

  // What the provider reads when asked for the users `desired` names.
  model::LiveState read(const model::DesiredState& desired) {
    provider::ReadRequest request;
    request.user_emails = model::referenced_users(desired);
    auto response = engine().read(request);
    if (!response) FAIL(response.error().to_string());
    return response->state;
  }

  // The plan the CLI would make for `desired` with the last load_tree()'s idform.yaml
  // (engine::make_plan: read, diff, guards, source), dated 2026-11-29.
  plan::Plan plan(const model::DesiredState& desired) {
    m_config.desired = desired;
    engine::PlanRequest request;
    request.config = &m_config;
    request.target = m_config.project.default_target;
    request.provider = &engine();
    request.today = "2026-11-29";
    auto made = engine::make_plan(request);
    if (!made) {
      for (const Error& error : made.error().problems) FAIL_CHECK(error.to_string());
      FAIL(made.error().error.to_string());
    }
    m_live = std::move(made->live);
    return std::move(made->plan);
  }

  // Applies `plan` (made by the last plan()); every change must succeed.
  apply::ApplyReport apply(const plan::Plan& plan) {
    apply::ApplyOptions options;
    options.parallelism = 4;
    apply::ApplyReport report = apply::apply_plan(plan, m_live, engine(), options);
    for (const auto& outcome : report.outcomes)
      if (outcome.status != apply::Status::applied) FAIL_CHECK(outcome.address << ": " << outcome.error);
    CHECK(report.ok());
    return report;
  }

  // The next plan is empty; otherwise each leftover change is reported with its attributes.
  void expect_converged(const model::DesiredState& desired) {
    plan::Plan leftover = plan(desired);
    for (const plan::Change& change : leftover.changes) {
      std::string text = "not converged: " + std::string(plan::action_name(change.action)) + " " + change.address;
      for (const plan::AttributeChange& attribute : change.attributes)
        text += "\n  " + attribute.path + ": " + attribute.before.dump() + " -> " + attribute.after.dump() +
                " added " + nlohmann::json(attribute.added).dump() + " removed " + nlohmann::json(attribute.removed).dump();
      FAIL_CHECK(text);
    }
    CHECK(leftover.changes.empty());
  }

  std::unique_ptr<ProviderType> provider;

 protected:
  // What the provider needs out of process (secrets, tuning); nullopt: this testbed always runs
  // it in-process.
  virtual std::optional<OutOfProcessOptions> out_of_process_options() const { return std::nullopt; }

  // Replaces the tree at `dir` with `project` as idform.yaml plus `files` (relative path -> YAML),
  // loads it, and has the provider check it; every problem fails the test.
  model::DesiredState load_tree(const std::filesystem::path& dir, const std::string& project,
                                const std::map<std::string, std::string>& files) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "idform.yaml") << project;
    for (const auto& [path, text] : files) {
      std::filesystem::create_directories((dir / path).parent_path());
      std::ofstream(dir / path) << text;
    }
    config::LoadResult loaded = config::load_config(dir);
    for (const Error& error : loaded.diagnostics) FAIL_CHECK(error.to_string());
    REQUIRE(loaded.ok());
    start_out_of_process(loaded.config.project, dir);
    Diagnostics problems = engine().check(loaded.config.desired);
    for (const Error& error : problems) FAIL_CHECK(error.to_string());
    m_config = loaded.config;
    return loaded.config.desired;
  }

 private:
  // Starts the provider of the config's default target out of process, once per testbed.
  void start_out_of_process([[maybe_unused]] const config::Project& project,
                            [[maybe_unused]] const std::filesystem::path& dir) {
#ifdef IDFORM_BINARY
    if (m_outside || !out_of_process_requested()) return;
    std::optional<OutOfProcessOptions> options = out_of_process_options();
    if (!options) return;
    auto target = project.targets.find(project.default_target);
    REQUIRE(target != project.targets.end());
    m_outside = serve_out_of_process(target->second, dir.string(), *options, (m_record.path() / "session.jsonl").string());
#endif
  }

  model::LiveState m_live;
  config::LoadedConfig m_config;  // the last load_tree()'s; plan() puts its desired state in
  TempDir m_record;
  std::unique_ptr<provider::Provider> m_outside;
};

// The change at `address` (the test fails without one), and an attribute of a change.
inline const plan::Change& change_of(const plan::Plan& plan, const std::string& address) {
  for (const plan::Change& change : plan.changes)
    if (change.address == address) return change;
  FAIL("no change for " << address);
  return plan.changes.front();
}

inline const plan::AttributeChange* attribute_of(const plan::Change& change, const std::string& path) {
  for (const plan::AttributeChange& attribute : change.attributes)
    if (attribute.path == path) return &attribute;
  return nullptr;
}

}  // namespace idform::testing
