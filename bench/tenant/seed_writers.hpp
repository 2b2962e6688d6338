#pragma once
// Writers of vendor-native idp-sim seed directories (docs/idp-sim.md, docs/idp-sim-okta.md) and
// of the "state" files the peer replay driver reads: the ids Terraform would hold in its state
// after managing the same tenant.

#include <filesystem>

#include "bench/tenant/tenant_model.hpp"

namespace bench {

// The client idform and the replay driver sign in as. Throwaway values for a loopback simulator.
inline constexpr const char* kBenchClientId = "0b3e5c1a-7d4f-4e2b-9a61-5c0d8e7f9a10";
inline constexpr const char* kBenchClientSecret = "bench-only-secret-for-idp-sim";
inline constexpr const char* kBenchOktaToken = "00benchOnlyTokenForIdpSim000000000000000";
inline constexpr const char* kGraphTenantId = "84841066-274d-4ec0-a5c1-276be684bdd3";  // idp-sim's default

// Graph: users.json, groups.json, groups/{id}/members.json|owners.json, applications.json,
// servicePrincipals.json, servicePrincipals/{id}/appRoleAssignedTo.json,
// conditionalAccessPolicies.json, namedLocations.json, _sim/clients.json.
void write_graph_seed(const Tenant& tenant, const std::filesystem::path& directory);
void write_graph_state(const Tenant& tenant, const std::filesystem::path& file);

// Okta: users.json, groups.json, groups/{id}/users.json, apps.json, apps/{id}/groups.json,
// policies.json (ACCESS_POLICY), policies/{id}/rules.json, zones.json, _sim/api-tokens.json.
void write_okta_seed(const Tenant& tenant, const std::filesystem::path& directory);
void write_okta_state(const Tenant& tenant, const std::filesystem::path& file);

}  // namespace bench
