// Builds a tenant from its shape. Every choice comes from one splitmix64 stream per object
// (seeded with the tenant seed, the object kind and its index), so adding a user does not
// reshuffle the groups, and the output does not depend on the standard library's distributions.
// Members of a group are picked as an arithmetic progression modulo the user count (start and
// stride random, stride * count <= users), which gives distinct members without a shuffle.

#include "bench/tenant/tenant_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace bench {
namespace {

std::uint64_t splitmix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t hash_text(const std::string& text) {
  std::uint64_t hash = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ULL;
  return hash;
}

class Stream {
 public:
  Stream(std::uint64_t seed, const std::string& kind, std::uint64_t index)
      : m_state(seed ^ hash_text(kind) ^ (index * 0x632be59bd9b4e019ULL)) {}
  std::uint64_t next() { return splitmix(m_state); }
  int below(int bound) { return bound <= 0 ? 0 : static_cast<int>(next() % static_cast<std::uint64_t>(bound)); }

 private:
  std::uint64_t m_state;
};

std::string padded(int value, int width) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%0*d", width, value);
  return buffer;
}

// `count` distinct indices in [0, size): start + k * stride (mod size).
std::vector<int> progression(Stream& stream, int size, int count) {
  std::vector<int> out;
  if (size <= 0) return out;
  count = std::min(count, size);
  int max_stride = std::max(1, size / std::max(1, count));
  int stride = 1 + stream.below(max_stride);
  int start = stream.below(size);
  for (int k = 0; k < count; ++k) out.push_back(static_cast<int>((start + static_cast<long long>(k) * stride) % size));
  return out;
}

constexpr const char* kFirstNames[] = {"Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro",
                                       "Ines", "Jonas", "Kemi", "Liam", "Mara", "Nils", "Olga", "Priya"};
constexpr const char* kLastNames[] = {"Adams", "Brandt", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia",
                                      "Haddad", "Ito", "Jensen", "Kowalski", "Lopez", "Moreau", "Novak"};
constexpr const char* kDepartments[] = {"engineering", "finance", "sales", "support", "marketing",
                                        "legal", "people", "security", "data", "operations"};
constexpr const char* kCountries[] = {"DE", "FR", "GB", "NL", "US", "CA", "SE", "ES", "IT", "PL", "JP", "AU"};

void build_users(Tenant& tenant) {
  const auto& shape = tenant.shape;
  for (int i = 0; i < shape.users; ++i) {
    Stream stream(shape.seed, "user", static_cast<std::uint64_t>(i));
    User user;
    user.id = stable_guid(shape.seed, "user", static_cast<std::uint64_t>(i));
    user.first_name = kFirstNames[stream.below(std::size(kFirstNames))];
    user.last_name = kLastNames[stream.below(std::size(kLastNames))];
    user.upn = "user" + padded(i, 6) + "@bench.example";
    user.display_name = user.first_name + " " + user.last_name + " " + padded(i, 6);
    tenant.users.push_back(std::move(user));
  }
}

void build_groups(Tenant& tenant) {
  const auto& shape = tenant.shape;
  for (int i = 0; i < shape.groups; ++i) {
    Stream stream(shape.seed, "group", static_cast<std::uint64_t>(i));
    Group group;
    group.id = stable_guid(shape.seed, "group", static_cast<std::uint64_t>(i));
    if (i == 0) {
      group.name = "bench-break-glass";
      group.description = "Emergency access accounts, excluded from every policy";
      group.members = progression(stream, shape.users, 2);
    } else {
      const char* department = kDepartments[stream.below(std::size(kDepartments))];
      group.name = std::string("bench-") + department + "-" + padded(i, 5);
      group.description = std::string("Benchmark group ") + std::to_string(i) + " (" + department + ")";
      int average = shape.members_average;
      int count = average / 2 + stream.below(average + 1);
      group.members = progression(stream, shape.users, count);
    }
    // Owners are members too, as they usually are; one or two per group.
    int owners = group.members.size() > 1 && stream.below(2) == 1 ? 2 : 1;
    for (int k = 0; k < owners && k < static_cast<int>(group.members.size()); ++k) group.owners.push_back(group.members[k]);
    tenant.groups.push_back(std::move(group));
  }
}

void build_applications(Tenant& tenant) {
  const auto& shape = tenant.shape;
  for (int i = 0; i < shape.applications; ++i) {
    Stream stream(shape.seed, "application", static_cast<std::uint64_t>(i));
    Application app;
    const auto index = static_cast<std::uint64_t>(i);
    app.id = stable_guid(shape.seed, "application", index);
    app.app_id = stable_guid(shape.seed, "appId", index);
    app.service_principal_id = stable_guid(shape.seed, "servicePrincipal", index);
    app.saml = i % 2 == 0;
    app.name = "Bench App " + padded(i, 4);
    app.description = std::string(app.saml ? "SAML" : "OIDC") + " application " + std::to_string(i);
    std::string host = "app" + padded(i, 4) + ".bench.example";
    if (app.saml) {
      app.entity_id = "https://" + host + "/saml";
      app.acs_url = "https://" + host + "/saml/acs";
      app.roles = {"User", "Admin"};
      app.role_ids = {stable_guid(shape.seed, "role-user", index), stable_guid(shape.seed, "role-admin", index)};
    } else {
      app.redirect_uri = "https://" + host + "/oauth/callback";
    }
    // Group 0 is break-glass; assignments go to the other groups.
    auto groups = progression(stream, std::max(0, shape.groups - 1), shape.assignments_per_app);
    for (std::size_t k = 0; k < groups.size(); ++k) {
      Assignment assignment;
      assignment.id = stable_guid(shape.seed, "assignment", index * 1000 + k);
      assignment.group = groups[k] + 1;
      assignment.role = app.saml ? (k == 0 ? "Admin" : "User") : "";
      app.assignments.push_back(assignment);
    }
    tenant.applications.push_back(std::move(app));
  }
}

void build_locations(Tenant& tenant) {
  const auto& shape = tenant.shape;
  for (int i = 0; i < shape.locations; ++i) {
    Stream stream(shape.seed, "location", static_cast<std::uint64_t>(i));
    Location location;
    location.id = stable_guid(shape.seed, "location", static_cast<std::uint64_t>(i));
    location.countries = i % 3 == 2;
    if (location.countries) {
      location.name = "bench-countries-" + padded(i, 3);
      int first = stream.below(std::size(kCountries));
      for (int k = 0; k < 3; ++k) location.values.push_back(kCountries[(first + k * 5) % std::size(kCountries)]);
    } else {
      location.name = "bench-network-" + padded(i, 3);
      location.trusted = i % 2 == 0;
      int ranges = 1 + stream.below(3);
      for (int k = 0; k < ranges; ++k)
        location.values.push_back("10." + std::to_string(i % 250) + "." + std::to_string(k * 16 + stream.below(16)) + ".0/24");
      std::sort(location.values.begin(), location.values.end());
      location.values.erase(std::unique(location.values.begin(), location.values.end()), location.values.end());
    }
    tenant.locations.push_back(std::move(location));
  }
}

void build_policies(Tenant& tenant) {
  const auto& shape = tenant.shape;
  for (int i = 0; i < shape.policies; ++i) {
    Stream stream(shape.seed, "policy", static_cast<std::uint64_t>(i));
    Policy policy;
    policy.id = stable_guid(shape.seed, "policy", static_cast<std::uint64_t>(i));
    policy.rule_id = stable_okta_id(shape.seed, "0pr", static_cast<std::uint64_t>(i));
    policy.name = "CA-" + padded(i, 3) + " Bench policy";
    policy.state = i % 10 == 9 ? "report-only" : "enabled";
    if (i % 3 != 0 && shape.groups > 1) {
      auto groups = progression(stream, shape.groups - 1, 2);
      for (int g : groups) policy.include_groups.push_back(g + 1);
    }
    policy.exclude_group = 0;
    // Three applications per policy, disjoint between policies: Okta attaches an authentication
    // policy to each application it covers, and an application can have only one.
    if (3 * (i + 1) <= shape.applications)
      for (int k = 0; k < 3; ++k) policy.include_apps.push_back(3 * i + k);
    if (i % 4 == 0 && shape.locations > 0) policy.exclude_locations = progression(stream, shape.locations, 1 + stream.below(2));
    policy.block = i % 5 == 4;
    policy.client_app_types = policy.block ? std::vector<std::string>{"exchange_active_sync", "other"}
                                           : std::vector<std::string>{"browser", "mobile_and_desktop"};
    tenant.policies.push_back(std::move(policy));
  }
}

}  // namespace

std::string stable_guid(std::uint64_t seed, const std::string& kind, std::uint64_t index) {
  Stream stream(seed, "guid:" + kind, index);
  std::uint64_t a = stream.next(), b = stream.next();
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0x0fff),
                static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3fff)),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buffer;
}

std::string stable_okta_id(std::uint64_t seed, const std::string& prefix, std::uint64_t index) {
  static const char kAlphabet[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  Stream stream(seed, "okta:" + prefix, index);
  std::string id = prefix;
  while (id.size() < 20) id += kAlphabet[stream.next() % 62];
  return id;
}

std::vector<std::string> shape_names() { return {"small", "medium", "large"}; }

TenantShape scaled_shape(const std::string& name, double factor) {
  // Issue 8's large tenant.
  TenantShape shape{name, 20000, 5000, 100, 1000, 5, 100, 20, 42};
  auto scale = [&](int value, int minimum) {
    return std::max(minimum, static_cast<int>(std::lround(value * factor)));
  };
  shape.users = scale(shape.users, 200);
  shape.groups = scale(shape.groups, 10);
  shape.applications = scale(shape.applications, 5);
  shape.policies = scale(shape.policies, 3);
  shape.locations = scale(shape.locations, 2);
  return shape;
}

TenantShape shape_by_name(const std::string& name) {
  if (name == "small") return scaled_shape(name, 0.1);
  if (name == "medium") return scaled_shape(name, 0.25);
  if (name == "large") return scaled_shape(name, 1.0);
  // "local-20k": the large tenant's proportions scaled to 20,000 objects.
  if (name.rfind("local-", 0) == 0 && name.size() > 7 && name.back() == 'k') {
    double objects = std::stod(name.substr(6, name.size() - 7)) * 1000.0;
    TenantShape large = scaled_shape("large", 1.0);
    return scaled_shape(name, objects / large.objects());
  }
  throw std::invalid_argument("unknown tenant shape '" + name + "' (small, medium, large, local-Nk)");
}

long long Tenant::memberships() const {
  long long total = 0;
  for (const auto& group : groups) total += static_cast<long long>(group.members.size());
  return total;
}

long long Tenant::ownerships() const {
  long long total = 0;
  for (const auto& group : groups) total += static_cast<long long>(group.owners.size());
  return total;
}

long long Tenant::assignment_count() const {
  long long total = 0;
  for (const auto& app : applications) total += static_cast<long long>(app.assignments.size());
  return total;
}

Tenant build_tenant(const TenantShape& shape) {
  Tenant tenant;
  tenant.shape = shape;
  build_users(tenant);
  build_groups(tenant);
  build_applications(tenant);
  build_locations(tenant);
  build_policies(tenant);
  return tenant;
}

}  // namespace bench
