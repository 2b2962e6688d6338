#pragma once
// The Okta flavor of idp-sim: the Okta management API v1 for groups, users, apps, app sign-in
// (access) and global session policies with their rules, and network zones; SSWS API tokens and
// the org authorization server's client-credentials token endpoint; Okta's rate limits, error
// bodies and paging. See docs/idp-sim-okta.md.
#include <filesystem>
#include <memory>

#include "core/flavor.hpp"
#include "core/object_store.hpp"
#include "okta/okta_auth.hpp"
#include "okta/okta_call.hpp"
#include "okta/okta_rate_limit.hpp"
#include "okta/okta_settings.hpp"
#include "okta/system_log.hpp"

namespace idp_sim::okta {

FlavorInfo flavor_info();

class OktaFlavor : public Flavor {
public:
  explicit OktaFlavor(FlavorContext& context);

  void load_seed(const std::filesystem::path& directory) override;
  SimResponse handle(const SimRequest& request) override;
  bool faults_apply(const SimRequest& request) const override;
  SimResponse fault_response(int status, const SimRequest& request) override;
  SimResponse length_required(const SimRequest& request) override;
  std::string route_of(const SimRequest& request) override;
  Json dump_state() override;
  void reset(bool state) override;
  void replace_seed(const std::filesystem::path& directory) override;
  Json info() override;

private:
  SimResponse serve(const SimRequest& request);
  SimResponse serve_token(const SimRequest& request);
  SimResponse serve_api(const SimRequest& request);
  void apply_cli_credentials();
  void prepare_tenant();
  void log_drift(const TenantData& before, const TenantData& after);

  FlavorContext& m_context;
  OktaSettings m_settings;
  Visibility m_visibility;
  Tenant m_tenant;
  OktaAuth m_auth;
  OktaRateLimiter m_limits;
  OktaRouter m_router;
  CursorIndex m_cursors;
  CursorIndex m_seed_cursors;
  SystemLog m_log;
};

// Route registration, one function per resource family (handlers_*.cpp).
void register_group_routes(OktaRouter& router);
void register_user_routes(OktaRouter& router);
void register_app_routes(OktaRouter& router);
void register_app_group_routes(OktaRouter& router);
void register_policy_routes(OktaRouter& router);
void register_zone_routes(OktaRouter& router);

// Seed loading (okta_seed.cpp): fills `data` from vendor-native JSON files and registers
// credentials found in them with `auth`.
struct SeedReport {
  std::vector<std::string> warnings;
  std::size_t objects = 0;
  std::size_t links = 0;
};
SeedReport load_okta_seed(const std::filesystem::path& directory, TenantData& data, CursorIndex& cursors,
                          OktaAuth& auth);

}  // namespace idp_sim::okta
