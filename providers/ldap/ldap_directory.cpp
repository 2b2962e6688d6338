// The Directory over libldap: connection set-up (TLS, StartTLS, simple bind), paged searches
// (RFC 2696: send the control with the server's last cookie until it returns an empty one) and
// the writes, each a synchronous libldap call under the connection's mutex.

#include "providers/ldap/ldap_directory.hpp"

#include <sys/time.h>

#include <cctype>

namespace idform::providers::ldap {
namespace {

// libldap's LDAPMod arrays for a set of (attribute, operation, values), kept alive together.
class ModList {
 public:
  void push(int op, const std::string& attribute, const std::vector<std::string>& values) {
    auto& item = m_items.emplace_back();
    item.attribute = attribute;
    for (const std::string& value : values)
      item.values.push_back(berval{static_cast<ber_len_t>(value.size()), const_cast<char*>(value.data())});
    item.mod.mod_op = op | LDAP_MOD_BVALUES;
  }
  LDAPMod** get() {
    m_pointers.clear();
    m_value_pointers.clear();
    m_value_pointers.reserve(m_items.size());
    for (auto& item : m_items) {
      auto& pointers = m_value_pointers.emplace_back();
      for (auto& value : item.values) pointers.push_back(&value);
      pointers.push_back(nullptr);
      item.mod.mod_type = item.attribute.data();
      // A removal without values removes the whole attribute.
      item.mod.mod_bvalues = item.values.empty() ? nullptr : pointers.data();
      m_pointers.push_back(&item.mod);
    }
    m_pointers.push_back(nullptr);
    return m_pointers.data();
  }

 private:
  struct Item {
    std::string attribute;
    std::vector<berval> values;
    LDAPMod mod{};
  };
  std::vector<Item> m_items;
  std::vector<std::vector<berval*>> m_value_pointers;
  std::vector<LDAPMod*> m_pointers;
};

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

Entry read_entry(LDAP* ld, LDAPMessage* message) {
  Entry entry;
  if (char* dn = ldap_get_dn(ld, message)) {
    entry.dn = dn;
    ldap_memfree(dn);
  }
  BerElement* ber = nullptr;
  for (char* name = ldap_first_attribute(ld, message, &ber); name; name = ldap_next_attribute(ld, message, ber)) {
    auto& values = entry.attributes[lower(name)];
    if (berval** found = ldap_get_values_len(ld, message, name)) {
      for (berval** value = found; *value; ++value) values.emplace_back((*value)->bv_val, (*value)->bv_len);
      ldap_value_free_len(found);
    }
    ldap_memfree(name);
  }
  if (ber) ber_free(ber, 0);
  return entry;
}

}  // namespace

LdapDirectory::~LdapDirectory() {
  if (m_ldap) ldap_unbind_ext_s(m_ldap, nullptr, nullptr);
}

Error LdapDirectory::error(const std::string& what, int code) const {
  std::string detail = ldap_err2string(code);
  char* diagnostic = nullptr;
  if (ldap_get_option(m_ldap, LDAP_OPT_DIAGNOSTIC_MESSAGE, &diagnostic) == LDAP_OPT_SUCCESS && diagnostic) {
    if (*diagnostic) detail += ": " + std::string(diagnostic);
    ldap_memfree(diagnostic);
  }
  return Error{what, detail + " (LDAP result " + std::to_string(code) + ")", {}, {}};
}

Result<std::unique_ptr<LdapDirectory>> LdapDirectory::connect(const LdapSettings& settings) {
  LDAP* handle = nullptr;
  int rc = ldap_initialize(&handle, settings.url.c_str());
  if (rc != LDAP_SUCCESS) return fail("cannot use LDAP URL " + settings.url, ldap_err2string(rc));
  std::unique_ptr<LdapDirectory> directory(new LdapDirectory(handle, settings.page_size, settings.timeout_seconds));
  const std::string where = "LDAP server " + settings.url;

  int version = LDAP_VERSION3;
  ldap_set_option(handle, LDAP_OPT_PROTOCOL_VERSION, &version);
  ldap_set_option(handle, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);  // Active Directory refers to other partitions
  timeval timeout{settings.timeout_seconds, 0};
  ldap_set_option(handle, LDAP_OPT_NETWORK_TIMEOUT, &timeout);
  ldap_set_option(handle, LDAP_OPT_TIMEOUT, &timeout);
  // Certificates are always verified (and the host name checked); the options apply to this
  // connection only once a new TLS context is made from them.
  int demand = LDAP_OPT_X_TLS_DEMAND;
  if ((rc = ldap_set_option(handle, LDAP_OPT_X_TLS_REQUIRE_CERT, &demand)) != LDAP_OPT_SUCCESS)
    return fail(where + ": cannot require certificate verification", ldap_err2string(rc));
  if (!settings.ca_file.empty() &&
      (rc = ldap_set_option(handle, LDAP_OPT_X_TLS_CACERTFILE, settings.ca_file.c_str())) != LDAP_OPT_SUCCESS)
    return fail(where + ": cannot use ca_file " + settings.ca_file, ldap_err2string(rc));
  int is_server = 0;
  if ((rc = ldap_set_option(handle, LDAP_OPT_X_TLS_NEWCTX, &is_server)) != LDAP_OPT_SUCCESS)
    return fail(where + ": cannot set up TLS", directory->error("", rc).detail);

  if (settings.start_tls && (rc = ldap_start_tls_s(handle, nullptr, nullptr)) != LDAP_SUCCESS)
    return fail(directory->error(where + ": StartTLS failed", rc));
  berval credentials{static_cast<ber_len_t>(settings.password.size()), const_cast<char*>(settings.password.data())};
  rc = ldap_sasl_bind_s(handle, settings.bind_dn.empty() ? nullptr : settings.bind_dn.c_str(), LDAP_SASL_SIMPLE,
                        &credentials, nullptr, nullptr, nullptr);
  if (rc != LDAP_SUCCESS)
    return fail(directory->error(where + ": cannot bind as " + (settings.bind_dn.empty() ? "anonymous" : settings.bind_dn), rc));
  return directory;
}

Result<std::string> LdapDirectory::search_page(const SearchRequest& request, const std::string& cookie,
                                               const std::function<Result<void>(Entry&&)>& each) {
  berval cookie_value{static_cast<ber_len_t>(cookie.size()), const_cast<char*>(cookie.data())};
  LDAPControl* page = nullptr;
  int rc = ldap_create_page_control(m_ldap, static_cast<ber_int_t>(m_page_size), &cookie_value, 0, &page);
  if (rc != LDAP_SUCCESS) return fail(error("cannot make the paged results control", rc));
  LDAPControl* controls[] = {page, nullptr};
  std::vector<char*> attributes;
  for (const std::string& attribute : request.attributes) attributes.push_back(const_cast<char*>(attribute.c_str()));
  attributes.push_back(nullptr);
  timeval timeout{m_timeout_seconds, 0};
  LDAPMessage* result = nullptr;
  ++m_search_requests;
  rc = ldap_search_ext_s(m_ldap, request.base.c_str(), request.scope == Scope::base ? LDAP_SCOPE_BASE : LDAP_SCOPE_SUBTREE,
                         request.filter.c_str(), attributes.data(), 0, controls, nullptr, &timeout, LDAP_NO_LIMIT, &result);
  ldap_control_free(page);
  std::unique_ptr<LDAPMessage, int (*)(LDAPMessage*)> owned(result, ldap_msgfree);
  if (rc == LDAP_NO_SUCH_OBJECT) return std::string();
  if (rc != LDAP_SUCCESS) return fail(error("search of " + request.base + " for " + request.filter + " failed", rc));
  for (LDAPMessage* message = ldap_first_entry(m_ldap, result); message; message = ldap_next_entry(m_ldap, message))
    IDFORM_TRY(each(read_entry(m_ldap, message)));

  LDAPControl** returned = nullptr;
  int code = LDAP_SUCCESS;
  rc = ldap_parse_result(m_ldap, result, &code, nullptr, nullptr, nullptr, &returned, 0);
  if (rc != LDAP_SUCCESS) return fail(error("cannot read the search result", rc));
  std::unique_ptr<LDAPControl*, void (*)(LDAPControl**)> owned_controls(returned, ldap_controls_free);
  LDAPControl* response = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, returned, nullptr);
  if (!response) return std::string();  // the server did not page: everything came at once
  ber_int_t estimate = 0;
  berval next{0, nullptr};
  rc = ldap_parse_pageresponse_control(m_ldap, response, &estimate, &next);
  if (rc != LDAP_SUCCESS) return fail(error("cannot read the paged results control", rc));
  std::string out = next.bv_val ? std::string(next.bv_val, next.bv_len) : std::string();
  if (next.bv_val) ber_memfree(next.bv_val);
  return out;
}

Result<void> LdapDirectory::search(const SearchRequest& request, const std::function<Result<void>(Entry&&)>& each) {
  std::lock_guard lock(m_mutex);
  std::string cookie;
  do {
    cookie = IDFORM_TRY(search_page(request, cookie, each));
  } while (!cookie.empty());
  return {};
}

Result<void> LdapDirectory::add(const std::string& dn, const std::map<std::string, std::vector<std::string>>& attributes) {
  std::lock_guard lock(m_mutex);
  ModList mods;
  for (const auto& [attribute, values] : attributes) mods.push(LDAP_MOD_ADD, attribute, values);
  int rc = ldap_add_ext_s(m_ldap, dn.c_str(), mods.get(), nullptr, nullptr);
  if (rc != LDAP_SUCCESS) return fail(error("cannot add " + dn, rc));
  return {};
}

Result<void> LdapDirectory::modify(const std::string& dn, const std::vector<Modification>& modifications) {
  std::lock_guard lock(m_mutex);
  ModList mods;
  for (const Modification& modification : modifications) {
    int op = modification.op == Modification::Op::add      ? LDAP_MOD_ADD
             : modification.op == Modification::Op::remove ? LDAP_MOD_DELETE
                                                            : LDAP_MOD_REPLACE;
    mods.push(op, modification.attribute, modification.values);
  }
  int rc = ldap_modify_ext_s(m_ldap, dn.c_str(), mods.get(), nullptr, nullptr);
  if (rc != LDAP_SUCCESS) return fail(error("cannot modify " + dn, rc));
  return {};
}

Result<void> LdapDirectory::rename(const std::string& dn, const std::string& new_rdn) {
  std::lock_guard lock(m_mutex);
  int rc = ldap_rename_s(m_ldap, dn.c_str(), new_rdn.c_str(), nullptr, 1, nullptr, nullptr);
  if (rc != LDAP_SUCCESS) return fail(error("cannot rename " + dn + " to " + new_rdn, rc));
  return {};
}

Result<void> LdapDirectory::remove(const std::string& dn) {
  std::lock_guard lock(m_mutex);
  int rc = ldap_delete_ext_s(m_ldap, dn.c_str(), nullptr, nullptr);
  if (rc != LDAP_SUCCESS) return fail(error("cannot delete " + dn, rc));
  return {};
}

}  // namespace idform::providers::ldap
