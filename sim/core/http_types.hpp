#pragma once
// Transport-neutral request/response values. The HTTP server converts cpp-httplib's types into
// these, and a flavor's $batch handler builds them for inner requests, so every request goes
// through the same code path whether it came from a socket or from inside a batch.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/json.hpp"

namespace idp_sim {

struct CaseInsensitiveLess {
  bool operator()(const std::string& a, const std::string& b) const;
};

// Single-valued, case-insensitive header map (enough for the APIs emulated here).
using Headers = std::map<std::string, std::string, CaseInsensitiveLess>;

using QueryParams = std::vector<std::pair<std::string, std::string>>;

struct SimRequest {
  std::string method;     // upper case
  std::string path;       // percent-decoded, without the query string
  QueryParams query;      // percent-decoded, in the order sent
  Headers headers;
  std::string body;
  std::string base_url;   // "http://127.0.0.1:PORT" as the client addressed the server
  std::uint64_t sequence = 0;  // process-wide request number (0 for batch items)
  bool inside_batch = false;

  std::optional<std::string> query_value(const std::string& name) const;
  bool has_query(const std::string& name) const;
  std::string header(const std::string& name) const;  // "" when absent
};

struct SimResponse {
  int status = 200;
  Headers headers;
  // Headers that may repeat, sent after `headers` in this order (Okta sends two `Link` headers,
  // rel="self" and rel="next", which a single-valued map cannot hold).
  std::vector<std::pair<std::string, std::string>> repeated_headers;
  std::string body;
  // Bookkeeping for /_sim/stats, not sent to the client.
  std::string route;           // route template, e.g. "GET /groups/{id}/members"
  double resource_units = 0;   // vendor cost units charged for this request
  bool throttled = false;      // a rate limit rejected the request (429)

  static SimResponse json(int status, const Json& body);
  static SimResponse empty(int status);
};

// URL helpers (RFC 3986 percent-encoding; '+' is decoded to space only in query strings).
std::string url_decode(const std::string& text, bool plus_is_space);
std::string url_encode(const std::string& text);
QueryParams parse_query_string(const std::string& query);
std::string build_query_string(const QueryParams& params);
QueryParams parse_form_body(const std::string& body);

std::string to_lower(std::string text);
bool iequals(const std::string& a, const std::string& b);
bool istarts_with(const std::string& text, const std::string& prefix);
std::vector<std::string> split(const std::string& text, char separator);
std::string trim(const std::string& text);

}  // namespace idp_sim
