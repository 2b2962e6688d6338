#pragma once
// Resources as both sides of a plan see them.
//
// A Resource is one object of one kind: its name, optional live id, lifecycle state and a `spec`,
// the managed attributes in the config language's own JSON form (see kind.hpp). Desired
// resources come from YAML and carry source locations; live resources come from a provider,
// which expresses every reference by name ("group:payments-oncall", "user:alice@acme.example"),
// never by raw id, so both sides compare directly.

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/model/kind.hpp"
#include "reconciler/model/locations.hpp"
#include "reconciler/util/result.hpp"

namespace idform::model {

enum class Lifecycle { present, absent };

// Extra information about a member entry that has some (desired side only).
struct EntryInfo {
  std::string expires;  // ISO date "YYYY-MM-DD", empty = permanent
  std::string reason;
  SourceLocation where;
};

struct Resource {
  Kind kind = Kind::group;
  std::string name;
  std::string id;  // live id; on the desired side only when pinned with `id:`
  Lifecycle lifecycle = Lifecycle::present;
  nlohmann::json spec = nlohmann::json::object();

  // Desired side only.
  SourceLocation where;                         // the document's `kind:` line
  Locations locations;                          // spec path or "path[element]" -> source
  std::map<std::string, EntryInfo> entry_info;  // member element -> expiry, reason; only members
                                                // written with an expires: or reason:
  bool additive_members = false;                     // `membership: additive`

  // Live side only: built-in or vendor-owned (Okta's Everyone group, Microsoft first-party apps,
  // default policies). Never changed, never pruned, skipped by import unless asked for.
  bool read_only = false;

  std::string address() const;  // "group:payments-admins"
};

// A user in the tenant's directory. Users are referenced, never managed.
struct User {
  std::string id;
  std::string email;  // userPrincipalName / login
  std::string display_name;
};

struct DesiredState {
  std::vector<Resource> resources;
};

struct LiveState {
  std::vector<Resource> resources;
  std::vector<User> users;  // the users the read was asked to resolve (or all, for the sandbox)
};

// (Kind::group, "payments-admins") -> "group:payments-admins".
std::string make_address(Kind kind, std::string_view name);

// Typed references inside specs: "group:x", "user:a@b", "app:x", "location:x", "role:x", or a
// bare keyword ("all", "any", ...).
struct Reference {
  std::string type;  // "group", "user", "app", "location", "role", or "" for a keyword
  std::string value;

  static Reference parse(std::string_view text);
  std::string to_string() const;
};

// Member and assignment elements are encoded as strings so they compare as sets:
//   members:     "user:alice@acme.example", "group:payments-oncall"
//   assignments: "group:sales", "group:sales|role:Standard User"
struct AssignmentElement {
  Reference principal;
  std::string role;  // empty = the application's default role

  static AssignmentElement parse(std::string_view text);
  std::string to_string() const;
};

// How an element reads in a plan: "group:sales (role: Standard User)".
std::string describe_element(std::string_view element);

// Calls visit(type, value) for every typed reference a spec makes to another object (members,
// reference lists, assignment principals, owners, who are users), as views into the spec: the
// one walk of references, behind references_of and referenced_users. Keywords are skipped.
void for_each_reference(const Resource& resource,
                        const std::function<void(std::string_view type, std::string_view value)>& visit);

// Every typed reference a spec makes to another object (for dependencies and checks).
std::vector<Reference> references_of(const Resource& resource);

// The users the config names, by address, lower-cased, sorted and each once: what a read is
// asked to resolve. A user pinned by `id:` needs no lookup and is left out.
std::vector<std::string> referenced_users(const DesiredState& desired);

}  // namespace idform::model
