#pragma once
// A plugin's settings checked against the JSON Schema it gave in its handshake, before configure.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace idform::provider {

// One line per problem ("url: missing required field", "port: expected integer"); empty when
// `settings` conforms. A schema that does not compile is a problem of its own.
std::vector<std::string> settings_problems(const nlohmann::json& schema, const nlohmann::json& settings);

}  // namespace idform::provider
