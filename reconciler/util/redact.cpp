// The one redaction mechanism: registered secrets and credential shapes are masked in every output.
#include "reconciler/util/redact.hpp"

#include <algorithm>
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

// `word` is lower case.
bool contains_ignoring_case(std::string_view text, std::string_view word) {
  auto same = [](char a, char b) { return (a >= 'A' && a <= 'Z' ? a - 'A' + 'a' : a) == b; };
  return std::search(text.begin(), text.end(), word.begin(), word.end(), same) != text.end();
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
  // std::regex walks every position of the text, which costs a large plan's output (megabytes)
  // a noticeable part of a second; a shape is only looked for where its fixed words occur.
  static const std::regex kShapes[] = {
      std::regex(R"((Bearer|SSWS)\s+[A-Za-z0-9._~+/=-]{8,})", std::regex::icase),
      std::regex(R"(-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----)"),
      std::regex(R"(((?:client_secret|client_assertion|access_token|refresh_token|id_token)["']?\s*[=:]\s*["']?)[^&"'\s,}]+)"),
  };
  if (contains_ignoring_case(out, "bearer") || contains_ignoring_case(out, "ssws"))
    out = std::regex_replace(out, kShapes[0], "$1 (redacted)");
  if (out.find("PRIVATE KEY-----") != std::string::npos)
    out = std::regex_replace(out, kShapes[1], "(redacted private key)");
  if (out.find("_secret") != std::string::npos || out.find("_assertion") != std::string::npos ||
      out.find("_token") != std::string::npos)
    out = std::regex_replace(out, kShapes[2], "$1(redacted)");
  return out;
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
