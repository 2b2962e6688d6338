#pragma once
// Small helpers the writers share: create parent directories and write a file, JSON or text.
// They throw std::runtime_error on I/O failure; the generator's main turns that into exit 1.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace bench {

void write_text(const std::filesystem::path& path, const std::string& text);
void write_json(const std::filesystem::path& path, const nlohmann::json& value);

// A YAML double-quoted scalar (JSON string syntax is valid YAML).
std::string yaml_quote(const std::string& text);

}  // namespace bench
