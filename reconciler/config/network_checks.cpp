// CIDR ranges are compared as written after normalising the address, so "192.0.2.1/24" and the
// "192.0.2.0/24" an identity provider returns would differ forever; and a typo in a country code
// would silently match no sign-in. Both are errors at load time instead.
//
// The country list is the set of officially assigned ISO 3166-1 alpha-2 codes (249), as the ISO
// 3166 Maintenance Agency publishes them; reserved and user-assigned codes (EU, XK, ...) are not
// in it.

#include "reconciler/config/network_checks.hpp"

#include <arpa/inet.h>
#include <array>

#include "reconciler/model/normalize.hpp"

namespace idform::config {
namespace {

constexpr std::string_view kCountries =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ "
    "BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ "
    "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ "
    "DE DJ DK DM DO DZ "
    "EC EE EG EH ER ES ET "
    "FI FJ FK FM FO FR "
    "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY "
    "HK HM HN HR HT HU "
    "ID IE IL IM IN IO IQ IR IS IT "
    "JE JM JO JP "
    "KE KG KH KI KM KN KP KR KW KY KZ "
    "LA LB LC LI LK LR LS LT LU LV LY "
    "MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ "
    "NA NC NE NF NG NI NL NO NP NR NU NZ "
    "OM "
    "PA PE PF PG PH PK PL PM PN PR PS PT PW PY "
    "QA "
    "RE RO RS RU RW "
    "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ "
    "TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ "
    "UA UG UM US UY UZ "
    "VA VC VE VG VI VN VU "
    "WF WS "
    "YE YT "
    "ZA ZM ZW";

}  // namespace

std::optional<std::string> network_if_host_bits(const std::string& cidr) {
  auto slash = cidr.find('/');
  if (slash == std::string::npos) return std::nullopt;
  std::string network = model::normalize_cidr(cidr);
  std::string address = cidr.substr(0, slash), network_address = network.substr(0, network.find('/'));
  int family = address.find(':') == std::string::npos ? AF_INET : AF_INET6;
  std::array<unsigned char, 16> written{}, masked{};
  if (inet_pton(family, address.c_str(), written.data()) != 1 ||
      inet_pton(family, network_address.c_str(), masked.data()) != 1 || written == masked)
    return std::nullopt;
  return network;
}

bool is_iso_country(std::string_view code) {
  if (code.size() != 2) return false;
  for (std::size_t at = 0; at + 2 <= kCountries.size(); at += 3)
    if (kCountries.substr(at, 2) == code) return true;
  return false;
}

}  // namespace idform::config
