#pragma once
// The Microsoft Graph v1.0 flavor of idp-sim: identity platform token endpoint, bearer checks,
// throttling, $batch and the directory / conditional-access resources idform manages.
#include <memory>

#include "core/flavor.hpp"
#include "core/object_store.hpp"
#include "graph/graph_auth.hpp"
#include "graph/delta_rounds.hpp"
#include "graph/directory_audits.hpp"
#include "graph/graph_call.hpp"
#include "graph/graph_settings.hpp"
#include "graph/graph_throttle.hpp"

namespace idp_sim::graph {

FlavorInfo flavor_info();

class GraphFlavor : public Flavor {
public:
  explicit GraphFlavor(FlavorContext& context);

  void load_seed(const std::filesystem::path& directory) override;
  SimResponse handle(const SimRequest& request) override;
  bool faults_apply(const SimRequest& request) const override;
  SimResponse fault_response(int status, const SimRequest& request) override;
  std::string route_of(const SimRequest& request) override;
  Json dump_state() override;
  void reset(bool state) override;
  void replace_seed(const std::filesystem::path& directory) override;
  Json info() override;

  // Runs one authenticated Graph request (also used for the items of a $batch).
  SimResponse execute(const SimRequest& request, const Caller& caller);

private:
  SimResponse batch(const SimRequest& request, const Caller& caller);
  // Runs one item of a $batch (or answers it 424 when a dependency failed), filling its response
  // entry and its body's JSON text; returns its status.
  int run_batch_item(const Json& item, const SimRequest& request, const Caller& caller, bool dependency_failed,
                     Json& out, std::string& body_text);
  std::string graph_path(const SimRequest& request) const;
  void apply_cli_credentials();
  Json audited_object(GraphCall& call);

  FlavorContext& m_context;
  GraphSettings m_settings;
  Visibility m_visibility;
  Tenant m_tenant;
  GraphAuth m_auth;
  GraphThrottle m_throttle;
  GraphRouter m_router;
  DeltaRounds m_delta;
  DirectoryAudits m_audits;
};

// Route registration, one function per resource family (handlers_*.cpp).
void register_user_routes(GraphRouter& router);
void register_group_routes(GraphRouter& router);
void register_application_routes(GraphRouter& router);
void register_conditional_access_routes(GraphRouter& router);
void register_directory_object_routes(GraphRouter& router);
void register_saml_routes(GraphRouter& router);
void register_delta_routes(GraphRouter& router);

// Seed loading (graph_seed.cpp): fills `data` from vendor-native JSON files.
struct SeedReport {
  std::vector<std::string> warnings;
  std::size_t objects = 0;
  std::size_t links = 0;
  std::vector<OidcIssuer> issuers;
  std::vector<std::pair<std::string, std::string>> client_secrets;
  std::vector<std::pair<std::string, Certificate>> client_certificates;
};
SeedReport load_graph_seed(const std::filesystem::path& directory, TenantData& data);

}  // namespace idp_sim::graph
