#include "reconciler/config/source_map.hpp"

#include <charconv>

namespace idform::config {

void SourceMap::add(const std::string& pointer, NodeLocation location) {
  m_nodes.insert_or_assign(pointer, std::move(location));
}

const NodeLocation* SourceMap::find_nearest(JsonPointer pointer) const {
  while (true) {
    auto found = m_nodes.find(pointer.to_string());
    if (found != m_nodes.end()) return &found->second;
    if (pointer.empty()) return nullptr;
    pointer = pointer.parent_pointer();
  }
}

SourceLocation SourceMap::value_at(const JsonPointer& pointer) const {
  const NodeLocation* node = find_nearest(pointer);
  return node ? node->value : SourceLocation{};
}

SourceLocation SourceMap::key_at(const JsonPointer& pointer) const {
  auto found = m_nodes.find(pointer.to_string());
  if (found != m_nodes.end() && found->second.key.known()) return found->second.key;
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
