// Where each node of a parsed YAML document came from.
#include "reconciler/config/source_map.hpp"

#include <charconv>

namespace idform::config {

void SourceMap::add(std::string pointer, NodeLocation location) {
  m_nodes.insert_or_assign(std::move(pointer), location);
}

void SourceMap::add_items(std::string list_pointer, std::vector<Position> positions) {
  m_items.insert_or_assign(std::move(list_pointer), std::move(positions));
}

void SourceMap::add_subtree(const SourceMap& source, std::string_view from, std::string_view to, bool include_root) {
  for (const auto& [pointer, location] : source.m_nodes) {
    std::string_view key = pointer;
    if (!key.starts_with(from)) continue;
    std::string_view rest = key.substr(from.size());
    if (rest.empty() ? !include_root : rest.front() != '/') continue;
    m_nodes.insert_or_assign(std::string(to) + std::string(rest), location);
  }
  // A list's items are below it: copied whenever the list is `from` or below it.
  for (const auto& [pointer, positions] : source.m_items) {
    std::string_view key = pointer;
    if (!key.starts_with(from)) continue;
    std::string_view rest = key.substr(from.size());
    if (!rest.empty() && rest.front() != '/') continue;
    m_items.insert_or_assign(std::string(to) + std::string(rest), positions);
  }
}

// A parent's pointer is its child's up to the last '/': tokens escape '/' as "~1". A list item
// is found through its list's positions.
std::optional<NodeLocation> SourceMap::find_nearest(std::string_view pointer) const {
  while (true) {
    auto found = m_nodes.find(pointer);
    if (found != m_nodes.end()) return found->second;
    if (pointer.empty()) return std::nullopt;
    auto slash = pointer.rfind('/');
    std::string_view parent = pointer.substr(0, slash == std::string_view::npos ? 0 : slash);
    if (slash != std::string_view::npos) {
      std::string_view token = pointer.substr(slash + 1);
      std::size_t index = 0;
      auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), index);
      auto list = m_items.find(parent);
      const bool canonical = !token.empty() && (token.size() == 1 || token.front() != '0');  // "7", not "07"
      if (canonical && error == std::errc{} && end == token.data() + token.size() && list != m_items.end() &&
          index < list->second.size())
        return NodeLocation{list->second[index], {}};
    }
    pointer = parent;
  }
}

SourceLocation SourceMap::value_at(std::string_view pointer) const {
  auto node = find_nearest(pointer);
  return node ? located(node->value) : SourceLocation{};
}

Position SourceMap::position_at(std::string_view pointer) const {
  auto node = find_nearest(pointer);
  return node ? node->value : Position{};
}

SourceLocation SourceMap::value_at(const JsonPointer& pointer) const {
  return value_at(pointer.to_string());
}

SourceLocation SourceMap::key_at(const JsonPointer& pointer) const {
  auto found = m_nodes.find(pointer.to_string());
  if (found != m_nodes.end() && found->second.key.known()) return located(found->second.key);
  return value_at(pointer);
}

std::vector<std::string> pointer_tokens(const JsonPointer& pointer) {
  std::vector<std::string> tokens;
  for (JsonPointer rest = pointer; !rest.empty(); rest = rest.parent_pointer())
    tokens.insert(tokens.begin(), rest.back());
  return tokens;
}

std::string display_path(const nlohmann::json& root, const JsonPointer& pointer) {
  // Walk from the root so that each token is read as an index or a key by what it addresses.
  std::string out;
  const nlohmann::json* node = &root;
  for (const std::string& token : pointer_tokens(pointer)) {
    std::size_t index = 0;
    auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), index);
    bool numeric = error == std::errc{} && end == token.data() + token.size();
    if (node && node->is_array() && numeric) {
      out += "[" + token + "]";
      node = index < node->size() ? &(*node)[index] : nullptr;
      continue;
    }
    if (!out.empty()) out += ".";
    out += token;
    node = (node && node->is_object() && node->contains(token)) ? &(*node)[token] : nullptr;
  }
  return out;
}

std::string describe_type(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: return "a mapping";
    case nlohmann::json::value_t::array: return "a list";
    case nlohmann::json::value_t::string: return "a string";
    case nlohmann::json::value_t::boolean: return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned: return "an integer";
    case nlohmann::json::value_t::number_float: return "a number";
    case nlohmann::json::value_t::null: return "an empty value";
    default: return "an unsupported value";
  }
}

}  // namespace idform::config
