// The import invariant, as a property over generated tenants: for any tenant a provider can read,
// import -> validate succeeds -> the plan has no changes -> a second import is byte-identical.
//
// Each flavor runs one idp-sim, re-seeded for every generated tenant through its admin API
// (POST /_sim/reset?state=true&seed=DIR), and the engine in-process: the provider's read, the
// importer, the config loader and provider check (what `validate` and `plan` run), the differ.
// The seeds and the count are printed; IDFORM_IMPORT_SEED and IDFORM_IMPORT_COUNT override them
// to reproduce or to run longer, and IDFORM_IMPORT_KEEP=DIR keeps each tenant's seed files and
// imported tree under DIR/<flavor>-<seed>/ to look at.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>

#include "fixtures/okta/okta_testbed.hpp"
#include "providers/entra_testbed.hpp"
#include "reconciler/importer/importer.hpp"
#include "support/tenant_generator_entra.hpp"
#include "support/tenant_generator_okta.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::uint32_t kDefaultSeed = 20261207;
constexpr int kDefaultCount = 100;

std::uint32_t first_seed() {
  const char* text = std::getenv("IDFORM_IMPORT_SEED");
  return text && *text ? static_cast<std::uint32_t>(std::strtoul(text, nullptr, 10)) : kDefaultSeed;
}

int seed_count() {
  const char* text = std::getenv("IDFORM_IMPORT_COUNT");
  return text && *text ? std::atoi(text) : kDefaultCount;
}

// One import of what `provider` reads into `out` (emptied first unless `again`).
template <class ProviderType>
idform::importer::ImportReport import_into(ProviderType& provider, const fs::path& out, const std::string& project, bool again) {
  if (!again) {
    fs::remove_all(out);
    fs::create_directories(out);
  }
  auto live = provider.read({});
  if (!live) FAIL("read: " << live.error().to_string());
  idform::importer::ImportOptions options;
  options.out = out;
  options.force = true;
  options.idform_yaml = project;
  options.provider_check = [&](const idform::model::DesiredState& desired) { return provider.check(desired); };
  auto report = idform::importer::import_tenant(*live, options);
  if (!report) FAIL("import: " << report.error().to_string());
  return *report;
}

// The invariant for the tenant the testbed's simulator holds now.
template <class Bed>
void check_invariant(Bed& bed, const fs::path& out, const std::string& project, const std::string& label) {
  INFO(label);
  auto report = import_into(*bed.provider, out, project, false);
  auto files = idform::testing::read_tree(out);
  idform::config::LoadResult loaded = idform::config::load_config(out);
  std::string listing;
  for (const auto& [path, text] : files) listing += "--- " + path + "\n" + text;
  INFO(listing);
  for (const idform::Error& error : loaded.diagnostics) FAIL_CHECK("validate: " << error.to_string());
  REQUIRE(loaded.ok());
  for (const idform::Error& error : bed.provider->check(loaded.config.desired)) FAIL_CHECK("check: " << error.to_string());
  bed.expect_converged(loaded.config.desired);
  import_into(*bed.provider, out, project, true);
  CHECK(idform::testing::read_tree(out) == files);
  (void)report;
}

void keep(const fs::path& seed, const fs::path& out, const std::string& name) {
  const char* dir = std::getenv("IDFORM_IMPORT_KEEP");
  if (!dir || !*dir) return;
  fs::path target = fs::path(dir) / name;
  fs::remove_all(target);
  fs::create_directories(target);
  fs::copy(seed, target / "seed", fs::copy_options::recursive);
  fs::copy(out, target / "imported", fs::copy_options::recursive);
}

}  // namespace

TEST_CASE("import round-trips generated Entra tenants", "[entra][import-property]") {
  using namespace idform::testing::entra;
  idform::testing::TempDir work;
  fs::path seed = work.path() / "seed";
  TestbedOptions options;
  options.seed = [](const fs::path& dir) { idform::testing::generator::write_entra_tenant(dir, 0); };
  // Small tenants read in a few requests: a faster clock keeps the run short.
  options.sim_args = {"--time-scale", "0.002"};
  options.policy_interval = std::chrono::milliseconds(3);
  options.resource_unit_window = std::chrono::milliseconds(20);
  Testbed bed(options);
  std::uint32_t first = first_seed();
  int count = seed_count();
  std::cout << "import property (entra): " << count << " tenants, seeds " << first << ".." << first + count - 1 << "\n";
  for (int i = 0; i < count; ++i) {
    std::uint32_t number = first + static_cast<std::uint32_t>(i);
    fs::remove_all(seed);
    auto made = idform::testing::generator::write_entra_tenant(seed, number);
    bed.sim().reseed(seed.string());
    bed.provider = bed.make_provider();
    check_invariant(bed, work.path() / "out", bed.project_file(),
                    "entra seed " + std::to_string(number) + ": " + std::to_string(made.groups) + " groups, " +
                        std::to_string(made.apps) + " apps, " + std::to_string(made.policies) + " policies");
    keep(seed, work.path() / "out", "entra-" + std::to_string(number));
  }
}

TEST_CASE("import round-trips generated Okta orgs", "[okta-provider][import-property]") {
  using namespace idform::testing::okta;
  idform::testing::TempDir work;
  fs::path seed = work.path() / "seed";
  std::vector<std::string> user_ids;
  for (const auto& user : standard_users()) user_ids.push_back(user["id"]);
  auto write_org = [&](const fs::path& dir, std::uint32_t number) {
    write_org_basics(dir);
    write_json(dir, "users.json", standard_users());
    return idform::testing::generator::write_okta_tenant(dir, number, user_ids, kEveryoneId);
  };
  Testbed bed({.sim_args = {"--time-scale", "0.002"}, .seed = [&](const fs::path& dir) { write_org(dir, 0); }});
  std::uint32_t first = first_seed();
  int count = seed_count();
  std::cout << "import property (okta): " << count << " orgs, seeds " << first << ".." << first + count - 1 << "\n";
  for (int i = 0; i < count; ++i) {
    std::uint32_t number = first + static_cast<std::uint32_t>(i);
    fs::remove_all(seed);
    auto made = write_org(seed, number);
    bed.sim().reseed(seed.string());
    bed.provider = bed.make_provider();
    check_invariant(bed, work.path() / "out", bed.project_file(),
                    "okta seed " + std::to_string(number) + ": " + std::to_string(made.groups) + " groups, " +
                        std::to_string(made.apps) + " apps, " + std::to_string(made.policies) + " policies");
    keep(seed, work.path() / "out", "okta-" + std::to_string(number));
  }
}
