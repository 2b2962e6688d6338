#pragma once
// Okta's error body (OKTA-DOCS core-okta-api "Errors"; spec schema Error):
//   {"errorCode","errorSummary","errorLink","errorId","errorCauses":[{"errorSummary"}]}
// with the status and summary of Okta's error catalog (developer.okta.com/docs/reference/error-codes,
// vendor-examples/okta/error-codes-catalog.json). Only errorCode is a stable contract; the
// summaries of the catalog are reproduced, the errorCauses texts are idp-sim's own.
#include <string>
#include <vector>

#include "core/http_types.hpp"

namespace idp_sim::okta {

SimResponse okta_error(int status, const std::string& code, const std::string& summary,
                       const std::vector<std::string>& causes = {});

// E0000001 400 "Api validation failed: {field}" with one errorCause per problem ("field: message").
SimResponse validation_failed(const std::string& field, const std::vector<std::string>& causes);
// E0000003 400 "The request body was not well-formed."
SimResponse malformed_body();
// E0000006 403 "You do not have permission to perform the requested action"
SimResponse access_denied();
// E0000007 404 "Not found: Resource not found: {id} ({type})", type as Okta names it (UserGroup, AppInstance, ...)
SimResponse resource_not_found(const std::string& id, const std::string& type);
// E0000008 404 "The requested path was not found"
SimResponse path_not_found();
// E0000011 401 "Invalid token provided"
SimResponse invalid_token();
// E0000022 405 "The endpoint does not support the provided HTTP method"
SimResponse method_not_allowed();
// E0000031 400 "Invalid search criteria."
SimResponse invalid_search(const std::string& cause);
// E0000047 429 "API call exceeded rate limit due to too many requests."
SimResponse rate_limit_exceeded();

// Okta-style opaque ids: "oae" + 22 characters (errorId), request ids, object ids with a prefix.
std::string random_token(std::size_t length);
std::string new_object_id(const std::string& prefix);  // e.g. "00g" -> "00g" + 17 characters

}  // namespace idp_sim::okta
