#pragma once
// Every protocol message a test sees is checked against its schema under schemas/plugin/:
// host-TYPE.schema.json for what the host sends, plugin-TYPE.schema.json for what a plugin sends.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

namespace idform::testing {

// The problems valijson finds in `message` (sent by "host" or "plugin"); empty when it conforms.
inline std::string plugin_message_problems(const std::string& direction, const nlohmann::json& message) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<valijson::Schema>> schemas;
  if (!message.is_object() || !message.contains("type") || !message["type"].is_string()) return "no \"type\"";
  const std::string name = direction + "-" + message["type"].get<std::string>() + ".schema.json";
  std::shared_ptr<valijson::Schema> schema;
  {
    std::lock_guard lock(mutex);
    auto& slot = schemas[name];
    if (!slot) {
      std::ifstream in(std::filesystem::path(IDFORM_SOURCE_DIR) / "schemas" / "plugin" / name);
      if (!in) return "no schema " + name;
      nlohmann::json document = nlohmann::json::parse(in);
      slot = std::make_shared<valijson::Schema>();
      valijson::SchemaParser parser;
      valijson::adapters::NlohmannJsonAdapter schema_adapter(document);
      parser.populateSchema(schema_adapter, *slot);
    }
    schema = slot;
  }
  valijson::Validator validator;
  valijson::adapters::NlohmannJsonAdapter adapter(message);
  valijson::ValidationResults results;
  if (validator.validate(*schema, adapter, &results)) return "";
  std::string problems = name + ":";
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    std::string where;
    for (const std::string& part : error.context) where += part;
    problems += " " + where + ": " + error.description + ";";
  }
  return problems;
}

// Checks every line of a recorded stream of messages; returns them parsed.
inline std::vector<nlohmann::json> check_plugin_messages(const std::string& direction, const std::string& lines) {
  std::vector<nlohmann::json> messages;
  std::istringstream in(lines);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    nlohmann::json message = nlohmann::json::parse(line, nullptr, false);
    INFO(direction << " message: " << line);
    REQUIRE_FALSE(message.is_discarded());
    std::string problems = plugin_message_problems(direction, message);
    CHECK(problems == "");
    messages.push_back(std::move(message));
  }
  return messages;
}

// Checks every message of a session recorded with $IDFORM_PLUGIN_RECORD (or a PluginCommand's
// record_file); returns how many each side sent.
inline std::map<std::string, int> check_recorded_session(const std::filesystem::path& record) {
  std::ifstream in(record);
  std::map<std::string, int> counts;
  std::string line;
  while (std::getline(in, line)) {
    nlohmann::json entry = nlohmann::json::parse(line, nullptr, false);
    INFO("recorded: " << line.substr(0, 2000));
    CHECK(entry.is_object());  // CHECK, not REQUIRE: a testbed's destructor calls this
    if (!entry.is_object() || !entry.contains("from") || !entry["from"].is_string()) continue;
    std::string from = entry["from"];
    CHECK(plugin_message_problems(from, entry["message"]) == "");
    ++counts[from];
  }
  return counts;
}

}  // namespace idform::testing
