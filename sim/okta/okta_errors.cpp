// Okta's error bodies.
#include "okta/okta_errors.hpp"

#include "core/crypto.hpp"

namespace idp_sim::okta {

std::string random_token(std::size_t length) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string bytes = random_bytes(length);
  std::string out;
  out.reserve(length);
  for (unsigned char c : bytes) out.push_back(kAlphabet[c % 62]);
  return out;
}

std::string new_object_id(const std::string& prefix) { return prefix + random_token(20 - prefix.size()); }

SimResponse okta_error(int status, const std::string& code, const std::string& summary,
                       const std::vector<std::string>& causes) {
  Json body = Json::object();
  body["errorCode"] = code;
  body["errorSummary"] = summary;
  body["errorLink"] = code;
  body["errorId"] = "oae" + random_token(22);
  Json cause_list = Json::array();
  for (const auto& cause : causes) cause_list.push_back(Json{{"errorSummary", cause}});
  body["errorCauses"] = cause_list;
  return SimResponse::json(status, body);
}

SimResponse validation_failed(const std::string& field, const std::vector<std::string>& causes) {
  return okta_error(400, "E0000001", field.empty() ? "Api validation failed" : "Api validation failed: " + field,
                    causes);
}

SimResponse malformed_body() { return okta_error(400, "E0000003", "The request body was not well-formed."); }

SimResponse access_denied() {
  return okta_error(403, "E0000006", "You do not have permission to perform the requested action");
}

SimResponse resource_not_found(const std::string& id, const std::string& type) {
  return okta_error(404, "E0000007", "Not found: Resource not found: " + id + " (" + type + ")");
}

SimResponse path_not_found() { return okta_error(404, "E0000008", "The requested path was not found"); }

SimResponse invalid_token() { return okta_error(401, "E0000011", "Invalid token provided"); }

SimResponse method_not_allowed() {
  return okta_error(405, "E0000022", "The endpoint does not support the provided HTTP method");
}

SimResponse invalid_search(const std::string& cause) {
  return okta_error(400, "E0000031", "Invalid search criteria.", {cause});
}

SimResponse rate_limit_exceeded() {
  return okta_error(429, "E0000047", "API call exceeded rate limit due to too many requests.");
}

}  // namespace idp_sim::okta
