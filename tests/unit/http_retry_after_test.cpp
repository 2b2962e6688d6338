// How long a throttled answer asks to wait: Retry-After in whole seconds, or Azure's millisecond
// forms (retry-after-ms, x-ms-retry-after-ms) when present; anything malformed is no answer.

#include <catch2/catch.hpp>

#include "reconciler/http/client.hpp"

using idform::http::Headers;
using idform::http::parse_retry_after;
using idform::http::retry_after;
using std::chrono::milliseconds;

TEST_CASE("Retry-After in seconds, and dates, negatives and words are not waits", "[http]") {
  CHECK(parse_retry_after("7") == milliseconds(7000));
  CHECK(parse_retry_after(" 0 ") == milliseconds(0));
  CHECK_FALSE(parse_retry_after(""));
  CHECK_FALSE(parse_retry_after("-3"));
  CHECK_FALSE(parse_retry_after("1.5"));
  CHECK_FALSE(parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT"));
}

TEST_CASE("the millisecond forms win over Retry-After, whatever their case", "[http]") {
  CHECK(retry_after(Headers{{"Retry-After", "2"}}) == milliseconds(2000));
  CHECK(retry_after(Headers{{"Retry-After", "2"}, {"retry-after-ms", "350"}}) == milliseconds(350));
  CHECK(retry_after(Headers{{"Retry-After", "2"}, {"X-MS-Retry-After-Ms", "1250"}}) == milliseconds(1250));
  // A malformed millisecond header falls back to Retry-After.
  CHECK(retry_after(Headers{{"Retry-After", "2"}, {"retry-after-ms", "soon"}}) == milliseconds(2000));
  CHECK_FALSE(retry_after(Headers{{"Content-Type", "application/json"}}));
}
