// The scanner works in two steps. Each line is classified on its own: a document start (`---`),
// a sequence entry (`- value`, or `- key: value` opening a mapping), a mapping key (`key:` or `key: value`), or a blank or comment line
// (skipped); anything else rejects the file. Then a recursive descent over the classified lines
// rebuilds the nesting from the indentation — a key's value is on its line (a scalar or a flow
// list of scalars) or is the deeper block that follows — emitting yaml-cpp's events: a mapping or sequence starts at its first key
// or `-` (a flow list at its `[`), a scalar at its first character (a quoted one at its quote). A key with no value, an
// entry at its key's own indentation, or an indentation the block does not expect rejects the
// file as well, because yaml-cpp reports those with marks of its own.

#include "reconciler/config/block_yaml.hpp"

namespace idform::config {
namespace {

using Event = BlockYamlEvent;
using Type = BlockYamlEvent::Type;

struct Line {
  enum class Kind { document_start, entry, key };
  Kind kind = Kind::key;
  int number = 0;  // 0-based
  int indent = 0;
  std::string_view key;    // key lines
  std::string_view value;  // the value on the line; empty for `key:`
  int value_column = 0;
};

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// Characters a plain scalar may hold here: printable ASCII without YAML's indicators (except '@',
// which only matters first, and ':', checked apart).
bool is_plain_char(char c) {
  if (c < 0x20 || c > 0x7e) return false;
  switch (c) {
    case '#': case '"': case '\'': case '`': case '{': case '}': case '[': case ']': case ',':
    case '&': case '*': case '!': case '|': case '>': case '%': case '\\':
      return false;
    default:
      return true;
  }
}

// yaml-cpp reports these plain scalars as nulls, with marks of its own.
bool is_null_word(std::string_view text) {
  return text == "~" || text == "null" || text == "Null" || text == "NULL";
}

std::optional<Event> scalar_at(std::string_view value, int line, int column) {
  if (value.empty()) return std::nullopt;
  if (value.front() == '"') {
    if (value.size() < 2 || value.back() != '"') return std::nullopt;
    std::string_view inner = value.substr(1, value.size() - 2);
    if (inner.find_first_of("\"\\") != std::string_view::npos) return std::nullopt;
    return Event{Type::scalar, line, column, true, inner};
  }
  char first = value.front();
  if (!is_alnum(first) && first != '_' && first != '.' && first != '/') return std::nullopt;
  if (value.back() == ' ' || is_null_word(value)) return std::nullopt;
  for (std::size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c == ':' && (i + 1 == value.size() || value[i + 1] == ' ')) return std::nullopt;
    if (!is_plain_char(c)) return std::nullopt;
  }
  return Event{Type::scalar, line, column, false, value};
}

// A mapping key line's key and value, `content` starting at column `indent`; nullopt when it is
// not one.
std::optional<Line> key_line(std::string_view content, int indent, int number) {
  std::size_t end = 0;
  while (end < content.size() && (is_alnum(content[end]) || content[end] == '_' || content[end] == '-')) ++end;
  if (end == 0 || end == content.size() || content[end] != ':') return std::nullopt;
  Line line;
  line.kind = Line::Kind::key;
  line.number = number;
  line.indent = indent;
  line.key = content.substr(0, end);
  if (is_null_word(line.key)) return std::nullopt;
  std::string_view rest = content.substr(end + 1);
  if (!rest.empty()) {
    if (rest.front() != ' ') return std::nullopt;
    std::size_t start = rest.find_first_not_of(' ');
    if (start == std::string_view::npos) return std::nullopt;  // trailing spaces
    line.value = rest.substr(start);
    line.value_column = static_cast<int>(indent + end + 1 + start);
  }
  return line;
}

// Classifies one line into `out` (nothing for a blank or comment line); false rejects the file.
// An entry that opens a mapping (`- group: x`) is two lines: the entry, with no value, and the
// mapping's first key at the column it starts in.
bool classify(std::string_view text, int number, std::vector<Line>& out) {
  std::size_t indent = text.find_first_not_of(' ');
  if (indent == std::string_view::npos || text[indent] == '#') return true;
  std::string_view content = text.substr(indent);
  Line line;
  line.number = number;
  line.indent = static_cast<int>(indent);
  if (content.starts_with("---") || content.starts_with("...")) {
    if (indent != 0 || content != "---") return false;
    line.kind = Line::Kind::document_start;
    out.push_back(line);
    return true;
  }
  if (content.front() == '-') {
    if (content.size() < 2 || content[1] != ' ') return false;
    std::size_t start = content.find_first_not_of(' ', 2);
    if (start == std::string_view::npos) return false;
    line.kind = Line::Kind::entry;
    const int column = static_cast<int>(indent + start);
    if (auto key = key_line(content.substr(start), column, number)) {
      out.push_back(line);
      out.push_back(*key);
      return true;
    }
    line.value = content.substr(start);
    line.value_column = column;
    out.push_back(line);
    return true;
  }
  auto key = key_line(content, line.indent, number);
  if (!key) return false;
  out.push_back(*key);
  return true;
}

class Descent {
 public:
  Descent(const std::vector<Line>& lines, std::size_t begin, std::size_t end, std::vector<Event>& out)
      : m_lines(lines), m_next(begin), m_end(end), m_out(out) {}

  bool document() {
    if (m_next == m_end || line().kind != Line::Kind::key || line().indent != 0) return false;
    return mapping(0) && m_next == m_end;
  }

 private:
  const Line& line() const { return m_lines[m_next]; }

  bool mapping(int indent) {
    m_out.push_back({Type::map_start, line().number, indent, false, {}});
    while (m_next < m_end && line().indent == indent && line().kind == Line::Kind::key) {
      const Line& key = line();
      m_out.push_back({Type::scalar, key.number, indent, false, key.key});
      ++m_next;
      if (!key.value.empty()) {
        if (key.value.front() == '[') {
          if (!flow_sequence(key.value, key.number, key.value_column)) return false;
          continue;
        }
        auto value = scalar_at(key.value, key.number, key.value_column);
        if (!value) return false;
        m_out.push_back(*value);
        continue;
      }
      if (m_next == m_end || line().indent <= indent) return false;
      bool nested = line().kind == Line::Kind::entry ? sequence(line().indent) : mapping(line().indent);
      if (!nested) return false;
    }
    if (m_next < m_end && line().indent >= indent) return false;
    m_out.push_back({Type::map_end, 0, 0, false, {}});
    return true;
  }

  bool sequence(int indent) {
    m_out.push_back({Type::sequence_start, line().number, indent, false, {}});
    while (m_next < m_end && line().indent == indent && line().kind == Line::Kind::entry) {
      const Line& entry = line();
      ++m_next;
      if (entry.value.empty()) {  // a mapping: its first key follows, on the entry's own line
        if (!mapping(line().indent)) return false;
        continue;
      }
      auto value = scalar_at(entry.value, entry.number, entry.value_column);
      if (!value) return false;
      m_out.push_back(*value);
    }
    if (m_next < m_end && line().indent >= indent) return false;
    m_out.push_back({Type::sequence_end, 0, 0, false, {}});
    return true;
  }

  // `[a, "b c"]` as a key's value: scalars the block form accepts, each followed by `, ` or by
  // the closing bracket that ends the line; `[]` is an empty list. Spaces anywhere else, and
  // anything nested, reject the file.
  bool flow_sequence(std::string_view value, int line, int column) {
    if (value.size() < 2 || value.back() != ']') return false;
    m_out.push_back({Type::sequence_start, line, column, false, {}});
    const std::size_t close = value.size() - 1;
    std::size_t at = 1;
    while (at < close) {
      std::size_t end = value.find_first_of(",]", at);
      if (value[at] == '"') {
        std::size_t quote = value.find('"', at + 1);
        if (quote == std::string_view::npos || quote >= close) return false;
        end = quote + 1;
      }
      auto item = scalar_at(value.substr(at, end - at), line, column + static_cast<int>(at));
      if (!item) return false;
      m_out.push_back(*item);
      if (end == close) break;
      if (value.substr(end, 2) != ", ") return false;
      at = end + 2;
      if (at >= close) return false;  // `[a, ]`
    }
    m_out.push_back({Type::sequence_end, 0, 0, false, {}});
    return true;
  }

  const std::vector<Line>& m_lines;
  std::size_t m_next;
  std::size_t m_end;
  std::vector<Event>& m_out;
};

}  // namespace

std::optional<std::vector<std::vector<BlockYamlEvent>>> scan_block_yaml(std::string_view text) {
  for (char c : text)
    if ((c < 0x20 || c > 0x7e) && c != '\n') return std::nullopt;

  std::vector<Line> lines;
  int number = 0;
  for (std::size_t start = 0; start < text.size(); ++number) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (!classify(text.substr(start, end - start), number, lines)) return std::nullopt;
    start = end + 1;
  }

  std::vector<std::vector<BlockYamlEvent>> documents;
  std::size_t begin = 0;
  bool explicit_start = false;
  while (begin < lines.size() || explicit_start) {
    std::size_t end = begin;
    while (end < lines.size() && lines[end].kind != Line::Kind::document_start) ++end;
    // Nothing before the first `---` is no document; an empty one after a `---` is yaml-cpp's.
    if (end == begin && !explicit_start) {
      explicit_start = true;
      begin = end + 1;
      continue;
    }
    std::vector<BlockYamlEvent> events;
    if (!Descent(lines, begin, end, events).document()) return std::nullopt;
    documents.push_back(std::move(events));
    explicit_start = end < lines.size();
    begin = end + 1;
  }
  return documents;
}

}  // namespace idform::config
