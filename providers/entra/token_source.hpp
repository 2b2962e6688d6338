#pragma once
// Where Graph access tokens come from, one implementation per `auth.method`.
//
// client_secret, certificate and github_oidc run the OAuth 2.0 client credentials grant against
// {authority}/{tenant}/oauth2/v2.0/token; they differ only in how the client proves itself (the
// secret, a self-signed client assertion, or the GitHub Actions job's OIDC token used as a
// federated client assertion). access_token takes a ready-made token from the environment.
// Tokens are cached until five minutes (or half their lifetime, if shorter) before they expire,
// registered with util::register_secret() the moment they are read, and never logged.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "providers/entra/entra_settings.hpp"
#include "reconciler/http/client.hpp"
#include "reconciler/util/clock.hpp"
#include "reconciler/util/result.hpp"

namespace idform::providers::entra {

class TokenSource {
 public:
  virtual ~TokenSource() = default;
  // A bearer token for Graph. `refresh` forgets the cached one (after a 401).
  virtual Result<std::string> token(bool refresh = false) = 0;
};

struct TokenSourceHooks {
  EnvLookup env = process_env;
  util::Clock* clock = &util::real_clock();  // token lifetimes and assertion times
};

// Reads the credential (environment variables, PEM files) now, so that a missing secret or an
// unreadable key is reported before anything is sent.
Result<std::unique_ptr<TokenSource>> make_token_source(const EntraSettings& settings, http::Client& client,
                                                       const TokenSourceHooks& hooks = {});

// GitHub's documented audience for Entra workload identity federation.
inline constexpr const char* kFederationAudience = "api://AzureADTokenExchange";

}  // namespace idform::providers::entra
