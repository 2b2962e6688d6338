// The pieces of the Directory interface that need no server: entry lookups, and escaping and
// comparing DNs and filter values (RFC 4514, RFC 4515).

#include "providers/ldap/directory.hpp"

#include <cctype>
#include <cstdio>

namespace idform::providers::ldap {
namespace {

// Position of the first unescaped ',' in `dn` (npos when none).
std::size_t rdn_end(std::string_view dn) {
  for (std::size_t i = 0; i < dn.size(); ++i) {
    if (dn[i] == '\\') {
      ++i;
      continue;
    }
    if (dn[i] == ',') return i;
  }
  return std::string_view::npos;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

const std::vector<std::string>& Entry::values(const std::string& attribute) const {
  static const std::vector<std::string> kNone;
  auto found = attributes.find(attribute);
  return found == attributes.end() ? kNone : found->second;
}

std::string Entry::first(const std::string& attribute) const {
  const auto& all = values(attribute);
  return all.empty() ? std::string() : all.front();
}

std::string escape_filter_value(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '*' || c == '(' || c == ')' || c == '\\' || c == '\0') {
      char code[4];
      std::snprintf(code, sizeof code, "\\%02x", static_cast<unsigned char>(c));
      out += code;
    } else {
      out += c;
    }
  }
  return out;
}

std::string escape_rdn_value(std::string_view value) {
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    bool special = c == ',' || c == '+' || c == '"' || c == '\\' || c == '<' || c == '>' || c == ';' || c == '=';
    bool edge_space = c == ' ' && (i == 0 || i + 1 == value.size());
    if (special || edge_space || (c == '#' && i == 0)) out += '\\';
    if (c == '\0') {
      out += "\\00";
      continue;
    }
    out += c;
  }
  return out;
}

std::string dn_key(std::string_view dn) {
  std::string out;
  bool after_separator = true;
  for (std::size_t i = 0; i < dn.size(); ++i) {
    char c = dn[i];
    if (c == ' ' && after_separator) continue;
    if (c == '\\' && i + 1 < dn.size()) {
      out += c;
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(dn[++i])));
      after_separator = false;
      continue;
    }
    if (c == ',' || c == '=' || c == '+') {
      while (!out.empty() && out.back() == ' ') out.pop_back();
      after_separator = true;
    } else {
      after_separator = false;
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string parent_dn(std::string_view dn) {
  std::size_t comma = rdn_end(dn);
  if (comma == std::string_view::npos) return "";
  std::string_view rest = dn.substr(comma + 1);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  return std::string(rest);
}

std::string first_rdn_value(std::string_view dn) {
  std::string_view rdn = dn.substr(0, rdn_end(dn));
  auto equals = rdn.find('=');
  if (equals == std::string_view::npos) return "";
  std::string_view value = rdn.substr(equals + 1);
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '\\' || i + 1 >= value.size()) {
      out += value[i];
      continue;
    }
    int high = hex_digit(value[i + 1]);
    int low = i + 2 < value.size() ? hex_digit(value[i + 2]) : -1;
    if (high >= 0 && low >= 0) {
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += value[++i];
    }
  }
  return out;
}

}  // namespace idform::providers::ldap
