#pragma once
// Active Directory's range retrieval (MS-ADTS 3.1.1.3.1.3.3): a multi-valued attribute with more
// values than the server's MaxValRange (1,500 by default) comes back as "member;range=0-1499"
// with an empty "member", and the rest must be asked for as "member;range=1500-*" and so on,
// until the server answers with a range ending in "*". OpenLDAP returns every value at once;
// this then costs nothing.

#include <string>
#include <vector>

#include "providers/ldap/directory.hpp"

namespace idform::providers::ldap {

// Every value of `attribute` (lower case) of `entry`, following ranges with base searches on
// the entry's DN when the server returned only the first range.
Result<std::vector<std::string>> complete_values(Directory& directory, const Entry& entry, const std::string& attribute);

}  // namespace idform::providers::ldap
