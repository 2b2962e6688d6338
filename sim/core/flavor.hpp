#pragma once
// The contract between the vendor-neutral server and one emulated API ("flavor").
//
// The server owns the socket, /_sim/* endpoints, statistics, fault injection and slow/dropped
// responses. Everything vendor-specific happens in the flavor: authentication, rate limits,
// routing, payloads and error bodies. A flavor is registered in flavor_registry.cpp with its
// name, its own command-line options and a factory; see sim/README.md.
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/http_types.hpp"
#include "core/json.hpp"
#include "core/options.hpp"
#include "core/sim_clock.hpp"
#include "core/stats.hpp"

namespace idp_sim {

struct FlavorContext {
  const SimOptions& options;
  SimClock& clock;
  Stats& stats;
  std::function<void(const std::string&)> log;  // one line to stderr
};

class Flavor {
public:
  virtual ~Flavor() = default;

  // Loads vendor-native JSON from a seed directory (called once, before serving). Throws
  // SeedError for input it cannot accept; warns through FlavorContext::log for input it skips.
  virtual void load_seed(const std::filesystem::path& directory) = 0;

  // Serves one API request: authentication, rate limits, routing, vendor-shaped errors.
  // Called concurrently from several threads. Must fill SimResponse::route for the stats.
  virtual SimResponse handle(const SimRequest& request) = 0;

  // Whether injected faults may hit this request (e.g. not the token endpoint).
  virtual bool faults_apply(const SimRequest& request) const = 0;
  // The vendor's body and headers for an injected 5xx.
  virtual SimResponse fault_response(int status, const SimRequest& request) = 0;
  // The answer to a POST/PUT/PATCH that has neither a body length nor chunked encoding, which
  // the vendor refuses before reading it. Default: an empty 411.
  virtual SimResponse length_required(const SimRequest& request) {
    (void)request;
    return SimResponse::empty(411);
  }
  // Route template of a request, for stats of requests that never reach handle().
  virtual std::string route_of(const SimRequest& request) = 0;

  // /_sim/state: the whole tenant as JSON.
  virtual Json dump_state() = 0;
  // /_sim/reset: rate-limit state always; the tenant back to its seed when `state` is set.
  virtual void reset(bool state) = 0;
  // /_sim/reset?state=true&seed=DIR: the tenant emptied and loaded from DIR, which becomes the
  // seed (tests run many generated tenants through one simulator). Throws SeedError.
  virtual void replace_seed(const std::filesystem::path& directory) = 0;
  // /_sim/info: flavor-specific facts a test needs (tenant id, token URL, ...).
  virtual Json info() = 0;
};

struct FlavorInfo {
  std::string name;
  std::string description;
  std::vector<OptionSpec> options;
  std::function<std::unique_ptr<Flavor>(FlavorContext&)> create;
};

const std::vector<FlavorInfo>& registered_flavors();
const FlavorInfo* find_flavor(const std::string& name);

}  // namespace idp_sim
