#pragma once
// The JSON Schema of a built-in provider's target settings: providers/NAME/settings.schema.json,
// compiled into the program (cmake/EmbedSettingsSchemas.cmake). Each provider hands its own to
// the registry and, run as a plugin, sends it in its handshake; the core schema knows none of them.

#include <nlohmann/json.hpp>
#include <string_view>

namespace idform::providers {

// The schema's text, or an empty view when `provider` has none.
std::string_view settings_schema_text(std::string_view provider);

// The schema, parsed; an object that accepts any settings when `provider` has none.
nlohmann::json settings_schema(std::string_view provider);

}  // namespace idform::providers
