#pragma once
// Settings of the Graph flavor, from its command-line options (see graph_flavor.cpp).
#include <string>

namespace idp_sim::graph {

struct GraphSettings {
  std::string tenant_id = "84841066-274d-4ec0-a5c1-276be684bdd3";
  std::string tenant_domain = "contoso.onmicrosoft.com";
  // Path prefix of the token endpoint: "{prefix}/{tenant}/oauth2/v2.0/token".
  std::string authority_prefix;
  // Extra accepted `aud` base for client assertions, e.g. "https://login.microsoftonline.com".
  std::string authority_url;
  double token_lifetime_seconds = 3599;  // wall-clock seconds, not scaled
  std::string tenant_size = "auto";       // S, M, L or auto (from the number of users)
  double resource_unit_budget = 0;        // > 0 overrides the tenant-size budget (tests, benchmarks)
  std::string graph_prefix = "/v1.0";
};

}  // namespace idp_sim::graph
