#pragma once
// The directory server as the ldap provider sees it: paged searches and the four writes, behind
// an interface so that what sits on top (ranged retrieval, the group mapping) can be tested with
// a fake. ldap_directory.hpp is the real one, over OpenLDAP's libldap.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "reconciler/util/result.hpp"

namespace idform::providers::ldap {

// One search result entry. Attribute descriptions are lower case and keep their options
// ("member;range=0-1499"); values are raw bytes.
struct Entry {
  std::string dn;
  std::map<std::string, std::vector<std::string>> attributes;

  // The values of `attribute` (lower case), empty when absent.
  const std::vector<std::string>& values(const std::string& attribute) const;
  std::string first(const std::string& attribute) const;
};

enum class Scope { base, subtree };

struct SearchRequest {
  std::string base;
  Scope scope = Scope::subtree;
  std::string filter = "(objectClass=*)";
  std::vector<std::string> attributes;
};

struct Modification {
  enum class Op { add, remove, replace } op = Op::replace;
  std::string attribute;
  std::vector<std::string> values;  // remove with no values removes the attribute
};

class Directory {
 public:
  virtual ~Directory() = default;
  // Every entry `request` matches, page by page (RFC 2696) where the server pages; `each` sees
  // them in order and may stop the search with an error. A base that does not exist matches none.
  virtual Result<void> search(const SearchRequest& request, const std::function<Result<void>(Entry&&)>& each) = 0;
  virtual Result<void> add(const std::string& dn, const std::map<std::string, std::vector<std::string>>& attributes) = 0;
  // All modifications in one operation: the server applies all of them or none.
  virtual Result<void> modify(const std::string& dn, const std::vector<Modification>& modifications) = 0;
  // Renames the entry in place (modrdn); the old RDN value is removed.
  virtual Result<void> rename(const std::string& dn, const std::string& new_rdn) = 0;
  virtual Result<void> remove(const std::string& dn) = 0;
};

// RFC 4515: `value` escaped for use inside a search filter.
std::string escape_filter_value(std::string_view value);
// RFC 4514: `value` escaped for use as an attribute value in a DN.
std::string escape_rdn_value(std::string_view value);
// A DN in the form used to compare DNs: lower case, no spaces around separators.
std::string dn_key(std::string_view dn);
// The parent of a DN ("ou=groups,dc=x" for "cn=a,ou=groups,dc=x"); "" for a single RDN.
std::string parent_dn(std::string_view dn);
// The value of a DN's first RDN, unescaped ("a,b" for "cn=a\,b,ou=groups").
std::string first_rdn_value(std::string_view dn);

}  // namespace idform::providers::ldap
