// A recursive-descent parser for filter rules: or-expression := and-expression (-or and-expression)*,
// and-expression := term (-and term)*, term := ( or-expression ) | PROPERTY OPERATOR VALUE.
#include "reconciler/whatif/filter_rule.hpp"

#include <cctype>

#include "reconciler/util/strings.hpp"

namespace idform::whatif {

struct FilterRule::Node {
  enum class Type { all_of, any_of, compare } type = Type::compare;
  std::vector<std::shared_ptr<const Node>> children;
  std::string property, op;  // op lower-cased, without the dash
  std::vector<std::string> values;
};

namespace {

using Node = FilterRule::Node;
using NodePtr = std::shared_ptr<const Node>;

class Parser {
 public:
  explicit Parser(const std::string& text) : m_text(text) {}

  Result<NodePtr> parse() {
    NodePtr root = IDFORM_TRY(or_expression());
    skip_space();
    if (m_at != m_text.size()) return error("unexpected \"" + m_text.substr(m_at, 20) + "\"");
    return root;
  }

 private:
  std::unexpected<Error> error(const std::string& what) const {
    return fail("filter rule: " + what + " at character " + std::to_string(m_at + 1));
  }
  void skip_space() {
    while (m_at < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_at]))) ++m_at;
  }
  // The next word: an operator (-eq), a property (device.x), a bare value (True) or a bracket.
  std::string peek_word() {
    skip_space();
    size_t end = m_at;
    while (end < m_text.size() && !std::isspace(static_cast<unsigned char>(m_text[end])) && m_text[end] != '(' &&
           m_text[end] != ')' && m_text[end] != ',' && m_text[end] != ']' && m_text[end] != '[')
      ++end;
    return m_text.substr(m_at, end - m_at);
  }
  bool take_keyword(const std::string& keyword) {
    std::string word = peek_word();
    if (!util::iequals(word, keyword)) return false;
    m_at += word.size();
    return true;
  }
  bool take_char(char c) {
    skip_space();
    if (m_at < m_text.size() && m_text[m_at] == c) {
      ++m_at;
      return true;
    }
    return false;
  }

  Result<NodePtr> or_expression() {
    auto node = std::make_shared<Node>();
    node->type = Node::Type::any_of;
    node->children.push_back(IDFORM_TRY(and_expression()));
    while (take_keyword("-or")) node->children.push_back(IDFORM_TRY(and_expression()));
    return node->children.size() == 1 ? node->children.front() : NodePtr(node);
  }
  Result<NodePtr> and_expression() {
    auto node = std::make_shared<Node>();
    node->type = Node::Type::all_of;
    node->children.push_back(IDFORM_TRY(term()));
    while (take_keyword("-and")) node->children.push_back(IDFORM_TRY(term()));
    return node->children.size() == 1 ? node->children.front() : NodePtr(node);
  }
  Result<NodePtr> term() {
    if (take_char('(')) {
      NodePtr inner = IDFORM_TRY(or_expression());
      if (!take_char(')')) return error("expected )");
      return inner;
    }
    auto node = std::make_shared<Node>();
    node->property = peek_word();
    if (node->property.empty() || node->property.find('.') == std::string::npos)
      return error("expected a property such as device.isCompliant");
    m_at += node->property.size();
    std::string op = peek_word();
    static const char* kOperators[] = {"-eq", "-ne", "-startswith", "-notstartswith", "-endswith",
                                       "-notendswith", "-contains", "-notcontains", "-in", "-notin"};
    bool known = false;
    for (const char* candidate : kOperators) known = known || util::iequals(op, candidate);
    if (!known) return error("unknown operator \"" + op + "\"");
    m_at += op.size();
    node->op = util::to_lower(op.substr(1));
    if (node->op == "in" || node->op == "notin") {
      if (!take_char('[')) return error("expected [ after -" + node->op);
      do node->values.push_back(IDFORM_TRY(value()));
      while (take_char(','));
      if (!take_char(']')) return error("expected ]");
    } else {
      node->values.push_back(IDFORM_TRY(value()));
    }
    return NodePtr(node);
  }
  Result<std::string> value() {
    skip_space();
    if (m_at < m_text.size() && (m_text[m_at] == '"' || m_text[m_at] == '\'')) {
      char quote = m_text[m_at++];
      size_t end = m_text.find(quote, m_at);
      if (end == std::string::npos) return error("unterminated string");
      std::string out = m_text.substr(m_at, end - m_at);
      m_at = end + 1;
      return out;
    }
    std::string word = peek_word();
    if (word.empty()) return error("expected a value");
    m_at += word.size();
    return word;
  }

  const std::string& m_text;
  size_t m_at = 0;
};

bool compare(const Node& node, const std::string* actual) {
  const std::string& op = node.op;
  bool negated = op == "ne" || op.starts_with("not");
  if (!actual) return negated;
  std::string have = util::to_lower(*actual);
  auto test = [&](const std::string& raw) {
    std::string want = util::to_lower(raw);
    if (op == "eq" || op == "ne" || op == "in" || op == "notin") return have == want;
    if (op == "startswith" || op == "notstartswith") return have.starts_with(want);
    if (op == "endswith" || op == "notendswith") return have.ends_with(want);
    return have.find(want) != std::string::npos;  // contains / notcontains
  };
  bool hit = false;
  for (const std::string& value : node.values) hit = hit || test(value);
  return negated ? !hit : hit;
}

bool evaluate(const Node& node, const std::map<std::string, std::string>& properties) {
  switch (node.type) {
    case Node::Type::all_of:
      for (const auto& child : node.children)
        if (!evaluate(*child, properties)) return false;
      return true;
    case Node::Type::any_of:
      for (const auto& child : node.children)
        if (evaluate(*child, properties)) return true;
      return false;
    case Node::Type::compare: {
      // Property names compare case-insensitively too (device.isCompliant = device.iscompliant).
      for (const auto& [name, value] : properties)
        if (util::iequals(name, node.property)) return compare(node, &value);
      return compare(node, nullptr);
    }
  }
  return false;
}

}  // namespace

Result<FilterRule> FilterRule::parse(const std::string& text) {
  FilterRule rule;
  rule.m_root = IDFORM_TRY(Parser(text).parse());
  return rule;
}

bool FilterRule::matches(const std::map<std::string, std::string>& properties) const {
  return m_root && evaluate(*m_root, properties);
}

}  // namespace idform::whatif
