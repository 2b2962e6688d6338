// Parses the built-in providers' settings schemas compiled into the program.
#include "providers/common/settings_schema.hpp"

namespace idform::providers {

nlohmann::json settings_schema(std::string_view provider) {
  std::string_view text = settings_schema_text(provider);
  if (text.empty()) return {{"type", "object"}};
  nlohmann::json schema = nlohmann::json::parse(text, nullptr, false);
  // A test parses every file ([config]); should one be damaged anyway, its targets are refused
  // with a message saying so rather than accepted unchecked.
  if (schema.is_discarded())
    return {{"not", nlohmann::json::object()},
            {"errorMessage", "this idform's settings schema of the provider is not valid JSON"}};
  return schema;
}

}  // namespace idform::providers
