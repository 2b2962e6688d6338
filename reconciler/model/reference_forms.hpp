#pragma once
// Reference values that name an object without its name:
//   "<type>:id:<ID>"           any object by its id in the tenant ("user:id:<ID>" for a guest, a
//                              deleted or a not-yet-synced user known only by id);
//   "app:microsoft:<NAME>"     a Microsoft first-party application by its well-known name;
//   "app:appid:<GUID>"         an application from outside the tenant by its application id;
//   "app:okta:<NAME>"          one of Okta's own applications by its Okta app name.
// The last three are tenant-external: no document declares them, the provider resolves them.

#include <string>
#include <string_view>

#include "reconciler/model/resource.hpp"

namespace idform::model {

inline bool is_by_id(const Reference& reference) { return reference.value.starts_with("id:"); }

// "app:microsoft:", "app:appid:" or "app:okta:".
bool is_external_app(const Reference& reference);

// Lower-cases text[from, to) unless it is an "id:" value: user addresses compare
// case-insensitively, ids as they are (Okta's ids are case-sensitive).
void lower_user_part(std::string& text, std::size_t from, std::size_t to);
// A user reference's value ("alice@acme.example" or "id:<ID>") as it compares.
std::string user_value_key(std::string_view value);

}  // namespace idform::model
