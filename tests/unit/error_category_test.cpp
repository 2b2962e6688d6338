// Errors carry a category and retryability that callers decide by (never the message text): the
// names the plugin protocol uses, what an HTTP status means, Graph's and Okta's failures, and
// null-tolerant reads of token answers.

#include <catch2/catch.hpp>

#include "providers/common/json_fields.hpp"
#include "providers/entra/graph_client.hpp"
#include "providers/okta/okta_client.hpp"
#include "reconciler/http/client.hpp"
#include "reconciler/util/result.hpp"

using idform::ErrorCategory;

TEST_CASE("error categories have one name each, which reads back", "[errors]") {
  for (ErrorCategory category :
       {ErrorCategory::auth, ErrorCategory::throttled, ErrorCategory::not_found, ErrorCategory::conflict,
        ErrorCategory::invalid, ErrorCategory::transient, ErrorCategory::internal}) {
    INFO(idform::category_name(category));
    CHECK(idform::category_from_name(idform::category_name(category)) == category);
  }
  CHECK(idform::category_name(ErrorCategory::not_found) == "not_found");
  CHECK(!idform::category_from_name("HTTP 429"));
  idform::Error plain{"something", {}, {}, {}};
  CHECK(plain.category == ErrorCategory::internal);
  CHECK(!plain.retryable);
  auto throttled = idform::fail(ErrorCategory::throttled, "slow down");
  CHECK(throttled.error().retryable);
  CHECK(!idform::fail(ErrorCategory::auth, "no").error().retryable);
}

TEST_CASE("an HTTP status maps to the category a caller decides by", "[errors][http]") {
  struct Row {
    long status;
    ErrorCategory category;
  };
  for (Row row :
       {Row{401, ErrorCategory::auth}, Row{403, ErrorCategory::auth}, Row{404, ErrorCategory::not_found},
        Row{410, ErrorCategory::not_found}, Row{409, ErrorCategory::conflict}, Row{412, ErrorCategory::conflict},
        Row{429, ErrorCategory::throttled}, Row{408, ErrorCategory::transient}, Row{500, ErrorCategory::transient},
        Row{503, ErrorCategory::transient}, Row{400, ErrorCategory::invalid}, Row{422, ErrorCategory::invalid},
        Row{302, ErrorCategory::internal}}) {
    INFO(row.status);
    CHECK(idform::http::category_of_status(row.status) == row.category);
  }
}

TEST_CASE("Graph and Okta failures carry their category beside the message", "[errors][entra][okta-provider]") {
  using idform::providers::entra::GraphResponse;
  GraphResponse throttled{429, {{"error", {{"code", "TooManyRequests"}, {"message", "Slow down"}}}}, {}};
  auto error = idform::providers::entra::response_error("GET", "/groups", throttled);
  CHECK(error.category == ErrorCategory::throttled);
  CHECK(error.retryable);
  CHECK(error.summary == "GET /groups: HTTP 429 TooManyRequests: Slow down");
  // OData's answer for an API segment a cloud does not have is a 400, but it means "not found".
  GraphResponse segment{
      400,
      {{"error", {{"code", "BadRequest"}, {"message", "Resource not found for the segment 'applicationTemplates'."}}}},
      {}};
  CHECK(idform::providers::entra::response_error("POST", "/applicationTemplates/x/instantiate", segment).category ==
        ErrorCategory::not_found);
  GraphResponse invalid{400, {{"error", {{"code", "Request_BadRequest"}, {"message", "Invalid value"}}}}, {}};
  CHECK(idform::providers::entra::response_error("PATCH", "/groups/1", invalid).category == ErrorCategory::invalid);

  idform::providers::okta::OktaResponse conflict{409, nullptr, {}};
  CHECK(idform::providers::okta::response_error("POST", "/api/v1/groups", conflict).category ==
        ErrorCategory::conflict);
}

TEST_CASE("token answers are read null-tolerantly: expires_in as a number or a string of digits", "[errors][secrets]") {
  using idform::providers::common::integer;
  CHECK(integer(nlohmann::json{{"expires_in", 3599}}, "expires_in", 1) == 3599);
  CHECK(integer(nlohmann::json{{"expires_in", "3599"}}, "expires_in", 1) == 3599);
  CHECK(integer(nlohmann::json{{"expires_in", "soon"}}, "expires_in", 1) == 1);
  CHECK(integer(nlohmann::json{{"expires_in", nullptr}}, "expires_in", 1) == 1);
  CHECK(integer(nlohmann::json::array(), "expires_in", 1) == 1);
}
