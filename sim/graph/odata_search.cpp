// $search for directory objects: parsing the quoted clauses and matching them (see the header
// for the rules and their source).
#include "graph/odata_search.hpp"

#include <cctype>

#include "core/http_types.hpp"

namespace idp_sim::graph {

namespace {

bool is_tokenized(const std::string& property) { return iequals(property, "displayName") || iequals(property, "description"); }

// Words of a tokenized property, lower case: "WebApp2Prod-EU" -> web, app, 2, prod, eu.
std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  auto kind = [](unsigned char c) { return std::isdigit(c) ? 1 : std::isupper(c) ? 2 : std::isalpha(c) ? 3 : 0; };
  int previous = 0;
  for (unsigned char c : text) {
    int current = kind(c);
    bool split = current == 0 || (previous == 1) != (current == 1) || (previous == 3 && current == 2);
    if (split && !word.empty()) {
      words.push_back(word);
      word.clear();
    }
    if (current != 0) word.push_back(static_cast<char>(std::tolower(c)));
    previous = current;
  }
  if (!word.empty()) words.push_back(word);
  return words;
}

bool value_matches(const SearchClause& clause, const std::string& text) {
  std::string lower = to_lower(text);
  if (lower.rfind(clause.value, 0) == 0) return true;
  if (!is_tokenized(clause.property)) return false;
  for (const auto& word : words_of(text)) {
    if (word.rfind(clause.value, 0) == 0) return true;
  }
  // A value of several words matches consecutive words of the property.
  auto value_words = words_of(clause.value);
  auto words = words_of(text);
  if (value_words.size() < 2) return false;
  for (std::size_t start = 0; start + value_words.size() <= words.size(); ++start) {
    bool all = true;
    for (std::size_t i = 0; i < value_words.size() && all; ++i) {
      bool last = i + 1 == value_words.size();
      all = last ? words[start + i].rfind(value_words[i], 0) == 0 : words[start + i] == value_words[i];
    }
    if (all) return true;
  }
  return false;
}

bool clause_matches(const SearchClause& clause, const Json& object) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (!iequals(it.key(), clause.property)) continue;
    if (it->is_string()) return value_matches(clause, it->get<std::string>());
    if (it->is_array()) {
      for (const auto& item : *it) {
        if (item.is_string() && value_matches(clause, item.get<std::string>())) return true;
      }
    }
    return false;
  }
  return false;
}

}  // namespace

std::optional<SearchExpression> parse_search(const std::string& text, std::string& error) {
  SearchExpression expression;
  expression.any_of.emplace_back();
  std::size_t i = 0;
  bool expect_clause = true;
  auto skip_spaces = [&] {
    while (i < text.size() && text[i] == ' ') ++i;
  };
  skip_spaces();
  while (i < text.size()) {
    if (expect_clause) {
      if (text[i] != '"') {
        error = "Syntax error: $search clauses must be in double quotes, e.g. $search=\"displayName:web\".";
        return std::nullopt;
      }
      auto close = text.find('"', i + 1);
      if (close == std::string::npos) {
        error = "Syntax error: unterminated quoted string in $search.";
        return std::nullopt;
      }
      std::string body = text.substr(i + 1, close - i - 1);
      SearchClause clause{"displayName", body};
      if (auto colon = body.find(':'); colon != std::string::npos) {
        clause.property = trim(body.substr(0, colon));
        clause.value = body.substr(colon + 1);
      }
      clause.value = to_lower(trim(clause.value));
      expression.any_of.back().push_back(clause);
      i = close + 1;
      expect_clause = false;
    } else {
      auto word_end = text.find(' ', i);
      std::string word = text.substr(i, word_end == std::string::npos ? std::string::npos : word_end - i);
      if (word == "OR") {
        expression.any_of.emplace_back();
      } else if (word != "AND") {
        error = "Syntax error: expected AND or OR between $search clauses, found '" + word + "'.";
        return std::nullopt;
      }
      i += word.size();
      expect_clause = true;
    }
    skip_spaces();
  }
  if (expect_clause) {
    error = "Syntax error: $search is empty or ends with an operator.";
    return std::nullopt;
  }
  return expression;
}

bool search_matches(const SearchExpression& expression, const Json& object) {
  for (const auto& group : expression.any_of) {
    bool all = true;
    for (const auto& clause : group) all = all && (clause.value.empty() || clause_matches(clause, object));
    if (all) return true;
  }
  return false;
}

}  // namespace idp_sim::graph
