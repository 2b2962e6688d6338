#pragma once
// Where each node of a parsed YAML document came from.
//
// Documents are converted to JSON for validation and for the model; the source map keeps, for
// every node, the 1-based line and column of its value and (for mapping members) of its key, keyed
// by the node's JSON Pointer ("/members/0/expires"). Messages about a node point at its value;
// messages about the key itself ("unknown field") point at the key.

#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "reconciler/util/result.hpp"

namespace idform::config {

using JsonPointer = nlohmann::json::json_pointer;

struct NodeLocation {
  SourceLocation value;
  SourceLocation key;  // unknown (line 0) for the root and for list items
};

class SourceMap {
 public:
  void add(const std::string& pointer, NodeLocation location);

  // The value's location; for a node without an entry, the nearest ancestor that has one.
  SourceLocation value_at(const JsonPointer& pointer) const;
  // The key's location for mapping members, else the value's.
  SourceLocation key_at(const JsonPointer& pointer) const;

 private:
  const NodeLocation* find_nearest(JsonPointer pointer) const;

  std::unordered_map<std::string, NodeLocation> m_nodes;
};

// The unescaped reference tokens of a pointer, root first.
std::vector<std::string> pointer_tokens(const JsonPointer& pointer);

// "members[0].expires" for "/members/0/expires": the path as users read it in messages. Numeric
// tokens are shown as indices only where `root` holds a list at that point.
std::string display_path(const nlohmann::json& root, const JsonPointer& pointer);

// "a list", "a string", "a mapping", ...: a JSON value's type as YAML users know it.
std::string describe_type(const nlohmann::json& value);

}  // namespace idform::config
