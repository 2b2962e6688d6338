// `idform provider test`: the conformance kit. It holds any provider — built in, out of process
// or a third party's plugin — to the behaviour the engine relies on, through the engine itself:
// each step states a desired set of groups whose names start with idform-conformance-, plans it
// against what the provider reads, applies the plan and checks the result.
//
// Steps: create two groups (one a member of the other), converge (the next plan is empty),
// apply the same change again (idempotent), update a description (the plan shows exactly that
// attribute), remove and add a member, rename through a pinned id, refuse a change to an object
// that does not exist with an error. Then, for each other kind the provider declares in its
// capabilities and can express in the shape the kit uses (its check() says so), a create,
// an update that plans as exactly that attribute, and a delete, each converging: an application
// assigned to a group (an assignment added and removed), a conditional access policy on that
// application excluding a group, a named location. A kind the provider does not declare or cannot
// express is skipped, with the reason. Last, both groups are deleted. Whatever happens, the kit
// deletes every object with its prefix at the end, and before it starts (leftovers of an
// interrupted run).

#include <ostream>

#include "reconciler/apply/applier.hpp"
#include "reconciler/cli/commands.hpp"
#include "reconciler/cli/workspace.hpp"
#include "reconciler/plan/differ.hpp"
#include "reconciler/provider/plugin_provider.hpp"

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
  Kit(provider::Provider& provider, Io& io, const provider::protocol::Capabilities& capabilities)
      : m_provider(provider), m_io(io), m_capabilities(capabilities) {}

  bool declares(model::Kind kind) const {
    for (const provider::protocol::KindCapability& declared : m_capabilities.kinds)
      if (declared.kind == kind) return true;
    return false;
  }

  // Why the provider cannot take `desired` (a kind it does not declare, a field it cannot
  // express); empty when it can.
  std::string cannot_take(const model::DesiredState& desired) const {
    for (const model::Resource& resource : desired.resources)
      if (!declares(resource.kind))
        return "the provider declares no " + std::string(model::kind_document_name(resource.kind)) + " capability";
    Diagnostics problems = m_provider.check(desired);
    return problems.empty() ? "" : "the provider cannot express the kit's " + problems.front().address + ": " + problems.front().summary;
  }

  Result<model::LiveState> read() {
    provider::ReadRequest request;
    for (model::Kind kind : model::kAllKinds)
      if (declares(kind)) request.kinds.insert(kind);
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

  std::string live_id(const std::string& name, model::Kind kind = model::Kind::group) const {
    for (const model::Resource& resource : m_live.resources)
      if (resource.kind == kind && resource.name == std::string(kPrefix) + name) return resource.id;
    return {};
  }

  // Deletes every group with the prefix; returns how many.
  Result<int> clean_up() {
    model::LiveState live = IDFORM_TRY(read());
    model::DesiredState none;
    for (const model::Resource& resource : live.resources)
      if (resource.name.starts_with(kPrefix) && !resource.read_only) {
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

  void skip(const std::string& name, const std::string& reason) {
    ++m_skipped;
    m_io.out << "skip  " << name << ": " << reason << "\n";
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
  int skipped() const { return m_skipped; }
  provider::Provider& provider() { return m_provider; }

 private:
  provider::Provider& m_provider;
  Io& m_io;
  const provider::protocol::Capabilities& m_capabilities;
  model::LiveState m_live;
  int m_passed = 0, m_failed = 0, m_skipped = 0;
  bool m_failed_before = false;
};

Result<void> expect_only(const plan::Plan& plan, const std::string& address, const std::string& path) {
  if (plan.changes.size() != 1 || plan.changes.front().address != address ||
      plan.changes.front().attributes.size() != 1 || plan.changes.front().attributes.front().path != path)
    return fail("expected exactly one change, " + path + " of " + address + "; the plan had " +
                std::to_string(plan.changes.size()) + " change(s)");
  return {};
}

model::Resource conformance_object(model::Kind kind, const std::string& name, nlohmann::json spec) {
  model::Resource resource;
  resource.kind = kind;
  resource.name = std::string(kPrefix) + name;
  resource.spec = std::move(spec);
  return resource;
}

model::Resource* find_desired(model::DesiredState& desired, const std::string& address) {
  for (model::Resource& resource : desired.resources)
    if (resource.address() == address) return &resource;
  return nullptr;
}

// Adds `resource` to `desired` and converges; skipped, with the reason, when the provider cannot
// take it. Returns whether it now exists.
bool create_step(Kit& kit, model::DesiredState& desired, const std::string& label, model::Resource resource) {
  model::DesiredState with = desired;
  with.resources.push_back(resource);
  if (std::string reason = kit.cannot_take(with); !reason.empty()) {
    kit.skip(label + ": create, update, delete", reason);
    return false;
  }
  bool created = false;
  kit.step("create " + label + " and converge", [&]() -> Result<void> {
    IDFORM_TRY(kit.converge(with));
    desired = std::move(with);
    created = true;
    return {};
  });
  return created;
}

// Changes the object at `address` with `change`: the plan must show exactly `path`, and converge.
void update_step(Kit& kit, model::DesiredState& desired, const std::string& label, const std::string& address,
                 const std::string& path, const std::function<void(nlohmann::json&)>& change) {
  kit.step("update " + label + ": the plan shows exactly " + path + ", and converges", [&]() -> Result<void> {
    model::Resource* resource = find_desired(desired, address);
    if (!resource) return fail(address + " is not in the kit's config");
    change(resource->spec);
    IDFORM_TRY(expect_only(IDFORM_TRY(kit.plan(desired)), address, path));
    IDFORM_TRY(kit.converge(desired));
    return {};
  });
}

void delete_step(Kit& kit, model::DesiredState& desired, const std::string& label, const std::string& address) {
  kit.step("delete " + label + " and converge", [&]() -> Result<void> {
    model::Resource* resource = find_desired(desired, address);
    if (!resource) return fail(address + " is not in the kit's config");
    resource->lifecycle = model::Lifecycle::absent;
    resource->spec = nlohmann::json::object();
    IDFORM_TRY(kit.converge(desired));
    std::erase_if(desired.resources, [&](const model::Resource& each) { return each.address() == address; });
    return {};
  });
}

// An application assigned to group b, then to a as well; a named location; a policy on the
// application that excludes group b. Each created, updated and deleted where the provider can.
void other_kinds_steps(Kit& kit, model::DesiredState& desired) {
  const std::string a = desired.resources[0].name, b = desired.resources[1].name;
  const std::string app = std::string(kPrefix) + "app";
  bool have_app = create_step(
      kit, desired, "an application assigned to a group",
      conformance_object(model::Kind::application, "app",
                         {{"sso", {{"protocol", "oidc"}, {"oidc", {{"redirect_uris", {"https://conformance.example.test/callback"}}}}}},
                          {"assignments", {"group:" + b}}}));
  if (have_app)
    update_step(kit, desired, "the application's assignments", "app:" + app, "assignments",
                [&](nlohmann::json& spec) { spec["assignments"] = {"group:" + b, "group:" + a}; });
  if (create_step(kit, desired, "a named location",
                  conformance_object(model::Kind::named_location, "location", {{"ip_ranges", {"203.0.113.0/24"}}}))) {
    const std::string address = "location:" + std::string(kPrefix) + "location";
    update_step(kit, desired, "the named location's ranges", address, "ip_ranges",
                [](nlohmann::json& spec) { spec["ip_ranges"] = {"203.0.113.0/24", "198.51.100.0/24"}; });
    delete_step(kit, desired, "the named location", address);
  }
  if (!have_app) {
    kit.skip("a conditional access policy: create, update, delete",
             kit.declares(model::Kind::conditional_access_policy)
                 ? "it needs the kit's application, which was not created"
                 : "the provider declares no ConditionalAccessPolicy capability");
  } else if (create_step(kit, desired, "a conditional access policy on the application",
                         conformance_object(model::Kind::conditional_access_policy, "policy",
                                            {{"state", "enabled"},
                                             {"users", {{"include", {"all"}}, {"exclude", {"group:" + b}}}},
                                             {"applications", {{"include", {"app:" + app}}}},
                                             {"grant", {{"operator", "or"}, {"controls", {"mfa"}}}}}))) {
    const std::string address = "policy:" + std::string(kPrefix) + "policy";
    update_step(kit, desired, "the policy's grant", address, "grant.controls",
                [](nlohmann::json& spec) { spec["grant"]["controls"] = {"block"}; });
    delete_step(kit, desired, "the policy", address);
  }
  if (have_app) delete_step(kit, desired, "the application", "app:" + app);
}

void run_steps(Kit& kit) {
  const std::string a = std::string(kPrefix) + "a", b = std::string(kPrefix) + "b";
  model::DesiredState desired{{conformance_group("a", "Conformance A", {}),
                               conformance_group("b", "Conformance B", {"group:" + a})}};
  // A provider without nested groups (Okta) is held to everything else with b empty.
  const std::string no_nesting = kit.cannot_take(desired);
  if (!no_nesting.empty()) desired.resources[1].spec["members"] = nlohmann::json::array();
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
  if (!no_nesting.empty()) {
    kit.skip("remove a member, then add it back", no_nesting);
  } else {
    kit.step("remove a member, then add it back", [&]() -> Result<void> {
      desired.resources[1].spec["members"] = nlohmann::json::array();
      IDFORM_TRY(expect_only(IDFORM_TRY(kit.plan(desired)), "group:" + b, "members"));
      IDFORM_TRY(kit.converge(desired));
      desired.resources[1].spec["members"] = {"group:" + a};
      IDFORM_TRY(kit.converge(desired));
      return {};
    });
  }
  kit.step("rename a group through its pinned id", [&]() -> Result<void> {
    std::string id = kit.live_id("a");
    if (id.empty()) return fail("group " + a + " is not in the tenant");
    desired.resources[0].id = id;
    desired.resources[0].name = std::string(kPrefix) + "a-renamed";
    if (no_nesting.empty()) desired.resources[1].spec["members"] = {"group:" + desired.resources[0].name};
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
  other_kinds_steps(kit, desired);
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
  // What the provider declares: a plugin's handshake, or a built-in provider's description.
  provider::protocol::Capabilities capabilities;
  if (auto* outside = dynamic_cast<plugin::PluginProvider*>(workspace->provider.get()))
    capabilities = outside->info().capabilities;
  else if (auto built_in = registry.built_in(workspace->target.provider))
    capabilities = built_in->info.capabilities;
  Kit kit(*workspace->provider, io, capabilities);
  kit.step("remove leftovers of an earlier run", [&]() -> Result<void> {
    IDFORM_TRY(kit.clean_up());
    return {};
  });
  run_steps(kit);
  auto cleaned = kit.clean_up();
  if (!cleaned) io.err << "error: cleaning up: " << cleaned.error().to_string() << "\n";
  io.out << "\n" << kit.passed() << " passed, " << kit.failed() << " failed, " << kit.skipped() << " skipped\n";
  return kit.failed() == 0 && cleaned ? 0 : 1;
}

}  // namespace idform::cli
