#pragma once
// The Microsoft Entra ID provider: the four kinds over Microsoft Graph v1.0.
//
// read() takes one TenantSnapshot (tenant_reader.cpp: list endpoints, $batch, bulk user
// look-ups) and maps it to model resources with every reference by name. apply() sends one
// planned change through the writer of its kind. check() rejects config Graph cannot express.
// docs/providers/entra.md has the mapping table, permissions and auth set-ups.

#include <future>
#include <memory>
#include <optional>

#include "providers/entra/entra_settings.hpp"
#include "providers/entra/graph_client.hpp"
#include "providers/entra/incremental_read.hpp"
#include "providers/entra/tenant_snapshot.hpp"
#include "reconciler/provider/provider.hpp"

namespace idform::providers::entra {

class EntraProvider final : public provider::Provider {
 public:
  EntraProvider(EntraSettings settings, std::shared_ptr<http::Transport> transport,
                util::Clock& clock = util::real_clock());

  // Reads the credential (environment, PEM files); no request is sent until the first read.
  Result<void> connect(const TokenSourceHooks& hooks = {});

  std::string name() const override { return "entra"; }
  Result<provider::ReadResponse> read(const provider::ReadRequest& request) override;
  void start_feeds(const nlohmann::json& cursors) override;
  void start_reading_from(std::shared_ptr<const nlohmann::json> baseline) override;
  bool reads_incrementally() const override { return true; }
  std::string state_version() const override;
  std::string target_identity() const override { return m_settings.graph_endpoint + " tenant " + m_settings.tenant_id; }
  Result<provider::ApplyResponse> apply(const provider::ApplyRequest& request) override;
  Diagnostics check(const model::DesiredState& desired) const override;

  GraphClient& graph() { return *m_graph; }

 private:
  // An early read: the changes since the baseline and, when the cache could be used, the live
  // and saved states made from them (before the users the config names were known).
  struct EarlyRead {
    IncrementalRead changes;
    std::optional<model::LiveState> live;
    nlohmann::json saved_state;
  };
  // The early read, if it started from this very baseline.
  std::optional<Result<EarlyRead>> take_early_changes(const nlohmann::json* baseline);
  // What start_feeds() fetched, once; nullopt when it fetched nothing or failed (the feeds are
  // then fetched again, and fail, with the read).
  std::optional<FeedRounds> take_early_feeds();
  // The changes since a saved state, with the feeds start_feeds() fetched if they answer its cursors.
  Result<IncrementalRead> changes_since(const nlohmann::json& baseline, const ReadScope& scope);

  EntraSettings m_settings;  // before m_graph, which refers to it
  std::unique_ptr<GraphClient> m_graph;
  // start_feeds()' and start_reading_from()'s reads (after m_graph, so that they end before
  // m_graph goes; the changes after the feeds, which they wait for).
  std::future<Result<FeedRounds>> m_early_feeds;
  std::shared_ptr<const nlohmann::json> m_early_baseline;
  std::future<Result<EarlyRead>> m_early_changes;
};

// Maps a snapshot to live state: resources of the kinds in `scope`, plus every user met.
model::LiveState to_live_state(const TenantSnapshot& snapshot, const ReadScope& scope);

// What Graph holds when nothing was said, in spec form (import leaves these out).
std::map<model::Kind, nlohmann::json> entra_defaults();

// The factory registered as "entra".
Result<std::unique_ptr<provider::Provider>> make_entra_provider(const provider::TargetContext& context);

}  // namespace idform::providers::entra
