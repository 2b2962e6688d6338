#pragma once
// The sandbox provider: the embedded default target, so idform works offline.
//
// The "live tenant" is a JSON file (default `.idform/sandbox.json` in the config repository)
// holding a user directory and the four kinds, each object with an id. Like a real IdP it stores
// references by id, so renames are real renames; reading translates ids to names. Every apply
// rewrites the file atomically (write to a temporary file, then rename). The file format is
// documented in docs/providers/local.md.

#include <filesystem>
#include <memory>
#include <mutex>

#include "reconciler/provider/provider.hpp"

namespace idform::providers {

class LocalProvider final : public provider::Provider {
 public:
  explicit LocalProvider(std::filesystem::path file);

  std::string name() const override { return "local"; }
  Result<provider::ReadResponse> read(const provider::ReadRequest& request) override;
  Result<provider::ApplyResponse> apply(const provider::ApplyRequest& request) override;

 private:
  Result<void> load();
  Result<void> save();
  std::string new_id(model::Kind kind);

  std::filesystem::path m_file;
  nlohmann::json m_tenant;
  bool m_loaded = false;
  std::mutex m_mutex;
};

// The factory registered as "local": reads `path` from the target settings.
Result<std::unique_ptr<provider::Provider>> make_local_provider(const provider::TargetContext& context);

}  // namespace idform::providers
