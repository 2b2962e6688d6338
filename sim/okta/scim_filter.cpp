// A recursive-descent parser for Okta filter expressions into a small tree, and its evaluation
// against vendor JSON. Grammar (precedence low to high):
//   or_expr  := and_expr ("or" and_expr)*
//   and_expr := unary ("and" unary)*
//   unary    := "not" unary | "(" or_expr ")" | comparison
//   comparison := path "pr" | path op literal      literal := "string" | number | true | false | null
#include "okta/scim_filter.hpp"

#include <cctype>
#include <vector>

#include "core/http_types.hpp"

namespace idp_sim::okta {

struct FilterExpression::Node {
  enum class Kind { logical_and, logical_or, logical_not, compare };
  Kind kind = Kind::compare;
  std::vector<std::unique_ptr<Node>> children;
  std::string path;
  std::string op;
  Json literal;
};

namespace {

using Node = FilterExpression::Node;

struct Token {
  enum class Kind { word, string, open, close, end };
  Kind kind = Kind::end;
  std::string text;
};

class Lexer {
public:
  explicit Lexer(const std::string& text) : m_text(text) {}

  bool tokenize(std::vector<Token>& out, std::string& error) {
    std::size_t i = 0;
    while (i < m_text.size()) {
      char c = m_text[i];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
      } else if (c == '(' || c == ')') {
        out.push_back({c == '(' ? Token::Kind::open : Token::Kind::close, std::string(1, c)});
        ++i;
      } else if (c == '"') {
        std::string value;
        ++i;
        bool closed = false;
        while (i < m_text.size()) {
          if (m_text[i] == '\\' && i + 1 < m_text.size()) {
            value.push_back(m_text[i + 1]);
            i += 2;
          } else if (m_text[i] == '"') {
            closed = true;
            ++i;
            break;
          } else {
            value.push_back(m_text[i++]);
          }
        }
        if (!closed) {
          error = "unterminated string literal";
          return false;
        }
        out.push_back({Token::Kind::string, value});
      } else {
        std::size_t start = i;
        while (i < m_text.size() && !std::isspace(static_cast<unsigned char>(m_text[i])) && m_text[i] != '(' &&
               m_text[i] != ')' && m_text[i] != '"') {
          ++i;
        }
        out.push_back({Token::Kind::word, m_text.substr(start, i - start)});
      }
    }
    out.push_back({Token::Kind::end, ""});
    return true;
  }

private:
  const std::string& m_text;
};

const std::set<std::string> kAllOperators = {"eq", "ne", "gt", "ge", "lt", "le", "sw", "co", "ew", "pr"};

class Parser {
public:
  Parser(std::vector<Token> tokens, const FilterRules& rules) : m_tokens(std::move(tokens)), m_rules(rules) {}

  std::unique_ptr<Node> parse(std::string& error) {
    auto root = parse_or(error);
    if (root && peek().kind != Token::Kind::end) {
      error = "unexpected '" + peek().text + "'";
      return nullptr;
    }
    return root;
  }

private:
  const Token& peek() const { return m_tokens[m_position]; }
  Token next() { return m_tokens[m_position < m_tokens.size() - 1 ? m_position++ : m_position]; }
  bool next_is_word(const char* word) const {
    return peek().kind == Token::Kind::word && iequals(peek().text, word);
  }

  std::unique_ptr<Node> combine(Node::Kind kind, std::unique_ptr<Node> left, std::unique_ptr<Node> right) {
    auto node = std::make_unique<Node>();
    node->kind = kind;
    node->children.push_back(std::move(left));
    node->children.push_back(std::move(right));
    return node;
  }

  std::unique_ptr<Node> parse_or(std::string& error) {
    auto left = parse_and(error);
    while (left && next_is_word("or")) {
      if (!m_rules.allow_or) {
        error = "'or' is not supported here";
        return nullptr;
      }
      next();
      auto right = parse_and(error);
      if (!right) return nullptr;
      left = combine(Node::Kind::logical_or, std::move(left), std::move(right));
    }
    return left;
  }

  std::unique_ptr<Node> parse_and(std::string& error) {
    auto left = parse_unary(error);
    while (left && next_is_word("and")) {
      next();
      auto right = parse_unary(error);
      if (!right) return nullptr;
      left = combine(Node::Kind::logical_and, std::move(left), std::move(right));
    }
    return left;
  }

  std::unique_ptr<Node> parse_unary(std::string& error) {
    if (next_is_word("not")) {
      next();
      auto inner = parse_unary(error);
      if (!inner) return nullptr;
      auto node = std::make_unique<Node>();
      node->kind = Node::Kind::logical_not;
      node->children.push_back(std::move(inner));
      return node;
    }
    if (peek().kind == Token::Kind::open) {
      next();
      auto inner = parse_or(error);
      if (!inner) return nullptr;
      if (peek().kind != Token::Kind::close) {
        error = "missing ')'";
        return nullptr;
      }
      next();
      return inner;
    }
    return parse_comparison(error);
  }

  bool attribute_allowed(const std::string& path) const {
    if (m_rules.attributes.count(path)) return true;
    for (const auto& allowed : m_rules.attributes) {
      if (allowed.size() > 2 && allowed.ends_with(".*") && path.rfind(allowed.substr(0, allowed.size() - 1), 0) == 0) {
        return true;
      }
    }
    return false;
  }

  std::unique_ptr<Node> parse_comparison(std::string& error) {
    Token path = next();
    if (path.kind != Token::Kind::word) {
      error = path.kind == Token::Kind::end ? "expression ends too early" : "expected an attribute name";
      return nullptr;
    }
    Token op = next();
    std::string op_name = to_lower(op.text);
    if (op.kind != Token::Kind::word || !kAllOperators.count(op_name)) {
      error = "expected an operator after '" + path.text + "'";
      return nullptr;
    }
    if (!attribute_allowed(path.text)) {
      error = "attribute '" + path.text + "' cannot be used here";
      return nullptr;
    }
    if (!m_rules.operators.count(op_name)) {
      error = "operator '" + op_name + "' is not supported here";
      return nullptr;
    }
    if (auto limited = m_rules.operator_attributes.find(op_name);
        limited != m_rules.operator_attributes.end() && !limited->second.count(path.text)) {
      error = "operator '" + op_name + "' is not supported for '" + path.text + "'";
      return nullptr;
    }
    auto node = std::make_unique<Node>();
    node->path = path.text;
    node->op = op_name;
    if (op_name == "pr") return node;
    Token literal = next();
    if (literal.kind == Token::Kind::string) {
      node->literal = literal.text;
    } else if (literal.kind == Token::Kind::word && (literal.text == "true" || literal.text == "false")) {
      node->literal = literal.text == "true";
    } else if (literal.kind == Token::Kind::word && literal.text == "null") {
      node->literal = nullptr;
    } else if (literal.kind == Token::Kind::word) {
      char* end = nullptr;
      double number = std::strtod(literal.text.c_str(), &end);
      if (literal.text.empty() || *end != '\0') {
        error = "value '" + literal.text + "' must be quoted";
        return nullptr;
      }
      node->literal = number;
    } else {
      error = "expected a value after '" + op_name + "'";
      return nullptr;
    }
    return node;
  }

  std::vector<Token> m_tokens;
  std::size_t m_position = 0;
  const FilterRules& m_rules;
};

int compare_values(const Json& actual, const Json& literal, bool& comparable) {
  comparable = true;
  if (actual.is_string() && literal.is_string()) {
    std::string a = to_lower(actual.get<std::string>());
    std::string b = to_lower(literal.get<std::string>());
    return a < b ? -1 : (a > b ? 1 : 0);
  }
  if (actual.is_number() && literal.is_number()) {
    double a = actual.get<double>(), b = literal.get<double>();
    return a < b ? -1 : (a > b ? 1 : 0);
  }
  if (actual.is_boolean() && literal.is_boolean()) return actual.get<bool>() == literal.get<bool>() ? 0 : 1;
  if (actual.is_null() && literal.is_null()) return 0;
  comparable = false;
  return 1;
}

bool compare_one(const Json& actual, const Node& node) {
  if (node.op == "sw" || node.op == "co" || node.op == "ew") {
    if (!actual.is_string() || !node.literal.is_string()) return false;
    std::string a = to_lower(actual.get<std::string>());
    std::string b = to_lower(node.literal.get<std::string>());
    if (node.op == "sw") return a.rfind(b, 0) == 0;
    if (node.op == "ew") return a.size() >= b.size() && a.compare(a.size() - b.size(), b.size(), b) == 0;
    return a.find(b) != std::string::npos;
  }
  bool comparable = false;
  int order = compare_values(actual, node.literal, comparable);
  if (node.op == "eq") return comparable && order == 0;
  if (node.op == "ne") return !comparable || order != 0;
  if (!comparable) return false;
  if (node.op == "gt") return order > 0;
  if (node.op == "ge") return order >= 0;
  if (node.op == "lt") return order < 0;
  return order <= 0;  // le
}

bool evaluate(const Node& node, const Json& object) {
  switch (node.kind) {
    case Node::Kind::logical_and:
      return evaluate(*node.children[0], object) && evaluate(*node.children[1], object);
    case Node::Kind::logical_or:
      return evaluate(*node.children[0], object) || evaluate(*node.children[1], object);
    case Node::Kind::logical_not:
      return !evaluate(*node.children[0], object);
    case Node::Kind::compare:
      break;
  }
  std::optional<Json> actual = value_at_path(object, node.path);
  if (node.op == "pr") return actual && !actual->is_null();
  if (!actual) return node.op == "ne" || (node.op == "eq" && node.literal.is_null());
  if (actual->is_array()) {  // multi-valued attribute: any element may match
    for (const auto& element : *actual) {
      if (compare_one(element, node)) return true;
    }
    return false;
  }
  return compare_one(*actual, node);
}

}  // namespace

std::optional<Json> value_at_path(const Json& object, const std::string& path) {
  if (path == "source.id") {  // APP_GROUP source app: _links.source.href ends with the app id
    auto href = value_at_path(object, "_links.source.href");
    if (!href || !href->is_string()) return std::nullopt;
    std::string text = href->get<std::string>();
    return Json(text.substr(text.rfind('/') + 1));
  }
  const Json* current = &object;
  for (const auto& part : split(path, '.')) {
    if (!current->is_object()) return std::nullopt;
    auto it = current->find(part);
    if (it == current->end()) return std::nullopt;
    current = &*it;
  }
  return *current;
}

FilterExpression::FilterExpression(std::unique_ptr<Node> root) : m_root(std::move(root)) {}
FilterExpression::FilterExpression(FilterExpression&&) noexcept = default;
FilterExpression& FilterExpression::operator=(FilterExpression&&) noexcept = default;
FilterExpression::~FilterExpression() = default;

std::optional<FilterExpression> FilterExpression::parse(const std::string& text, const FilterRules& rules,
                                                        std::string& error) {
  std::vector<Token> tokens;
  if (!Lexer(text).tokenize(tokens, error)) return std::nullopt;
  auto root = Parser(std::move(tokens), rules).parse(error);
  if (!root) return std::nullopt;
  return FilterExpression(std::move(root));
}

bool FilterExpression::matches(const Json& object) const { return evaluate(*m_root, object); }

}  // namespace idp_sim::okta
