// The one redaction mechanism: registered secrets and credential shapes are masked in every output.
#include "reconciler/util/redact.hpp"

#include <mutex>
#include <regex>
#include <set>

namespace idform::util {
namespace {

std::mutex& secrets_mutex() {
  static std::mutex mutex;
  return mutex;
}
std::set<std::string, std::greater<>>& secrets() {  // longest first among shared prefixes
  static std::set<std::string, std::greater<>> values;
  return values;
}

void replace_all(std::string& text, const std::string& secret) {
  for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + kRedacted.size()))
    text.replace(at, secret.size(), kRedacted);
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("._~+/=-").find(c) != std::string_view::npos;
}
bool is_value_char(char c) { return !is_space(c) && std::string_view("&\"',}").find(c) == std::string_view::npos; }

// `word` (lower case) at `at`, in any case.
bool word_at(std::string_view text, std::size_t at, std::string_view word) {
  if (text.size() - at < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i)
    if (lower(text[at + i]) != word[i]) return false;
  return true;
}

// The two credential shapes below are matched by hand, exactly as the regular expressions in
// their comments would match them (the unit test holds the two to each other on random text):
// std::regex walks every position of the text with backtracking, which cost a large plan's
// output (megabytes) a noticeable part of a second.

// (Bearer|SSWS)\s+[A-Za-z0-9._~+/=-]{8,} in any case, replaced by "$1 (redacted)".
std::string mask_schemes(std::string_view text) {
  std::string out;
  std::size_t copied = 0;
  for (std::size_t at = 0; at < text.size(); ++at) {
    std::size_t scheme = word_at(text, at, "bearer") ? 6 : word_at(text, at, "ssws") ? 4 : 0;
    if (scheme == 0) continue;
    std::size_t end = at + scheme;
    while (end < text.size() && is_space(text[end])) ++end;
    if (end == at + scheme) continue;
    std::size_t token = end;
    while (end < text.size() && is_token_char(text[end])) ++end;
    if (end - token < 8) continue;
    out.append(text.substr(copied, at + scheme - copied)).append(" (redacted)");
    copied = end;
    at = end - 1;
  }
  if (copied == 0) return std::string(text);
  return out.append(text.substr(copied));
}

// (client_secret|client_assertion|access_token|refresh_token|id_token)["']?\s*[=:]\s*["']?
// followed by [^&"'\s,}]+, which is replaced by "(redacted)".
std::string mask_credential_fields(std::string_view text) {
  static constexpr std::string_view kFields[] = {"client_secret", "client_assertion", "access_token", "refresh_token",
                                                 "id_token"};
  auto is_quote = [](char c) { return c == '"' || c == '\''; };
  std::string out;
  std::size_t copied = 0;
  for (std::size_t at = 0; at < text.size(); ++at) {
    for (std::string_view field : kFields) {
      if (!text.substr(at).starts_with(field)) continue;
      std::size_t end = at + field.size();
      if (end < text.size() && is_quote(text[end])) ++end;
      while (end < text.size() && is_space(text[end])) ++end;
      if (end == text.size() || (text[end] != '=' && text[end] != ':')) break;
      ++end;
      while (end < text.size() && is_space(text[end])) ++end;
      if (end < text.size() && is_quote(text[end])) ++end;
      std::size_t value = end;
      while (end < text.size() && is_value_char(text[end])) ++end;
      if (end == value) break;
      out.append(text.substr(copied, value - copied)).append("(redacted)");
      copied = end;
      at = end - 1;
      break;
    }
  }
  if (copied == 0) return std::string(text);
  return out.append(text.substr(copied));
}

}  // namespace

void register_secret(std::string_view secret) {
  if (secret.size() < 4) return;
  std::lock_guard lock(secrets_mutex());
  secrets().emplace(secret);
}

std::string redact(std::string_view text) {
  std::string out(text);
  {
    std::lock_guard lock(secrets_mutex());
    for (const std::string& secret : secrets()) replace_all(out, secret);
  }
  out = mask_schemes(out);
  if (out.find("PRIVATE KEY-----") != std::string::npos) {  // rare: the regular expression will do
    static const std::regex kPrivateKey(R"(-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----)");
    out = std::regex_replace(out, kPrivateKey, "(redacted private key)");
  }
  return mask_credential_fields(out);
}

void clear_secrets() {
  std::lock_guard lock(secrets_mutex());
  secrets().clear();
}

Error redacted(Error error) {
  error.summary = redact(error.summary);
  error.detail = redact(error.detail);
  return error;
}

}  // namespace idform::util
