#pragma once
// Starts a real OpenLDAP slapd for a test and stops it when the object goes out of scope.
//
//   idform::testing::SlapdProcess slapd({.seed = "dn: uid=alice,ou=people,...\n..."});
//   settings["url"] = slapd.url();
//
// slapd runs in the foreground (-d 0) from a temporary directory holding a slapd.conf (mdb
// backend, suffix dc=example,dc=test, the core, cosine and inetorgperson schemas Debian's slapd
// package installs) and its database, loaded with slapadd before it starts. It listens on
// loopback only, on ports found free just before. A service account (bind_dn() /
// bind_password()) may write everything; its searches are limited to size_limit entries unless
// they are paged, so a read that does not page fails. With tls, a certificate authority and a
// server certificate for 127.0.0.1 and localhost are generated with the openssl command, and
// slapd also serves ldaps:// and StartTLS.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace idform::testing {

struct SlapdOptions {
  std::string seed;     // LDIF entries under dc=example,dc=test (ou=people and ou=groups exist)
  int size_limit = 0;   // 0: no limit for the service account
  bool tls = false;
};

class SlapdProcess {
 public:
  explicit SlapdProcess(SlapdOptions options) : m_options(std::move(options)) { start(); }
  SlapdProcess(const SlapdProcess&) = delete;
  SlapdProcess& operator=(const SlapdProcess&) = delete;
  ~SlapdProcess() { stop(); }

  std::string url() const { return "ldap://127.0.0.1:" + std::to_string(m_port); }
  std::string ldaps_url() const { return "ldaps://127.0.0.1:" + std::to_string(m_tls_port); }
  std::string ca_file() const { return (m_dir.path() / "ca.pem").string(); }
  // An authority slapd's certificate was not issued by (a negative control for verification).
  std::string other_ca_file() const { return (m_dir.path() / "other-ca.pem").string(); }
  static std::string bind_dn() { return "cn=idform,dc=example,dc=test"; }
  static std::string bind_password() { return "idform-test-bind-secret"; }
  static std::string base_dn() { return "dc=example,dc=test"; }
  std::string log() const { return read_text(m_dir.path() / "slapd.log"); }

 private:
  static int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
      throw std::runtime_error("cannot find a free port");
    ::close(fd);
    return ntohs(address.sin_port);
  }

  static bool accepts(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
  }

  void run_or_throw(const std::vector<std::string>& argv) const {
    ProcessResult result = run_process(argv);
    if (result.exit_code != 0) throw std::runtime_error(argv[0] + " failed: " + result.err);
  }

  void make_certificates() const {
    const std::string dir = m_dir.str();
    const std::string openssl = "/usr/bin/openssl";
    for (const char* name : {"ca", "other-ca"})
      run_or_throw({openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", dir + "/" + name + ".key", "-out", dir + "/" + name + ".pem", "-days", "2",
                    "-subj", std::string("/CN=idform test ") + name});
    run_or_throw({openssl, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                  "-keyout", dir + "/server.key", "-out", dir + "/server.csr", "-subj", "/CN=localhost"});
    m_dir.write("san.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    run_or_throw({openssl, "x509", "-req", "-in", dir + "/server.csr", "-CA", dir + "/ca.pem", "-CAkey",
                  dir + "/ca.key", "-CAcreateserial", "-out", dir + "/server.pem", "-days", "2", "-extfile",
                  dir + "/san.ext"});
  }

  std::string config() const {
    const std::string dir = m_dir.str();
    std::string text =
        "include /etc/ldap/schema/core.schema\n"
        "include /etc/ldap/schema/cosine.schema\n"
        "include /etc/ldap/schema/inetorgperson.schema\n"
        "modulepath /usr/lib/ldap\nmoduleload back_mdb\n"
        "pidfile " + dir + "/slapd.pid\n";
    if (m_options.tls)
      text += "TLSCACertificateFile " + dir + "/ca.pem\nTLSCertificateFile " + dir + "/server.pem\n"
              "TLSCertificateKeyFile " + dir + "/server.key\n";
    text += "database mdb\nmaxsize 104857600\nsuffix \"dc=example,dc=test\"\n"
            "rootdn \"cn=admin,dc=example,dc=test\"\ndirectory " + dir + "/db\n"
            "access to attrs=userPassword by anonymous auth by * none\n"
            "access to * by dn.exact=\"" + bind_dn() + "\" write by * read\n";
    if (m_options.size_limit > 0)
      text += "limits dn.exact=\"" + bind_dn() + "\" size.soft=" + std::to_string(m_options.size_limit) +
              " size.hard=" + std::to_string(m_options.size_limit) + " size.prtotal=unlimited\n";
    return text;
  }

  std::string seed() const {
    return "dn: dc=example,dc=test\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n\n"
           "dn: " + bind_dn() + "\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: idform\n"
           "userPassword: " + bind_password() + "\n\n"
           "dn: ou=people,dc=example,dc=test\nobjectClass: organizationalUnit\nou: people\n\n"
           "dn: ou=groups,dc=example,dc=test\nobjectClass: organizationalUnit\nou: groups\n\n" +
           m_options.seed;
  }

  void start() {
    if (m_options.tls) make_certificates();
    std::filesystem::create_directories(m_dir.path() / "db");
    const std::string conf = m_dir.write("slapd.conf", config());
    const std::string ldif = m_dir.write("seed.ldif", seed());
    run_or_throw({"/usr/sbin/slapadd", "-q", "-f", conf, "-l", ldif});
    for (int attempt = 0; attempt < 3 && m_pid <= 0; ++attempt) {
      m_port = free_port();
      m_tls_port = m_options.tls ? free_port() : 0;
      std::string urls = url() + "/";
      if (m_options.tls) urls += " " + ldaps_url() + "/";
      const std::string log = (m_dir.path() / "slapd.log").string();
      pid_t pid = ::fork();
      if (pid == 0) {
        FILE* out = std::freopen(log.c_str(), "a", stderr);
        (void)out;
        ::execl("/usr/sbin/slapd", "slapd", "-d", "0", "-f", conf.c_str(), "-h", urls.c_str(), nullptr);
        ::_exit(127);
      }
      bool exited = false;
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (std::chrono::steady_clock::now() < deadline) {
        if (accepts(m_port) && (!m_options.tls || accepts(m_tls_port))) {
          m_pid = pid;
          break;
        }
        // Exited: most likely a port taken meanwhile; try again with others.
        if ((exited = ::waitpid(pid, nullptr, WNOHANG) == pid)) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      if (m_pid <= 0 && !exited) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
      }
    }
    if (m_pid <= 0) throw std::runtime_error("slapd did not start: " + log());
  }

  void stop() {
    if (m_pid <= 0) return;
    ::kill(m_pid, SIGTERM);
    for (int i = 0; i < 250; ++i) {
      if (::waitpid(m_pid, nullptr, WNOHANG) == m_pid) {
        m_pid = 0;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(m_pid, SIGKILL);
    ::waitpid(m_pid, nullptr, 0);
    m_pid = 0;
  }

  SlapdOptions m_options;
  TempDir m_dir;
  pid_t m_pid = 0;
  int m_port = 0;
  int m_tls_port = 0;
};

}  // namespace idform::testing
