// Fuzz target: what idform reads from response headers and URLs: Retry-After (and Azure's
// millisecond forms), RFC 8288 Link headers, Okta's rate-limit headers (through the pacer), and
// the URL checks that decide where credentials may go. The input is split at newlines into
// header values and URLs.

#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "providers/okta/rate_pacer.hpp"
#include "reconciler/http/client.hpp"
#include "reconciler/util/strings.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> lines = idform::util::split(idform::fuzz::text_of(data, size), '\n');
  while (lines.size() < 6) lines.emplace_back();
  using namespace idform;
  (void)http::parse_retry_after(lines[0]);
  http::Headers headers{{"Retry-After", lines[0]}, {"retry-after-ms", lines[1]}, {"x-ms-retry-after-ms", lines[1]},
                        {"X-Rate-Limit-Limit", lines[2]}, {"X-Rate-Limit-Remaining", lines[3]},
                        {"X-Rate-Limit-Reset", lines[4]}, {"Date", lines[5]}, {"Link", lines[1]}};
  (void)http::retry_after(headers);
  std::string next = http::next_link(lines[1]);
  for (const std::string& url : {lines[0], next, lines[5]}) {
    bool allowed = http::url_allowed(url);
    auto origin = http::origin_of(url);
    // An allowed URL always has an origin, and plain http is only ever loopback.
    if (allowed && !origin) __builtin_trap();
    if (allowed && origin->scheme == "http" && origin->host != "127.0.0.1" && origin->host != "localhost" &&
        origin->host != "[::1]")
      __builtin_trap();
    (void)http::same_origin(url, "https://acme.okta.example");
  }
  // The pacer reads the rate-limit headers of every answer; whatever they say, it must not wait
  // longer than a window (its clock moves only when it sleeps).
  util::FakeClock clock;
  providers::okta::RatePacer pacer(0.2, std::chrono::milliseconds(0), clock);
  http::Request request{"GET", "https://acme.okta.example/api/v1/groups", {}, {}};
  pacer.before_send(request);
  pacer.after_receive(request, http::Response{200, headers, {}});
  pacer.finished();
  pacer.before_send(request);
  pacer.finished();
  if (clock.slept() > std::chrono::minutes(3)) __builtin_trap();
  return 0;
}
