// Builds JSON from yaml-cpp's parse events rather than from YAML::Node: the events carry each
// node's position, whether a scalar was quoted, and aliases as such, none of which survive in a
// YAML::Node. The builder keeps an explicit stack of open collections, so deeply nested input
// cannot exhaust the call stack here (yaml-cpp itself stops at depth 2000).

#include "reconciler/config/yaml_document.hpp"

#include <optional>
#include <sstream>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/anchor.h>
#include <yaml-cpp/emitterstyle.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include "reconciler/config/block_yaml.hpp"
#include "reconciler/config/yaml_scalar.hpp"

namespace idform::config {
namespace {

constexpr std::string_view kStringTag = "tag:yaml.org,2002:str";
constexpr std::string_view kMapTag = "tag:yaml.org,2002:map";
constexpr std::string_view kSeqTag = "tag:yaml.org,2002:seq";

// yaml-cpp marks are 0-based; ours are 1-based.
Position position_of(const YAML::Mark& mark) {
  if (mark.is_null()) return {};
  return {mark.line + 1, mark.column + 1};
}

SourceLocation location_of(const std::string& file, const YAML::Mark& mark) {
  Position position = position_of(mark);
  return {file, position.line, position.column};
}

// One JSON Pointer token: '~' and '/' are escaped as "~0" and "~1".
void append_token(std::string& pointer, std::string_view token) {
  pointer += '/';
  for (char c : token) {
    if (c == '~') pointer += "~0";
    else if (c == '/') pointer += "~1";
    else pointer += c;
  }
}

class DocumentBuilder : public YAML::EventHandler {
 public:
  explicit DocumentBuilder(std::string file) : m_file(file), m_sources(std::move(file)) {}

  // The finished document, or nullopt when it was empty or had errors.
  std::optional<YamlDocument> take() {
    if (!m_diagnostics.empty() || !m_root || m_root->is_null()) return std::nullopt;
    return YamlDocument{m_file, std::move(*m_root), std::move(m_sources)};
  }
  // Problems found in a document that parsed; after a syntax error they are moot.
  Diagnostics take_diagnostics() { return std::move(m_diagnostics); }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
    if (is_key_position()) return refuse_key(mark, "a mapping key cannot be empty");
    // For `key:` with nothing after it yaml-cpp marks the next token, often lines below; the
    // key is where the user will look.
    Position where = position_of(mark);
    Position key = pending_key_location();
    if (key.known() && where.line > key.line) where = key;
    add_value(nullptr, where);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    report(position_of(mark), "aliases (*name) are not supported: write the value out");
    if (is_key_position()) return refuse_key(mark, {});
    add_value(nullptr, position_of(mark));
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                const std::string& text) override {
    Position where = position_of(mark);
    if (auto problem = scalar_problem(text)) {
      report(where, *problem);
      if (is_key_position()) return refuse_key(mark, {});
      return add_value(nullptr, where);
    }
    const bool plain = tag == "?";
    if (!plain && tag != "!" && tag != kStringTag) {
      report(where, "YAML tag \"" + tag + "\" is not supported (only !!str is)");
    }
    nlohmann::json value = plain ? resolve_plain_scalar(text) : nlohmann::json(text);
    // YAML 1.1 merge keys are not part of YAML 1.2; read literally they would be a field "<<".
    if (is_key_position() && plain && text == "<<")
      return refuse_key(mark, "merge keys (<<) are not supported: write the fields out");
    if (is_key_position()) return add_key(value, where);
    add_value(std::move(value), where);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    open_collection(mark, tag, kSeqTag, nlohmann::json::array());
  }
  void OnSequenceEnd() override { close_collection(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    open_collection(mark, tag, kMapTag, nlohmann::json::object());
  }
  void OnMapEnd() override { close_collection(); }

 private:
  struct Frame {
    nlohmann::json value;            // the object or array being filled
    std::string pointer;             // its JSON Pointer; empty for the root
    Position where;
    std::vector<Position> items;     // arrays: where each item's value is (SourceMap::add_items)
    bool is_key = false;             // a collection used as a mapping key: dropped when closed
    std::optional<std::string> key;  // objects: the key waiting for its value
    Position key_where;
    bool drop_value = false;         // objects: the pending key was refused; ignore its value
  };

  bool is_key_position() const {
    return !m_stack.empty() && m_stack.back().value.is_object() && !m_stack.back().key;
  }

  void report(Position where, std::string message) {
    m_diagnostics.push_back(Error{std::move(message), {}, {}, m_sources.located(where)});
  }

  // Accepts a scalar key, refusing non-strings and duplicates.
  void add_key(const nlohmann::json& key, Position where) {
    Frame& frame = m_stack.back();
    if (!key.is_string()) {
      report(where, "mapping keys must be text; quote " + key.dump() + " if it is meant as one");
      frame.key = std::string{};
      frame.drop_value = true;
      return;
    }
    const std::string text = key.get<std::string>();
    if (frame.value.contains(text)) {
      // A mapping that is itself dropped (a duplicate key's value, a key) has no recorded places.
      std::string first;
      if (frame.pointer != kDropped)
        first = " (first at line " + std::to_string(m_sources.key_at(JsonPointer(frame.pointer) / text).line) + ")";
      report(where, "duplicate key \"" + text + "\"" + first);
      frame.drop_value = true;
    }
    frame.key = text;
    frame.key_where = where;
  }

  void refuse_key(const YAML::Mark& mark, const std::string& message) {
    if (!message.empty()) report(position_of(mark), message);
    m_stack.back().key = std::string{};
    m_stack.back().drop_value = true;
  }

  // The JSON Pointer of the next value in the open collection (kDropped when it will be dropped).
  std::string next_pointer() const {
    if (m_stack.empty()) return std::string{};
    const Frame& frame = m_stack.back();
    if (frame.is_key || frame.pointer == kDropped || (frame.value.is_object() && frame.drop_value))
      return std::string(kDropped);
    std::string pointer = frame.pointer;
    if (frame.value.is_array()) {
      pointer += '/';
      pointer += std::to_string(frame.value.size());
    } else {
      append_token(pointer, *frame.key);
    }
    return pointer;
  }

  // Whether the next value is an item of a list whose places are kept (SourceMap::add_items).
  bool next_is_recorded_item() const {
    if (m_stack.empty()) return false;
    const Frame& frame = m_stack.back();
    return frame.value.is_array() && !frame.is_key && frame.pointer != kDropped;
  }

  // Where the next value is: a list item's with its list, any other under its pointer.
  void record(Position where) {
    if (next_is_recorded_item()) {
      m_stack.back().items.push_back(where);
      return;
    }
    std::string pointer = next_pointer();
    if (pointer != kDropped) m_sources.add(std::move(pointer), {where, pending_key_location()});
  }

  void add_value(nlohmann::json value, Position where) {
    record(where);
    attach(std::move(value));
  }

  Position pending_key_location() const {
    if (m_stack.empty() || !m_stack.back().value.is_object()) return {};
    return m_stack.back().key_where;
  }

  // Puts a finished value into the open collection (or makes it the root).
  void attach(nlohmann::json value) {
    if (m_stack.empty()) {
      m_root = std::move(value);
      return;
    }
    Frame& frame = m_stack.back();
    if (frame.value.is_array()) {
      frame.value.push_back(std::move(value));
      return;
    }
    if (!frame.drop_value) frame.value[*frame.key] = std::move(value);
    frame.key.reset();
    frame.drop_value = false;
  }

  void open_collection(const YAML::Mark& mark, const std::string& tag, std::string_view core_tag,
                       nlohmann::json empty) {
    Position where = position_of(mark);
    if (tag != "?" && tag != "!" && tag != core_tag)
      report(where, "YAML tag \"" + tag + "\" is not supported");
    bool is_key = is_key_position();
    if (is_key) report(where, "mapping keys must be text, not a list or mapping");
    std::string pointer = is_key ? std::string(kDropped) : next_pointer();
    if (pointer != kDropped) {
      if (next_is_recorded_item()) m_stack.back().items.push_back(where);
      else m_sources.add(pointer, {where, pending_key_location()});
    }
    m_stack.push_back(Frame{std::move(empty), pointer, where, {}, is_key, {}, {}, false});
  }

  void close_collection() {
    Frame frame = std::move(m_stack.back());
    m_stack.pop_back();
    if (!frame.items.empty()) m_sources.add_items(frame.pointer, std::move(frame.items));
    if (frame.is_key) {
      m_stack.back().key = std::string{};
      m_stack.back().drop_value = true;
      return;
    }
    attach(std::move(frame.value));
  }

  static constexpr std::string_view kDropped = "#dropped";

  std::string m_file;
  Diagnostics m_diagnostics;
  std::vector<Frame> m_stack;
  std::optional<nlohmann::json> m_root;
  SourceMap m_sources;
};

// Feeds the fast scanner's events to a builder as yaml-cpp's parser would.
void replay(const std::vector<BlockYamlEvent>& events, DocumentBuilder& builder) {
  static const std::string kPlain = "?";
  static const std::string kQuoted = "!";
  builder.OnDocumentStart(YAML::Mark());
  std::string text;
  for (const BlockYamlEvent& event : events) {
    YAML::Mark mark;
    mark.line = event.line;
    mark.column = event.column;
    switch (event.type) {
      case BlockYamlEvent::Type::map_start:
        builder.OnMapStart(mark, kPlain, YAML::NullAnchor, YAML::EmitterStyle::Block);
        break;
      case BlockYamlEvent::Type::map_end: builder.OnMapEnd(); break;
      case BlockYamlEvent::Type::sequence_start:
        builder.OnSequenceStart(mark, kPlain, YAML::NullAnchor, YAML::EmitterStyle::Block);
        break;
      case BlockYamlEvent::Type::sequence_end: builder.OnSequenceEnd(); break;
      case BlockYamlEvent::Type::scalar:
        text.assign(event.text);
        builder.OnScalar(mark, event.quoted ? kQuoted : kPlain, YAML::NullAnchor, text);
        break;
    }
  }
  builder.OnDocumentEnd();
}

}  // namespace

YamlFile parse_yaml(const std::string& text, const std::string& file) {
  auto documents = scan_block_yaml(text);
  if (!documents) return parse_yaml_with_yaml_cpp(text, file);
  YamlFile out;
  for (const std::vector<BlockYamlEvent>& events : *documents) {
    DocumentBuilder builder(file);
    replay(events, builder);
    std::optional<YamlDocument> document = builder.take();
    for (Error& error : builder.take_diagnostics()) out.diagnostics.push_back(std::move(error));
    if (document) out.documents.push_back(std::move(*document));
  }
  return out;
}

YamlFile parse_yaml_with_yaml_cpp(const std::string& text, const std::string& file) {
  YamlFile out;
  std::istringstream stream(text);
  try {
    YAML::Parser parser(stream);
    while (true) {
      DocumentBuilder builder(file);
      if (!parser.HandleNextDocument(builder)) break;
      std::optional<YamlDocument> document = builder.take();
      for (Error& error : builder.take_diagnostics()) out.diagnostics.push_back(std::move(error));
      if (document) out.documents.push_back(std::move(*document));
    }
  } catch (const YAML::Exception& error) {
    out.complete = false;
    out.diagnostics.push_back(
        Error{"YAML syntax error: " + error.msg, {}, {}, location_of(file, error.mark)});
  }
  return out;
}

}  // namespace idform::config
