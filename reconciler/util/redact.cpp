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
  static const std::regex kShapes[] = {
      std::regex(R"((Bearer|SSWS)\s+[A-Za-z0-9._~+/=-]{8,})", std::regex::icase),
      std::regex(R"(-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----)"),
      std::regex(R"(((?:client_secret|client_assertion|access_token|refresh_token|id_token)["']?\s*[=:]\s*["']?)[^&"'\s,}]+)"),
  };
  out = std::regex_replace(out, kShapes[0], "$1 (redacted)");
  out = std::regex_replace(out, kShapes[1], "(redacted private key)");
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
