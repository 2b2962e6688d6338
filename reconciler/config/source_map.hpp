#pragma once
// Where each node of a parsed YAML document came from.
//
// Documents are converted to JSON for validation and for the model; the source map keeps, for
// every node, the 1-based line and column of its value and (for mapping members) of its key, keyed
// by the node's JSON Pointer ("/members/0/expires"). Messages about a node point at its value;
// messages about the key itself ("unknown field") point at the key.

#include <nlohmann/json.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "reconciler/util/result.hpp"

namespace idform::config {

using JsonPointer = nlohmann::json::json_pointer;

// A 1-based line and column in the map's file; line 0 = unknown.
struct Position {
  int line = 0;
  int column = 0;

  bool known() const { return line > 0; }
  bool operator==(const Position&) const = default;
};

struct NodeLocation {
  Position value;
  Position key;  // unknown (line 0) for the root and for list items

  bool operator==(const NodeLocation&) const = default;
};

class SourceMap {
 public:
  explicit SourceMap(std::string file = {}) : m_file(std::move(file)) {}

  // `pointer` in JSON Pointer syntax ("/members/0").
  void add(std::string pointer, NodeLocation location);
  // The value positions of a list's items, in order: "/members" and {a, b} stand for "/members/0"
  // at a and "/members/1" at b. A config's member lists run to half a million items, which are
  // kept this way rather than as as many pointer strings.
  void add_items(std::string list_pointer, std::vector<Position> positions);
  // Copies the entries of `source` below `from` (and `from`'s own, with `include_root`) into this
  // map under `to`: "/targets/x/auth" with from "/targets/x" and to "" becomes "/auth".
  void add_subtree(const SourceMap& source, std::string_view from, std::string_view to, bool include_root = true);

  // The value's location; for a node without an entry, the nearest ancestor that has one.
  SourceLocation value_at(const JsonPointer& pointer) const;
  SourceLocation value_at(std::string_view pointer) const;
  Position position_at(std::string_view pointer) const;  // value_at without the file name
  // The key's location for mapping members, else the value's.
  SourceLocation key_at(const JsonPointer& pointer) const;

  const std::string& file() const { return m_file; }
  SourceLocation located(Position position) const { return {m_file, position.line, position.column}; }
  bool operator==(const SourceMap& other) const {
    return m_file == other.m_file && m_nodes == other.m_nodes && m_items == other.m_items;
  }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  std::optional<NodeLocation> find_nearest(std::string_view pointer) const;

  std::string m_file;
  std::unordered_map<std::string, NodeLocation, Hash, std::equal_to<>> m_nodes;
  std::unordered_map<std::string, std::vector<Position>, Hash, std::equal_to<>> m_items;
};

// The unescaped reference tokens of a pointer, root first.
std::vector<std::string> pointer_tokens(const JsonPointer& pointer);

// "members[0].expires" for "/members/0/expires": the path as users read it in messages. Numeric
// tokens are shown as indices only where `root` holds a list at that point.
std::string display_path(const nlohmann::json& root, const JsonPointer& pointer);

// "a list", "a string", "a mapping", ...: a JSON value's type as YAML users know it.
std::string describe_type(const nlohmann::json& value);

}  // namespace idform::config
