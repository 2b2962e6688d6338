// bench-tenant-gen: writes one benchmark tenant in every form the suite needs.
//
//   bench-tenant-gen --shape large --out DIR [--seed N] [--flavors graph,okta,local]
//                    [--apply-changes N] [--sim-url URL]
//
// DIR/manifest.json      shape and object counts (the report's inputs for the formulas)
// DIR/graph/seed/        idp-sim --flavor graph seed;  DIR/graph/config/ idform config (entra)
// DIR/graph/state.json   the ids a Terraform state would hold (peer replay input)
// DIR/okta/...           the same for Okta
// DIR/local/config/      idform config (local) with .idform/sandbox.json holding the tenant
// DIR/local/apply-config/  the same tenant file, config N changes away (--apply-changes)

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "bench/tenant/config_writers.hpp"
#include "bench/tenant/output_files.hpp"
#include "bench/tenant/seed_writers.hpp"

namespace {

struct Options {
  std::string shape;
  std::string out;
  std::uint64_t seed = 42;
  std::set<std::string> flavors = {"graph", "okta", "local"};
  int apply_changes = 0;
  std::string sim_url = "http://127.0.0.1:1";
};

int usage(const std::string& problem) {
  std::cerr << "bench-tenant-gen: " << problem << "\n"
            << "usage: bench-tenant-gen --shape small|medium|large|local-Nk --out DIR [--seed N]\n"
            << "                        [--flavors graph,okta,local] [--apply-changes N] [--sim-url URL]\n";
  return 2;
}

// Pages needed to read every list of one kind at each page size a vendor uses (Graph default
// 100 and maximum 999; Okta 200 and 1000): the inputs of the report's minimum-request formulas.
nlohmann::json pages(const std::vector<std::size_t>& list_sizes) {
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t page : {20, 100, 200, 999, 1000}) {
    long long total = 0;
    for (std::size_t size : list_sizes) total += static_cast<long long>(std::max<std::size_t>(1, (size + page - 1) / page));
    out[std::to_string(page)] = total;
  }
  return out;
}

nlohmann::json manifest(const bench::Tenant& tenant) {
  const auto& shape = tenant.shape;
  long long saml = 0;
  for (const auto& app : tenant.applications) saml += app.saml ? 1 : 0;
  std::vector<std::size_t> members, owners, assignments;
  for (const auto& group : tenant.groups) {
    members.push_back(group.members.size());
    owners.push_back(group.owners.size());
  }
  for (const auto& app : tenant.applications) assignments.push_back(app.assignments.size());
  return {{"shape", shape.name},
          {"seed", shape.seed},
          {"users", shape.users},
          {"groups", shape.groups},
          {"members_average", shape.members_average},
          {"applications", shape.applications},
          {"saml_applications", saml},
          {"assignments_per_app", shape.assignments_per_app},
          {"policies", shape.policies},
          {"locations", shape.locations},
          {"objects", shape.objects()},
          {"memberships", tenant.memberships()},
          {"ownerships", tenant.ownerships()},
          {"assignments", tenant.assignment_count()},
          {"policy_rules", tenant.policies.size()},
          {"members_max", members.empty() ? 0 : *std::max_element(members.begin(), members.end())},
          {"member_pages", pages(members)},
          {"owner_pages", pages(owners)},
          {"assignment_pages", pages(assignments)}};
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
      return argv[++i];
    };
    try {
      if (arg == "--shape") options.shape = value();
      else if (arg == "--out") options.out = value();
      else if (arg == "--seed") options.seed = std::stoull(value());
      else if (arg == "--apply-changes") options.apply_changes = std::stoi(value());
      else if (arg == "--sim-url") options.sim_url = value();
      else if (arg == "--flavors") {
        options.flavors.clear();
        std::stringstream list(value());
        for (std::string item; std::getline(list, item, ',');) options.flavors.insert(item);
      } else return usage("unknown option " + arg);
    } catch (const std::exception& error) {
      return usage(error.what());
    }
  }
  if (options.shape.empty() || options.out.empty()) return usage("--shape and --out are required");

  try {
    bench::TenantShape shape = bench::shape_by_name(options.shape);
    shape.seed = options.seed;
    const bench::Tenant tenant = bench::build_tenant(shape);
    const std::filesystem::path out = options.out;
    bench::write_json(out / "manifest.json", manifest(tenant));
    if (options.flavors.count("graph")) {
      bench::write_graph_seed(tenant, out / "graph" / "seed");
      bench::write_graph_state(tenant, out / "graph" / "state.json");
      bench::write_config(tenant, {bench::Dialect::entra, options.sim_url, 0, 0}, out / "graph" / "config");
    }
    if (options.flavors.count("okta")) {
      bench::write_okta_seed(tenant, out / "okta" / "seed");
      bench::write_okta_state(tenant, out / "okta" / "state.json");
      bench::write_config(tenant, {bench::Dialect::okta, options.sim_url, 0, 0}, out / "okta" / "config");
    }
    if (options.flavors.count("local")) {
      bench::write_config(tenant, {bench::Dialect::local, "", 0, 0}, out / "local" / "config");
      bench::write_sandbox(tenant, out / "local" / "config" / ".idform" / "sandbox.json");
      if (options.apply_changes > 0) {
        // Half updates (description changes) as far as the tenant has groups, the rest creates.
        int updates = std::min(options.apply_changes / 2, std::max(0, shape.groups - 1));
        int creates = options.apply_changes - updates;
        bench::write_config(tenant, {bench::Dialect::local, "", creates, updates}, out / "local" / "apply-config");
        bench::write_sandbox(tenant, out / "local" / "apply-config" / ".idform" / "sandbox.json");
      }
    }
    std::cout << manifest(tenant).dump() << "\n";
  } catch (const std::exception& error) {
    std::cerr << "bench-tenant-gen: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
