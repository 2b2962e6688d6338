#pragma once
// Tables of config words and the Graph enumeration members they stand for, and the lookups both
// policy mappings (policy_mapping.cpp, policy_mapping_conditions.cpp) translate with. Graph's
// enumerations are matched without regard to case; an unknown word passes through unchanged, so
// check() and the next plan can name it.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "reconciler/util/strings.hpp"

namespace idform::providers::entra {

using Words = std::pair<std::string_view, std::string_view>;  // config word, Graph word

template <size_t N>
std::string to_graph(const Words (&table)[N], std::string_view word) {
  for (const auto& [config, graph] : table)
    if (config == word) return std::string(graph);
  return std::string(word);
}

template <size_t N>
std::string from_graph(const Words (&table)[N], std::string_view word) {
  for (const auto& [config, graph] : table)
    if (util::iequals(graph, word)) return std::string(config);
  return std::string(word);
}

template <size_t N>
nlohmann::json words_from_graph(const Words (&table)[N], const std::vector<std::string>& values) {
  nlohmann::json out = nlohmann::json::array();
  for (const std::string& value : values) out.push_back(from_graph(table, value));
  return out;
}

}  // namespace idform::providers::entra
