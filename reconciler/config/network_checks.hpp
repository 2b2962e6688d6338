#pragma once
// Checks of named-location values the schema's patterns cannot make: a CIDR range must be
// written as its network (no host bits set), and a country code must be assigned in ISO 3166-1.

#include <optional>
#include <string>
#include <string_view>

namespace idform::config {

// The network form of `cidr` ("192.0.2.0/24" for "192.0.2.1/24") when host bits are set in it;
// nullopt when it is already a network or cannot be read (the schema reports those).
std::optional<std::string> network_if_host_bits(const std::string& cidr);

// Whether `code` (upper case) is an officially assigned ISO 3166-1 alpha-2 code.
bool is_iso_country(std::string_view code);

}  // namespace idform::config
