#pragma once
// The Directory over OpenLDAP's libldap: one connection, opened and bound by connect(), used by
// one operation at a time (a mutex; the applier may call from several threads). Searches send
// the simple paged results control (RFC 2696, non-critical, so a server without it answers in
// one piece). TLS (ldaps:// or StartTLS) always verifies the server's certificate and host name,
// against ca_file when one is given. The bind password never appears in an error.

#include <ldap.h>

#include <memory>
#include <mutex>

#include "providers/ldap/directory.hpp"
#include "providers/ldap/ldap_settings.hpp"

namespace idform::providers::ldap {

class LdapDirectory final : public Directory {
 public:
  ~LdapDirectory() override;
  // Connects, upgrades with StartTLS when asked, and binds.
  static Result<std::unique_ptr<LdapDirectory>> connect(const LdapSettings& settings);

  Result<void> search(const SearchRequest& request, const std::function<Result<void>(Entry&&)>& each) override;
  Result<void> add(const std::string& dn, const std::map<std::string, std::vector<std::string>>& attributes) override;
  Result<void> modify(const std::string& dn, const std::vector<Modification>& modifications) override;
  Result<void> rename(const std::string& dn, const std::string& new_rdn) override;
  Result<void> remove(const std::string& dn) override;

  // Search requests sent so far (one per page).
  int search_requests() const { return m_search_requests; }

 private:
  LdapDirectory(LDAP* handle, int page_size, int timeout_seconds)
      : m_ldap(handle), m_page_size(page_size), m_timeout_seconds(timeout_seconds) {}
  // "what failed: the server's message (code)", with the server's diagnostic message if any.
  Error error(const std::string& what, int code) const;
  // One page of a search: its entries to `each`; the next cookie ("" when done).
  Result<std::string> search_page(const SearchRequest& request, const std::string& cookie,
                                  const std::function<Result<void>(Entry&&)>& each);

  LDAP* m_ldap;
  int m_page_size;
  int m_timeout_seconds;
  int m_search_requests = 0;
  std::mutex m_mutex;
};

}  // namespace idform::providers::ldap
