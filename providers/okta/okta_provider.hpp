#pragma once
// The Okta provider: the four kinds over the Okta management API v1.
//
// read() takes one TenantSnapshot (tenant_reader.cpp: list endpoints at their largest page
// size, paced from Okta's rate-limit headers, users in bulk) and maps it to model resources with
// every reference by name. apply() sends one planned change through the writer of its kind.
// check() rejects config Okta cannot express. docs/providers/okta.md has the mapping table, the
// scopes and admin roles, the auth set-ups and the limitations.

#include <map>
#include <memory>

#include "providers/okta/okta_client.hpp"
#include "providers/okta/okta_settings.hpp"
#include "providers/okta/tenant_snapshot.hpp"
#include "reconciler/provider/provider.hpp"
#include "reconciler/util/clock.hpp"

namespace idform::providers::okta {

class OktaProvider final : public provider::Provider {
 public:
  OktaProvider(OktaSettings settings, std::shared_ptr<http::Transport> transport,
               util::Clock& clock = util::real_clock());

  // Reads the credential (environment, PEM file); no request is sent until the first read.
  Result<void> connect(const TokenSourceHooks& hooks = {});

  std::string name() const override { return "okta"; }
  Result<provider::ReadResponse> read(const provider::ReadRequest& request) override;
  bool reads_incrementally() const override { return true; }
  std::string state_version() const override;
  std::string target_identity() const override;
  Result<provider::ApplyResponse> apply(const provider::ApplyRequest& request) override;
  Diagnostics check(const model::DesiredState& desired) const override;

  OktaClient& client() { return *m_client; }

 private:
  std::unique_ptr<OktaClient> m_client;
  // "app:okta:<name>" -> id of Okta's own apps, from the last read: policies attach to them,
  // and they are the same in every org, so no document declares them.
  std::map<std::string, std::string> m_okta_apps;
};

// Maps a snapshot to live state: resources of the kinds in `scope`, plus every user met.
model::LiveState to_live_state(const TenantSnapshot& snapshot, const ReadScope& scope);

// What Okta holds when nothing was said, in spec form (import leaves these out).
std::map<model::Kind, nlohmann::json> okta_defaults();

// The factory registered as "okta".
Result<std::unique_ptr<provider::Provider>> make_okta_provider(const provider::TargetContext& context);

}  // namespace idform::providers::okta
