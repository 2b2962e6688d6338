#pragma once
// Where the Authorization header of Okta API calls comes from, one implementation per
// `auth.method`:
//   api_token        "SSWS {token}" from an environment variable (Okta API tokens never expire
//                    while in use, so there is nothing to renew);
//   access_token     "Bearer {token}" from an environment variable, ready-made elsewhere;
//   private_key_jwt  the OAuth 2.0 client credentials grant against the org authorization
//                    server ({org}/oauth2/v1/token) with a signed client assertion.
// For private_key_jwt, reads ask for the read scopes and writes for the manage scopes (unless
// auth.scopes says otherwise), so a plan-only service app needs read grants only. Tokens are
// cached until five minutes (or half their lifetime, if shorter) before they expire, registered
// with util::register_secret() the moment they are read, and never logged.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "providers/okta/okta_settings.hpp"
#include "reconciler/http/client.hpp"
#include "reconciler/util/clock.hpp"
#include "reconciler/util/result.hpp"

namespace idform::providers::okta {

enum class Access { read, write };

class TokenSource {
 public:
  virtual ~TokenSource() = default;
  // The Authorization header value. `refresh` forgets a cached token (after a 401).
  virtual Result<std::string> authorization(Access access, bool refresh = false) = 0;
  // Whether a 401 can be cured by asking again.
  virtual bool renewable() const = 0;
  // "the API token in $IDFORM_OKTA_API_TOKEN", for error messages.
  virtual std::string credential() const = 0;
};

struct TokenSourceHooks {
  EnvLookup env = process_env;
  util::Clock* clock = &util::real_clock();  // token lifetimes and assertion times
};

// Reads the credential (environment variable, PEM key) now, so that a missing token or an
// unreadable key is reported before anything is sent.
Result<std::unique_ptr<TokenSource>> make_token_source(const OktaSettings& settings, http::Client& client,
                                                       const TokenSourceHooks& hooks = {});

}  // namespace idform::providers::okta
