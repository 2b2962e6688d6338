#pragma once
// YAML files as JSON documents that remember where every node came from.
//
// Scalars are typed by the YAML 1.2 core schema: unquoted true/false are booleans, unquoted
// numbers are numbers, null/~/nothing is null and everything else (including quoted values, dates
// such as 2026-12-31 and country codes such as NO) is a string. Duplicate keys, non-string keys,
// aliases and tags other than !!str are reported as errors rather than guessed at: a config
// repository should say each thing once, in one obvious way.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reconciler/config/source_map.hpp"
#include "reconciler/util/result.hpp"

namespace idform::config {

struct YamlDocument {
  std::string file;  // as shown in messages
  nlohmann::json root;
  SourceMap sources;

  SourceLocation start() const { return sources.value_at(JsonPointer{}); }
};

struct YamlFile {
  std::vector<YamlDocument> documents;  // well-formed, non-empty documents, in file order
  Diagnostics diagnostics;              // syntax errors and refused constructs
  bool complete = true;                 // false when a syntax error stopped reading the file
};

// Values longer than this are refused: nothing in the config language needs them, and the
// standard library's regex engine (used by schema patterns) recurses once per character.
inline constexpr std::size_t kMaxScalarLength = 4096;

// `file` is only used in diagnostics and YamlDocument::file. Plain block YAML is read by a fast
// scanner (block_yaml.hpp), everything else by yaml-cpp; both give the same result.
YamlFile parse_yaml(const std::string& text, const std::string& file);

// The same, always through yaml-cpp: the reference the fast scanner is tested against.
YamlFile parse_yaml_with_yaml_cpp(const std::string& text, const std::string& file);

}  // namespace idform::config
