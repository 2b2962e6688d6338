// `idform provider test`: the conformance kit. It holds any provider — built in, out of process
// or a third party's plugin — to the behaviour the engine relies on, through the engine itself:
// each step states a desired set of groups whose names start with idform-conformance-, plans it
// against what the provider reads, applies the plan and checks the result.
//
// Steps: create two groups (one a member of the other), converge (the next plan is empty),
// apply the same change again (idempotent), update a description (the plan shows exactly that
// attribute), remove and add a member, rename through a pinned id, refuse a change to an object
// that does not exist with an error, delete both. Whatever happens, the kit deletes every
// object with its prefix at the end, and before it starts (leftovers of an interrupted run).

#include <ostream>

#include "reconciler/apply/applier.hpp"
#include "reconciler/cli/commands.hpp"
#include "reconciler/cli/workspace.hpp"
#include "reconciler/plan/differ.hpp"

namespace idform::cli {

namespace {

constexpr std::string_view kPrefix = "idform-conformance-";

model::Resource conformance_group(std::string name, std::string description, std::vector<std::string> members) {
  model::Resource group;
  group.kind = model::Kind::group;
  group.name = std::string(kPrefix) + name;
  group.spec = {{"description", std::move(description)}, {"members", std::move(members)}};
  return group;
}

class Kit {
 public:
  Kit(provider::Provider& provider, Io& io) : m_provider(provider), m_io(io) {}

  Result<model::LiveState> read() {
    provider::ReadRequest request;
    request.kinds = {model::Kind::group};
    return IDFORM_TRY(m_provider.read(request)).state;
  }

  Result<plan::Plan> plan(const model::DesiredState& desired) {
    m_live = IDFORM_TRY(read());
    plan::DiffResult result = plan::diff(desired, m_live, {});
    if (!result.errors.empty()) return fail("the plan failed: " + result.errors.front().to_string());
    return result.plan;
  }

  Result<void> apply(const plan::Plan& plan) {
    apply::ApplyOptions options;
    options.parallelism = 1;
    apply::ApplyReport report = apply::apply_plan(plan, m_live, m_provider, options);
    for (const apply::Outcome& outcome : report.outcomes)
      if (outcome.status != apply::Status::applied)
        return fail(outcome.address + ": " + std::string(apply::status_name(outcome.status)) + ": " + outcome.error);
    return {};
  }

  // Plans and applies `desired`, then expects the next plan to be empty. Returns the plan applied.
  Result<plan::Plan> converge(const model::DesiredState& desired) {
    plan::Plan first = IDFORM_TRY(plan(desired));
    IDFORM_TRY(apply(first));
    plan::Plan next = IDFORM_TRY(plan(desired));
    if (!next.changes.empty())
      return fail("not converged: the plan after apply still has " + std::to_string(next.changes.size()) +
                  " change(s), the first " + next.changes.front().address);
    return first;
  }

  std::string live_id(const std::string& name) const {
    for (const model::Resource& resource : m_live.resources)
      if (resource.kind == model::Kind::group && resource.name == std::string(kPrefix) + name) return resource.id;
    return {};
  }

  // Deletes every group with the prefix; returns how many.
  Result<int> clean_up() {
    model::LiveState live = IDFORM_TRY(read());
    model::DesiredState none;
    for (const model::Resource& resource : live.resources)
      if (resource.kind == model::Kind::group && resource.name.starts_with(kPrefix)) {
        model::Resource absent = resource;
        absent.lifecycle = model::Lifecycle::absent;
        absent.id.clear();  // by name, so that the plan after the delete has nothing to look up
        absent.spec = nlohmann::json::object();
        none.resources.push_back(std::move(absent));
      }
    if (none.resources.empty()) return 0;
    IDFORM_TRY(converge(none));
    return static_cast<int>(none.resources.size());
  }

  void step(const std::string& name, const std::function<Result<void>()>& body) {
    Result<void> outcome = m_failed_before ? fail("not run: an earlier step failed") : body();
    if (outcome) {
      ++m_passed;
      m_io.out << "ok    " << name << "\n";
    } else {
      ++m_failed;
      m_failed_before = true;
      m_io.out << "FAIL  " << name << ": " << outcome.error().summary << "\n";
    }
  }

  int passed() const { return m_passed; }
  int failed() const { return m_failed; }
  provider::Provider& provider() { return m_provider; }

 private:
  provider::Provider& m_provider;
  Io& m_io;
  model::LiveState m_live;
  int m_passed = 0, m_failed = 0;
  bool m_failed_before = false;
};

Result<void> expect_only(const plan::Plan& plan, const std::string& address, const std::string& path) {
  if (plan.changes.size() != 1 || plan.changes.front().address != address ||
      plan.changes.front().attributes.size() != 1 || plan.changes.front().attributes.front().path != path)
    return fail("expected exactly one change, " + path + " of " + address + "; the plan had " +
                std::to_string(plan.changes.size()) + " change(s)");
  return {};
}

void run_steps(Kit& kit) {
  const std::string a = std::string(kPrefix) + "a", b = std::string(kPrefix) + "b";
  model::DesiredState desired{{conformance_group("a", "Conformance A", {}),
                               conformance_group("b", "Conformance B", {"group:" + a})}};
  kit.step("create two groups, one a member of the other, and converge", [&]() -> Result<void> {
    IDFORM_TRY(kit.converge(desired));
    return {};
  });
  kit.step("apply the same change again: nothing changes", [&]() -> Result<void> {
    plan::Plan again = IDFORM_TRY(kit.plan(desired));
    if (!again.changes.empty()) return fail("a second plan has changes");
    return {};
  });
  desired.resources[0].spec["description"] = "Conformance A, updated";
  kit.step("update a description: the plan shows exactly that, and converges", [&]() -> Result<void> {
    IDFORM_TRY(expect_only(IDFORM_TRY(kit.plan(desired)), "group:" + a, "description"));
    IDFORM_TRY(kit.converge(desired));
    return {};
  });
  kit.step("remove a member, then add it back", [&]() -> Result<void> {
    desired.resources[1].spec["members"] = nlohmann::json::array();
    IDFORM_TRY(expect_only(IDFORM_TRY(kit.plan(desired)), "group:" + b, "members"));
    IDFORM_TRY(kit.converge(desired));
    desired.resources[1].spec["members"] = {"group:" + a};
    IDFORM_TRY(kit.converge(desired));
    return {};
  });
  kit.step("rename a group through its pinned id", [&]() -> Result<void> {
    std::string id = kit.live_id("a");
    if (id.empty()) return fail("group " + a + " is not in the tenant");
    desired.resources[0].id = id;
    desired.resources[0].name = std::string(kPrefix) + "a-renamed";
    desired.resources[1].spec["members"] = {"group:" + desired.resources[0].name};
    IDFORM_TRY(kit.converge(desired));
    if (kit.live_id("a-renamed") != id) return fail("the renamed group has another id");
    return {};
  });
  kit.step("a change to an object that does not exist fails with an error", [&]() -> Result<void> {
    provider::ApplyRequest request;
    request.change.kind = model::Kind::group;
    request.change.name = std::string(kPrefix) + "missing";
    request.change.address = "group:" + request.change.name;
    request.change.id = "idform-conformance-no-such-id";
    request.change.action = plan::Action::update;
    request.change.desired = {{"description", "x"}};
    request.change.live = {{"description", "y"}};
    request.change.attributes.push_back({"description", false, "y", "x", {}, {}, {}});
    auto applied = kit.provider().apply(request);
    if (applied) return fail("the provider reported success");
    return {};
  });
  kit.step("delete both groups", [&]() -> Result<void> {
    for (model::Resource& resource : desired.resources) {
      resource.lifecycle = model::Lifecycle::absent;
      resource.id.clear();  // by name: a pinned id that no longer exists is an error after the delete
    }
    IDFORM_TRY(kit.converge(desired));
    return {};
  });
}

}  // namespace

int run_provider_test(const Options& options, const provider::Registry& registry, Io& io) {
  Result<Workspace> workspace = open_workspace(options, registry, io, true);
  if (!workspace) {
    io.err << "error: " << workspace.error().to_string() << "\n";
    return 1;
  }
  io.out << "Conformance kit: target " << workspace->target.name << " (provider " << workspace->target.provider
         << "), objects named " << kPrefix << "*\n";
  Kit kit(*workspace->provider, io);
  kit.step("remove leftovers of an earlier run", [&]() -> Result<void> {
    IDFORM_TRY(kit.clean_up());
    return {};
  });
  run_steps(kit);
  auto cleaned = kit.clean_up();
  if (!cleaned) io.err << "error: cleaning up: " << cleaned.error().to_string() << "\n";
  io.out << "\n" << kit.passed() << " passed, " << kit.failed() << " failed\n";
  return kit.failed() == 0 && cleaned ? 0 : 1;
}

}  // namespace idform::cli
