// idp-sim's HTTP front: a loopback server that runs every request through the flavor.
#include "core/server.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <httplib.h>
#include <iostream>
#include <mutex>

namespace idp_sim {

namespace {

int port_of(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  return -1;
}

std::string http_date() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buffer;
}

std::mutex g_log_mutex;

}  // namespace

bool shutdown_connection(int local_port, int remote_port) {
  DIR* directory = opendir("/proc/self/fd");
  if (!directory) return false;
  bool found = false;
  while (dirent* entry = readdir(directory)) {
    char* end = nullptr;
    long fd = std::strtol(entry->d_name, &end, 10);
    if (*end != '\0' || fd < 0) continue;
    sockaddr_storage local{}, peer{};
    socklen_t local_length = sizeof local, peer_length = sizeof peer;
    if (getsockname(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&local), &local_length) != 0) continue;
    if (getpeername(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&peer), &peer_length) != 0) continue;
    if (port_of(local) == local_port && port_of(peer) == remote_port) {
      ::shutdown(static_cast<int>(fd), SHUT_RDWR);
      found = true;
      break;
    }
  }
  closedir(directory);
  return found;
}

SimServer::SimServer(const SimOptions& options, SimClock& clock, Stats& stats, Flavor& flavor, const TlsMaterial* tls)
    : m_options(options), m_clock(clock), m_stats(stats), m_flavor(flavor), m_faults(options.faults), m_tls(tls) {
  if (tls) {
    // SSLServer takes its own references to the certificate and key.
    auto server = std::make_unique<httplib::SSLServer>(tls->certificate.get(), tls->key.get());
    if (!server->is_valid()) throw std::runtime_error("--tls: the certificate and key cannot be used");
    m_http = std::move(server);
  } else {
    m_http = std::make_unique<httplib::Server>();
  }
  int threads = options.threads;
  m_http->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  auto handler = [this](const httplib::Request& request, httplib::Response& response) {
    handle_http(request, response);
  };
  m_http->Get(".*", handler);
  m_http->Post(".*", handler);
  m_http->Put(".*", handler);
  m_http->Patch(".*", handler);
  m_http->Delete(".*", handler);
  // A body without a length cannot be read on a kept-alive connection: httplib would wait for the
  // client to close and answer an empty 400. The vendors refuse it with 411 before reading.
  m_http->set_pre_routing_handler([this](const httplib::Request& http_request, httplib::Response& http_response) {
    bool has_body_method = http_request.method == "POST" || http_request.method == "PUT" || http_request.method == "PATCH";
    if (!has_body_method || http_request.has_header("Content-Length") || http_request.has_header("Transfer-Encoding")) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    if (http_request.path == "/_sim" || http_request.path.rfind("/_sim/", 0) == 0) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    SimRequest request = to_sim_request(http_request);
    m_stats.request_started();
    SimResponse response = m_flavor.length_required(request);
    m_stats.request_finished(response.route.empty() ? m_flavor.route_of(request) : response.route, response.status, 0, false);
    write_response(request, response, http_request, http_response);
    return httplib::Server::HandlerResponse::Handled;
  });
  m_http->set_keep_alive_max_count(1000);
  // httplib writes a response's headers and body separately; with Nagle's algorithm on, the body
  // waits for the client's delayed ACK of the headers (40 ms on Linux) on every kept-alive
  // connection, which made each $batch take 40 ms longer than its work.
  m_http->set_tcp_nodelay(true);
  m_http->set_payload_max_length(16 * 1024 * 1024);
}

SimServer::~SimServer() = default;

int SimServer::bind() {
  if (m_options.port == 0) {
    m_port = m_http->bind_to_any_port(m_options.host);
  } else {
    m_port = m_http->bind_to_port(m_options.host, m_options.port) ? m_options.port : -1;
  }
  if (m_port <= 0) throw std::runtime_error("cannot listen on " + m_options.host + ":" + std::to_string(m_options.port));
  return m_port;
}

void SimServer::run() { m_http->listen_after_bind(); }

void SimServer::stop() {
  m_write_hold.release();
  m_http->stop();
}

bool SimServer::running() const { return m_http->is_running(); }

// httplib compresses a JSON response with brotli whenever the client accepts it, at brotli's
// default quality (11): about 50 ms of CPU for a 100 KB page of Okta users, which made idp-sim
// the bottleneck of every benchmark. Clients that accept brotli also accept gzip (curl sends
// "deflate, gzip, br, zstd"), which both vendors serve, so "br" is taken out of the request's
// Accept-Encoding before httplib chooses. httplib hands the handler a const view of a request it
// owns and does not share, so changing the header here is safe.
static void prefer_gzip(const httplib::Request& http_request) {
  auto& headers = const_cast<httplib::Request&>(http_request).headers;
  for (auto it = headers.begin(); it != headers.end(); ++it) {
    if (!iequals(it->first, "Accept-Encoding")) continue;
    std::string accepted;
    std::size_t start = 0;
    while (start <= it->second.size()) {
      std::size_t comma = it->second.find(',', start);
      std::string coding = it->second.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      std::size_t first = coding.find_first_not_of(' ');
      std::string name = first == std::string::npos ? "" : coding.substr(first, coding.find_first_of(" ;", first) - first);
      if (!name.empty() && !iequals(name, "br")) accepted += (accepted.empty() ? "" : ", ") + coding.substr(first);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    it->second = accepted;
  }
}

SimRequest SimServer::to_sim_request(const httplib::Request& http_request) {
  SimRequest request;
  request.method = http_request.method;
  request.path = http_request.path;
  auto question = http_request.target.find('?');
  if (question != std::string::npos) request.query = parse_query_string(http_request.target.substr(question + 1));
  for (const auto& [name, value] : http_request.headers) request.headers[name] = value;
  request.body = http_request.body;
  request.base_url = base_url_of(http_request);
  request.sequence = ++m_sequence;
  return request;
}

void SimServer::write_response(const SimRequest& request, SimResponse& response, const httplib::Request& http_request,
                               httplib::Response& http_response) {
  http_response.status = response.status;
  for (const auto& [name, value] : response.headers) {
    if (!iequals(name, "Content-Type")) http_response.set_header(name, value);
  }
  for (const auto& [name, value] : response.repeated_headers) http_response.set_header(name, value);
  http_response.set_header("Date", http_date());
  if (!response.body.empty() || response.headers.count("Content-Type")) {
    std::string type = response.headers.count("Content-Type") ? response.headers["Content-Type"] : "application/json";
    http_response.set_content(response.body, type.c_str());
  }
  if (m_options.log_requests) {
    std::lock_guard lock(g_log_mutex);
    std::cerr << "idp-sim: " << request.method << " " << http_request.target << " -> " << response.status << " ("
              << response.route << ")\n";
  }
}

void SimServer::handle_http(const httplib::Request& http_request, httplib::Response& http_response) {
  prefer_gzip(http_request);
  SimRequest request = to_sim_request(http_request);
  bool drop = false;
  SimResponse response = serve(request, drop);
  if (drop) {
    shutdown_connection(http_request.local_port, http_request.remote_port);
    http_response.status = 500;
    return;
  }
  write_response(request, response, http_request, http_response);
}

// Absolute URLs idp-sim returns (next links, delta links, discovery documents) use the scheme and
// host the client used. Behind a TLS-terminating proxy that is what X-Forwarded-Proto and
// X-Forwarded-Host say; they are believed only from a loopback peer (the proxy on this machine).
std::string SimServer::base_url_of(const httplib::Request& http_request) const {
  std::string scheme = m_tls ? "https" : "http";
  std::string host = http_request.get_header_value("Host");
  if (host.empty()) {
    host = (m_options.host == "::1" ? "[::1]" : m_options.host) + ":" + std::to_string(m_port);
  }
  bool loopback_peer = http_request.remote_addr == "127.0.0.1" || http_request.remote_addr == "::1" ||
                       http_request.remote_addr == "::ffff:127.0.0.1";
  if (loopback_peer) {
    // A proxy chain lists one value per hop; the first is what the client used.
    auto first_value = [&](const char* name) {
      std::string value = http_request.get_header_value(name);
      return trim(value.substr(0, value.find(',')));
    };
    std::string proto = to_lower(first_value("X-Forwarded-Proto"));
    if (proto == "http" || proto == "https") scheme = proto;
    std::string forwarded_host = first_value("X-Forwarded-Host");
    if (!forwarded_host.empty() && forwarded_host.find_first_of("/ ?#@") == std::string::npos) host = forwarded_host;
  }
  return scheme + "://" + host;
}

SimResponse SimServer::serve(const SimRequest& request, bool& drop_connection) {
  drop_connection = false;
  if (request.path == "/_sim" || request.path.rfind("/_sim/", 0) == 0) return serve_admin(request);
  if (!m_write_hold.admit(WriteHold::writes_in(request)))
    return SimResponse::json(503, Json{{"error", "idp-sim: this write was held (POST /_sim/hold-writes) and then "
                                                 "discarded when the hold was released; it was not applied"}});

  m_stats.request_started();
  FaultDecision fault;
  if (m_flavor.faults_apply(request)) fault = m_faults.next();
  if (fault.delay_seconds > 0) {
    m_stats.fault_injected("slow");
    m_clock.sleep_virtual(fault.delay_seconds);
  }
  if (fault.kind == FaultDecision::Kind::drop_before) {
    m_stats.fault_injected("dropped");
    m_stats.request_abandoned(m_flavor.route_of(request));
    drop_connection = true;
    return SimResponse::empty(500);
  }
  SimResponse response;
  if (fault.kind == FaultDecision::Kind::error) {
    m_stats.fault_injected("error");
    response = m_flavor.fault_response(fault.status, request);
    if (response.route.empty()) response.route = m_flavor.route_of(request);
  } else {
    response = m_flavor.handle(request);
  }
  if (fault.kind == FaultDecision::Kind::drop_after) {
    m_stats.fault_injected("dropped");
    m_stats.request_abandoned(response.route);
    drop_connection = true;
    return response;
  }
  m_stats.request_finished(response.route, response.status, response.resource_units, response.throttled);
  return response;
}

SimResponse SimServer::serve_admin(const SimRequest& request) {
  const std::string& path = request.path;
  if (path == "/_sim/stats" && request.method == "GET") {
    Json stats = m_stats.to_json();
    stats["writes_held"] = m_write_hold.waiting();
    return SimResponse::json(200, stats);
  }
  if (path == "/_sim/hold-writes" && request.method == "POST") return serve_write_hold(request);
  if (path == "/_sim/state" && request.method == "GET") return SimResponse::json(200, m_flavor.dump_state());
  if (path == "/_sim/info" && request.method == "GET") {
    Json info = m_flavor.info();
    info["flavor"] = m_options.flavor;
    info["base_url"] = request.base_url;
    info["time_scale"] = m_clock.time_scale();
    info["virtual_now"] = m_clock.now();
    return SimResponse::json(200, info);
  }
  if (path == "/_sim/reset" && request.method == "POST") {
    auto state = request.query_value("state");
    bool reset_state = state && (*state == "true" || *state == "1");
    m_stats.reset();
    m_faults.rewind();
    m_flavor.reset(reset_state);
    if (auto seed = request.query_value("seed"); seed && reset_state) {
      try {
        m_flavor.replace_seed(*seed);
      } catch (const std::exception& error) {
        return SimResponse::json(400, Json{{"error", std::string("seed: ") + error.what()}});
      }
      return SimResponse::json(200, Json{{"reset", true}, {"state", true}, {"seed", *seed}});
    }
    return SimResponse::json(200, Json{{"reset", true}, {"state", reset_state}});
  }
  if (path == "/_sim/clock" && request.method == "POST") {
    auto advance = request.query_value("advance");
    if (advance) {
      char* end = nullptr;
      double seconds = std::strtod(advance->c_str(), &end);
      if (*end != '\0' || seconds < 0) return SimResponse::json(400, Json{{"error", "advance must be seconds >= 0"}});
      m_clock.advance(seconds);
    }
    return SimResponse::json(200, Json{{"virtual_now", m_clock.now()}});
  }
  return SimResponse::json(404, Json{{"error", "unknown idp-sim admin endpoint " + request.method + " " + path},
                                     {"endpoints", Json::array({"GET /_sim/stats", "GET /_sim/state", "GET /_sim/info",
                                                                "POST /_sim/reset[?state=true[&seed=DIR]]",
                                                                "POST /_sim/clock?advance=SECONDS",
                                                                "POST /_sim/hold-writes?after=N|release=true"})}});
}

// ?after=N lets N more writes through and holds the rest; ?release=true lifts the hold and
// discards what it held.
SimResponse SimServer::serve_write_hold(const SimRequest& request) {
  if (auto release = request.query_value("release"); release && (*release == "true" || *release == "1")) {
    int discarded = m_write_hold.waiting();
    m_write_hold.release();
    return SimResponse::json(200, Json{{"released", true}, {"discarded", discarded}});
  }
  auto after = request.query_value("after");
  char* end = nullptr;
  long long allowed = after ? std::strtoll(after->c_str(), &end, 10) : -1;
  if (!after || after->empty() || *end != '\0' || allowed < 0)
    return SimResponse::json(400, Json{{"error", "hold-writes needs after=N (writes to let through, N >= 0) or release=true"}});
  m_write_hold.hold_after(allowed);
  return SimResponse::json(200, Json{{"after", allowed}});
}

}  // namespace idp_sim
