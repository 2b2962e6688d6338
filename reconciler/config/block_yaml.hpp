#pragma once
// A fast reader for the plain block YAML that config files are mostly written in.
//
// yaml-cpp reads about 20 MB/s, and a 20,000-object config is over 100 MB of member lists. Most of
// it is the simplest YAML there is: block mappings with plain keys, block sequences of scalars,
// plain or double-quoted scalars without escapes, one value per line, one-line flow lists of such
// scalars as a key's value (`roles: ["User", "Admin"]`), ASCII. This scanner accepts exactly that
// and reports the events yaml-cpp's parser reports for it, with the same marks, so that the
// document builder (yaml_document.cpp) does the rest on either path. Anything else — other flow
// collections, escapes, multi-line scalars, anchors, tags, empty values, tabs, non-ASCII — and the
// whole file goes to yaml-cpp, errors and all.

#include <optional>
#include <string_view>
#include <vector>

namespace idform::config {

struct BlockYamlEvent {
  enum class Type { map_start, map_end, sequence_start, sequence_end, scalar };
  Type type = Type::scalar;
  int line = 0;    // 0-based, as yaml-cpp's marks
  int column = 0;  // 0-based
  bool quoted = false;    // scalars: "..." (yaml-cpp's tag "!") rather than plain ("?")
  std::string_view text;  // scalars: the value, pointing into the scanned text
};

// The events of each document in `text`, or nullopt when the text is not in the subset.
std::optional<std::vector<std::vector<BlockYamlEvent>>> scan_block_yaml(std::string_view text);

}  // namespace idform::config
