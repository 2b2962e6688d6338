#pragma once
// What a provider says of itself in the plugin protocol's handshake (docs/plugin-protocol.md):
// its name and version, the kinds and fields it can express, and the JSON Schema of its settings.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reconciler/model/kind.hpp"

namespace idform::provider::protocol {

// One kind the provider manages and the spec fields (catalogue paths) it can express.
struct KindCapability {
  model::Kind kind = model::Kind::group;
  std::vector<std::string> fields;
};

struct Capabilities {
  std::vector<KindCapability> kinds;
  bool reads_every_user = false;  // read returns every user whatever user_emails names
  bool incremental_read = false;  // the provider can read changes since an earlier read
  bool checks = false;            // answers `check` with diagnostics of its own
};

// What a plugin says of itself in the handshake.
struct PluginInfo {
  std::string name;     // "local", "ldap"
  std::string version;  // the plugin's own version
  Capabilities capabilities;
  nlohmann::json settings_schema = nlohmann::json::object();  // JSON Schema of its target settings
};

// The capabilities of a provider that manages every field of the catalogue for `kinds`.
Capabilities full_capabilities(const std::vector<model::Kind>& kinds);

}  // namespace idform::provider::protocol
