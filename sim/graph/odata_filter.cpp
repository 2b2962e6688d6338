// The OData $filter subset Graph accepts on the collections idp-sim serves.
#include "graph/odata_filter.hpp"

#include <cctype>
#include <map>

#include "core/http_types.hpp"
#include "graph/csdl.hpp"

namespace idp_sim::graph {

namespace {

struct Token {
  enum class Kind { identifier, string, bare, punct, end };
  Kind kind = Kind::end;
  std::string text;
};

std::vector<Token> tokenize(const std::string& text, std::string& error) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '\'') {
      std::string value;
      ++i;
      bool closed = false;
      while (i < text.size()) {
        if (text[i] == '\'') {
          if (i + 1 < text.size() && text[i + 1] == '\'') {
            value.push_back('\'');
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        value.push_back(text[i++]);
      }
      if (!closed) {
        error = "unterminated string literal";
        return {};
      }
      tokens.push_back({Token::Kind::string, value});
    } else if (c == '(' || c == ')' || c == ',' || c == ':' || c == '/') {
      tokens.push_back({Token::Kind::punct, std::string(1, c)});
      ++i;
    } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '-') {
      std::size_t start = i;
      while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '-' ||
                                 text[i] == ':' || text[i] == '.' || text[i] == '+')) {
        ++i;
      }
      tokens.push_back({Token::Kind::bare, text.substr(start, i - start)});
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '@' || c == '$') {
      std::size_t start = i;
      while (i < text.size() &&
             (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_' || text[i] == '.' ||
              text[i] == '@' || text[i] == '$' || text[i] == '-')) {
        ++i;
      }
      std::string word = text.substr(start, i - start);
      // An unquoted GUID that starts with a letter: keep it as a literal.
      tokens.push_back({word.size() == 36 && word[8] == '-' ? Token::Kind::bare : Token::Kind::identifier, word});
    } else {
      error = std::string("unexpected character '") + c + "'";
      return {};
    }
  }
  tokens.push_back({Token::Kind::end, ""});
  return tokens;
}

class Parser {
public:
  Parser(std::vector<Token> tokens, ParsedFilter& out) : m_tokens(std::move(tokens)), m_out(out) {}

  bool parse(FilterNode& root, std::string& error) {
    if (!parse_or(root, error)) return false;
    if (peek().kind != Token::Kind::end) {
      error = "unexpected '" + peek().text + "'";
      return false;
    }
    return true;
  }

private:
  const Token& peek(std::size_t ahead = 0) const {
    return m_tokens[std::min(m_position + ahead, m_tokens.size() - 1)];
  }
  Token next() { return m_tokens[std::min(m_position++, m_tokens.size() - 1)]; }
  bool is_word(const Token& token, const char* word) const {
    return token.kind == Token::Kind::identifier && iequals(token.text, word);
  }
  bool expect(const char* punct, std::string& error) {
    if (peek().kind == Token::Kind::punct && peek().text == punct) {
      ++m_position;
      return true;
    }
    error = std::string("expected '") + punct + "' but found '" + peek().text + "'";
    return false;
  }

  bool parse_or(FilterNode& node, std::string& error) {
    FilterNode left;
    if (!parse_and(left, error)) return false;
    while (is_word(peek(), "or")) {
      next();
      m_out.operators.insert("or");
      FilterNode right;
      if (!parse_and(right, error)) return false;
      FilterNode combined;
      combined.kind = FilterNode::Kind::logical_or;
      combined.children = {std::move(left), std::move(right)};
      left = std::move(combined);
    }
    node = std::move(left);
    return true;
  }

  bool parse_and(FilterNode& node, std::string& error) {
    FilterNode left;
    if (!parse_unary(left, error)) return false;
    while (is_word(peek(), "and")) {
      next();
      m_out.operators.insert("and");
      FilterNode right;
      if (!parse_unary(right, error)) return false;
      FilterNode combined;
      combined.kind = FilterNode::Kind::logical_and;
      combined.children = {std::move(left), std::move(right)};
      left = std::move(combined);
    }
    node = std::move(left);
    return true;
  }

  bool parse_unary(FilterNode& node, std::string& error) {
    if (is_word(peek(), "not")) {
      next();
      m_out.operators.insert("not");
      FilterNode inner;
      if (!parse_unary(inner, error)) return false;
      node.kind = FilterNode::Kind::logical_not;
      node.children = {std::move(inner)};
      return true;
    }
    return parse_comparison(node, error);
  }

  bool parse_comparison(FilterNode& node, std::string& error) {
    FilterNode left;
    if (!parse_operand(left, error)) return false;
    static const std::set<std::string> kOperators = {"eq", "ne", "gt", "ge", "lt", "le"};
    if (peek().kind == Token::Kind::identifier && kOperators.count(to_lower(peek().text))) {
      std::string op = to_lower(next().text);
      m_out.operators.insert(op);
      FilterNode right;
      if (!parse_operand(right, error)) return false;
      node.kind = FilterNode::Kind::compare;
      node.op = op;
      node.children = {std::move(left), std::move(right)};
      return true;
    }
    if (is_word(peek(), "in")) {
      next();
      m_out.operators.insert("in");
      if (!expect("(", error)) return false;
      node.kind = FilterNode::Kind::in;
      node.children.push_back(std::move(left));
      while (true) {
        FilterNode value;
        if (!parse_literal(value, error)) return false;
        node.children.push_back(std::move(value));
        if (peek().kind == Token::Kind::punct && peek().text == ",") {
          next();
          continue;
        }
        break;
      }
      return expect(")", error);
    }
    node = std::move(left);
    return true;
  }

  bool parse_literal(FilterNode& node, std::string& error) {
    const Token& token = peek();
    node.kind = FilterNode::Kind::literal;
    if (token.kind == Token::Kind::string) {
      node.value = next().text;
      return true;
    }
    if (token.kind == Token::Kind::bare) {
      std::string text = next().text;
      char* end = nullptr;
      double number = std::strtod(text.c_str(), &end);
      if (*end == '\0' && !text.empty()) {
        if (text.find_first_of(".eE") == std::string::npos) {
          node.value = static_cast<long long>(number);
        } else {
          node.value = number;
        }
      } else {
        node.value = text;  // GUID or date-time literal
      }
      return true;
    }
    if (is_word(token, "true") || is_word(token, "false")) {
      node.value = iequals(next().text, "true");
      return true;
    }
    if (is_word(token, "null")) {
      next();
      node.value = nullptr;
      return true;
    }
    error = "expected a literal but found '" + token.text + "'";
    return false;
  }

  bool parse_operand(FilterNode& node, std::string& error) {
    const Token& token = peek();
    if (token.kind == Token::Kind::punct && token.text == "(") {
      next();
      if (!parse_or(node, error)) return false;
      return expect(")", error);
    }
    if (token.kind == Token::Kind::string || token.kind == Token::Kind::bare || is_word(token, "true") ||
        is_word(token, "false") || is_word(token, "null")) {
      return parse_literal(node, error);
    }
    if (token.kind != Token::Kind::identifier) {
      error = "unexpected '" + token.text + "'";
      return false;
    }
    static const std::set<std::string> kFunctions = {"startswith", "endswith", "contains", "isof", "tolower",
                                                     "toupper"};
    if (kFunctions.count(to_lower(token.text)) && peek(1).kind == Token::Kind::punct && peek(1).text == "(") {
      node.kind = FilterNode::Kind::call;
      node.op = to_lower(next().text);
      m_out.operators.insert(node.op);
      next();  // (
      while (!(peek().kind == Token::Kind::punct && peek().text == ")")) {
        FilterNode argument;
        if (!parse_operand(argument, error)) return false;
        node.children.push_back(std::move(argument));
        if (peek().kind == Token::Kind::punct && peek().text == ",") next();
        else break;
      }
      return expect(")", error);
    }
    // A property path, possibly ending in a lambda.
    node.kind = FilterNode::Kind::path;
    node.path.push_back(next().text);
    while (peek().kind == Token::Kind::punct && peek().text == "/") {
      next();
      const Token& segment = peek();
      if (segment.kind != Token::Kind::identifier) {
        error = "expected a property name after '/'";
        return false;
      }
      if ((is_word(segment, "any") || is_word(segment, "all")) && peek(1).kind == Token::Kind::punct &&
          peek(1).text == "(") {
        FilterNode lambda;
        lambda.kind = FilterNode::Kind::lambda;
        lambda.op = to_lower(next().text);
        m_out.operators.insert(lambda.op);
        lambda.path = node.path;
        next();  // (
        if (!(peek().kind == Token::Kind::punct && peek().text == ")")) {
          if (peek().kind != Token::Kind::identifier || !(peek(1).kind == Token::Kind::punct && peek(1).text == ":")) {
            error = "expected 'variable:' in lambda";
            return false;
          }
          lambda.variable = next().text;
          next();  // :
          m_variables.push_back(lambda.variable);
          FilterNode body;
          bool ok = parse_or(body, error);
          m_variables.pop_back();
          if (!ok) return false;
          lambda.children.push_back(std::move(body));
        }
        if (!expect(")", error)) return false;
        record_property(lambda.path);
        node = std::move(lambda);
        return true;
      }
      node.path.push_back(next().text);
    }
    record_property(node.path);
    return true;
  }

  void record_property(const std::vector<std::string>& path) {
    for (const auto& variable : m_variables) {
      if (!path.empty() && path[0] == variable) return;
    }
    for (const auto& segment : path) {
      if (segment.find('.') != std::string::npos) continue;  // type cast
      m_out.properties.insert(segment);
      return;
    }
  }

  std::vector<Token> m_tokens;
  std::size_t m_position = 0;
  ParsedFilter& m_out;
  std::vector<std::string> m_variables;
};

using Variables = std::map<std::string, Json>;

Json evaluate(const FilterNode& node, const Json& object, Variables& variables);

Json resolve_path(const std::vector<std::string>& path, const Json& object, const Variables& variables) {
  const Json* current = &object;
  std::size_t start = 0;
  if (!path.empty()) {
    auto it = variables.find(path[0]);
    if (it != variables.end()) {
      current = &it->second;
      start = 1;
    }
  }
  for (std::size_t i = start; i < path.size(); ++i) {
    const std::string& segment = path[i];
    if (segment.find('.') != std::string::npos) {
      // Type cast: the object must be of that type.
      std::string type = current->is_object() ? current->value("@odata.type", "") : "";
      if (CsdlModel::strip_namespace(type) != CsdlModel::strip_namespace(segment)) return nullptr;
      continue;
    }
    if (!current->is_object() || !current->contains(segment)) return nullptr;
    current = &(*current)[segment];
  }
  return *current;
}

int compare_values(const Json& a, const Json& b, bool& comparable) {
  comparable = true;
  if (a.is_string() && b.is_string()) {
    std::string x = to_lower(a.get<std::string>()), y = to_lower(b.get<std::string>());
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.is_number() && b.is_number()) {
    double x = a.get<double>(), y = b.get<double>();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.is_boolean() && b.is_boolean()) return a.get<bool>() == b.get<bool>() ? 0 : (a.get<bool>() ? 1 : -1);
  if (a.is_null() && b.is_null()) return 0;
  comparable = false;
  return 0;
}

bool truthy(const Json& value) { return value.is_boolean() && value.get<bool>(); }

Json evaluate(const FilterNode& node, const Json& object, Variables& variables) {
  switch (node.kind) {
    case FilterNode::Kind::literal:
      return node.value;
    case FilterNode::Kind::path:
      return resolve_path(node.path, object, variables);
    case FilterNode::Kind::logical_and:
      return truthy(evaluate(node.children[0], object, variables)) && truthy(evaluate(node.children[1], object, variables));
    case FilterNode::Kind::logical_or:
      return truthy(evaluate(node.children[0], object, variables)) || truthy(evaluate(node.children[1], object, variables));
    case FilterNode::Kind::logical_not:
      return !truthy(evaluate(node.children[0], object, variables));
    case FilterNode::Kind::compare: {
      Json left = evaluate(node.children[0], object, variables);
      Json right = evaluate(node.children[1], object, variables);
      bool comparable = false;
      int order = compare_values(left, right, comparable);
      if (node.op == "eq") return comparable && order == 0;
      if (node.op == "ne") return !comparable || order != 0;
      if (!comparable) return false;
      if (node.op == "gt") return order > 0;
      if (node.op == "ge") return order >= 0;
      if (node.op == "lt") return order < 0;
      return order <= 0;
    }
    case FilterNode::Kind::in: {
      Json left = evaluate(node.children[0], object, variables);
      for (std::size_t i = 1; i < node.children.size(); ++i) {
        bool comparable = false;
        if (compare_values(left, node.children[i].value, comparable) == 0 && comparable) return true;
      }
      return false;
    }
    case FilterNode::Kind::call: {
      std::vector<Json> arguments;
      for (const auto& child : node.children) arguments.push_back(evaluate(child, object, variables));
      if (node.op == "isof") {
        // isof('type') tests the current object; isof(path, 'type') tests a property.
        const Json& target = arguments.size() >= 2 ? arguments[0] : object;
        const Json& type = arguments.empty() ? Json() : arguments.back();
        if (!type.is_string() || !target.is_object()) return false;
        return CsdlModel::strip_namespace(target.value("@odata.type", "")) ==
               CsdlModel::strip_namespace(type.get<std::string>());
      }
      if (node.op == "tolower" || node.op == "toupper") {
        if (arguments.empty() || !arguments[0].is_string()) return nullptr;
        return node.op == "tolower" ? to_lower(arguments[0].get<std::string>()) : arguments[0].get<std::string>();
      }
      if (arguments.size() != 2 || !arguments[0].is_string() || !arguments[1].is_string()) return false;
      std::string text = to_lower(arguments[0].get<std::string>());
      std::string part = to_lower(arguments[1].get<std::string>());
      if (node.op == "startswith") return text.rfind(part, 0) == 0;
      if (node.op == "endswith") return text.size() >= part.size() && text.compare(text.size() - part.size(), part.size(), part) == 0;
      return text.find(part) != std::string::npos;  // contains
    }
    case FilterNode::Kind::lambda: {
      Json collection = resolve_path(node.path, object, variables);
      if (!collection.is_array()) return false;
      if (node.children.empty()) return node.op == "any" ? !collection.empty() : true;
      bool any = false, all = true;
      for (const auto& element : collection) {
        variables[node.variable] = element;
        bool result = truthy(evaluate(node.children[0], object, variables));
        any = any || result;
        all = all && result;
      }
      variables.erase(node.variable);
      return node.op == "any" ? any : all;
    }
  }
  return false;
}

}  // namespace

std::optional<ParsedFilter> parse_filter(const std::string& text, std::string& error) {
  auto tokens = tokenize(text, error);
  if (tokens.empty()) return std::nullopt;
  ParsedFilter parsed;
  Parser parser(std::move(tokens), parsed);
  if (!parser.parse(parsed.root, error)) return std::nullopt;
  return parsed;
}

bool filter_matches(const FilterNode& root, const Json& object) {
  Variables variables;
  return truthy(evaluate(root, object, variables));
}

std::size_t largest_in_list(const FilterNode& root) {
  std::size_t largest = root.kind == FilterNode::Kind::in ? root.children.size() - 1 : 0;
  for (const auto& child : root.children) largest = std::max(largest, largest_in_list(child));
  return largest;
}

}  // namespace idp_sim::graph
