#pragma once
// Settings of the Okta flavor, from its command-line options (see okta_flavor.cpp).
#include <string>

namespace idp_sim::okta {

struct OktaSettings {
  // Public org URL a client may also use as the client-assertion audience and token issuer,
  // e.g. "https://acme.okta.com"; the sim's own URL (http://127.0.0.1:PORT) is always accepted.
  std::string org_url;
  // Column of Okta's rate-limit table: integrator-free | one-app | enterprise | workforce.
  std::string plan = "workforce";
  // Share of each bucket one API token or OAuth service app may use (OKTA-DOCS rl2-token-oauth: 50 %).
  double client_share = 0.5;
  // Simultaneous requests per org (OKTA-DOCS rl-additional-limits: 75; 35 for Integrator Free).
  int concurrency_limit = 75;
  // Virtual milliseconds each API request spends being served (holding a concurrency slot).
  double request_ms = 0;
  // Lifetime of issued access tokens, wall-clock seconds (Okta: fixed 1 hour).
  double token_lifetime_seconds = 3600;
  // The org's id, as it appears in ORNs ("orn:okta:idp:{orgId}:apps:...").
  std::string org_id = "00o1dpsim0rg00000000";
};

}  // namespace idp_sim::okta
