#pragma once
// The HTTP front of idp-sim: binds a loopback port with cpp-httplib and runs every request
// through one pipeline:
//   /_sim/* admin endpoints (no auth, no throttling, no faults)
//   -> write hold (POST /_sim/hold-writes) -> fault decision (seeded) -> optional slow-down -> drop / injected 5xx / flavor.handle()
//   -> statistics.
// A "dropped" request has its TCP connection shut down without any response bytes, which a
// client sees as an empty reply / connection reset.
#include <memory>
#include <string>

#include "core/faults.hpp"
#include "core/flavor.hpp"
#include "core/options.hpp"
#include "core/sim_clock.hpp"
#include "core/stats.hpp"
#include "core/tls.hpp"
#include "core/write_hold.hpp"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace idp_sim {

class SimServer {
public:
  // With `tls` (not null) the server speaks HTTPS with that certificate and key.
  SimServer(const SimOptions& options, SimClock& clock, Stats& stats, Flavor& flavor, const TlsMaterial* tls = nullptr);
  ~SimServer();

  // Binds the listening socket; returns the port (useful with --port 0). Throws on failure.
  int bind();
  // Serves until stop() is called.
  void run();
  void stop();  // ignored by httplib until run()'s accept loop has started
  bool running() const;

  // The pipeline, exposed for in-process use.
  SimResponse serve(const SimRequest& request, bool& drop_connection);

private:
  void handle_http(const httplib::Request& http_request, httplib::Response& http_response);
  SimResponse serve_admin(const SimRequest& request);
  SimResponse serve_write_hold(const SimRequest& request);
  std::string base_url_of(const httplib::Request& http_request) const;
  SimRequest to_sim_request(const httplib::Request& http_request);
  void write_response(const SimRequest& request, SimResponse& response, const httplib::Request& http_request,
                      httplib::Response& http_response);

  const SimOptions& m_options;
  SimClock& m_clock;
  Stats& m_stats;
  Flavor& m_flavor;
  FaultInjector m_faults;
  WriteHold m_write_hold;
  std::unique_ptr<httplib::Server> m_http;
  std::atomic<std::uint64_t> m_sequence{0};
  int m_port = 0;
  bool m_tls = false;
};

// Closes the connection a request arrived on without answering (shutdown of the socket whose
// local/peer ports match). Returns false if the socket could not be found.
bool shutdown_connection(int local_port, int remote_port);

}  // namespace idp_sim
