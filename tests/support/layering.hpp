#pragma once
// The layer check: reads the table of allowed include directions (reconciler/layers.txt) and
// reports every `#include "..."` of a file that points from one layer into another the table does
// not allow, with the file and line. Used by tests/unit/layering_test.cpp on the whole tree and on
// deliberately wrong includes.
#include <algorithm>
#include <optional>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace idform::testing::layering {

struct Layer {
  std::string name;
  std::string folder;         // repository-relative, without a trailing '/'
  bool per_subfolder = false;  // `providers/*`: each folder below is a layer of its own
  std::vector<std::string> may_include;
};

struct Table {
  std::vector<Layer> layers;

  const Layer* find(std::string_view name) const {
    for (const Layer& layer : layers)
      if (layer.name == name) return &layer;
    return nullptr;
  }
};

// Rows are `name folder dependency...`; '#' starts a comment line. A dependency must be a layer
// of an earlier row, which keeps the graph free of cycles.
inline Table parse_table(const std::string& text) {
  Table table;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    std::istringstream fields(line);
    Layer layer;
    if (!(fields >> layer.name) || layer.name.starts_with('#')) continue;
    if (!(fields >> layer.folder))
      throw std::runtime_error("layers table line " + std::to_string(number) + ": no folder for " + layer.name);
    if (layer.folder.ends_with("/*")) {
      layer.per_subfolder = true;
      layer.folder.resize(layer.folder.size() - 2);
    }
    for (std::string dependency; fields >> dependency;) {
      if (!table.find(dependency))
        throw std::runtime_error("layers table line " + std::to_string(number) + ": " + layer.name +
                                 " names " + dependency + ", which is not a layer on an earlier row");
      layer.may_include.push_back(dependency);
    }
    if (table.find(layer.name))
      throw std::runtime_error("layers table line " + std::to_string(number) + ": " + layer.name + " twice");
    table.layers.push_back(std::move(layer));
  }
  return table;
}

// Where a repository-relative path belongs: its layer and the folder of that layer's instance
// (for `providers/*`, the provider's own folder). The longest matching folder wins.
struct Placement {
  const Layer* layer = nullptr;
  std::string folder;
};

inline std::optional<Placement> place(const Table& table, std::string_view path) {
  std::optional<Placement> best;
  for (const Layer& layer : table.layers) {
    std::string prefix = layer.folder + "/";
    if (!path.starts_with(prefix)) continue;
    if (best && best->layer->folder.size() >= layer.folder.size()) continue;
    Placement placement{&layer, layer.folder};
    std::string_view rest = path.substr(prefix.size());
    if (layer.per_subfolder && rest.find('/') != std::string_view::npos)
      placement.folder = prefix + std::string(rest.substr(0, rest.find('/')));
    best = placement;
  }
  return best;
}

// The top-level folders the table speaks about: an include starting with one of them is checked.
inline bool names_checked_folder(const Table& table, std::string_view include) {
  return std::ranges::any_of(table.layers, [&](const Layer& layer) {
    std::string top = layer.folder.substr(0, layer.folder.find('/')) + "/";
    return include.starts_with(top);
  });
}

// Every include of `text` (the contents of `path`) that the table does not allow, as
// "path:line: ...". A file outside every layer has nothing checked.
inline std::vector<std::string> check_file(const Table& table, const std::string& path, const std::string& text) {
  std::vector<std::string> violations;
  std::optional<Placement> from = place(table, path);
  if (!from) return violations;
  static const std::regex kInclude(R"re(^\s*#\s*include\s*"([^"]+)")re");
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    std::smatch match;
    if (!std::regex_search(line, match, kInclude)) continue;
    std::string include = match[1];
    if (!names_checked_folder(table, include)) continue;
    std::string where = path + ":" + std::to_string(number) + ": ";
    std::optional<Placement> to = place(table, include);
    if (!to) {
      violations.push_back(where + "includes " + include + ", which is in no layer of the table");
      continue;
    }
    if (to->folder == from->folder) continue;
    const auto& allowed = from->layer->may_include;
    if (to->layer != from->layer && std::ranges::find(allowed, to->layer->name) != allowed.end()) continue;
    violations.push_back(where + "includes " + include + " (layer " + to->layer->name + "), which layer " +
                         from->layer->name + " may not include");
  }
  return violations;
}

// The table as ARCHITECTURE.md shows it.
inline std::string render_markdown(const Table& table) {
  std::string out = "| layer | folder | may include |\n|---|---|---|\n";
  for (const Layer& layer : table.layers) {
    std::string dependencies;
    for (const std::string& name : layer.may_include) dependencies += (dependencies.empty() ? "" : ", ") + name;
    out += "| " + layer.name + " | `" + layer.folder + (layer.per_subfolder ? "/*" : "/") + "` | " +
           (dependencies.empty() ? "nothing" : dependencies) + " |\n";
  }
  return out;
}

}  // namespace idform::testing::layering
