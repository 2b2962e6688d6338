// Follows Active Directory's ranged retrieval: reads the range the server returned
// ("member;range=LOW-HIGH"), then asks for "member;range=HIGH+1-*" until HIGH is "*".

#include "providers/ldap/ranged_values.hpp"

#include <charconv>
#include <optional>

namespace idform::providers::ldap {
namespace {

struct Range {
  long low = 0;
  std::optional<long> high;  // nullopt: "*", the last range
  const std::vector<std::string>* values = nullptr;
};

// The ranged form of `attribute` in `entry`, if the server returned one.
Result<std::optional<Range>> find_range(const Entry& entry, const std::string& attribute) {
  const std::string prefix = attribute + ";range=";
  for (const auto& [name, values] : entry.attributes) {
    if (!name.starts_with(prefix)) continue;
    std::string_view text = std::string_view(name).substr(prefix.size());
    auto dash = text.find('-');
    Range range;
    range.values = &values;
    std::string_view low = text.substr(0, dash);
    std::string_view high = dash == std::string_view::npos ? std::string_view() : text.substr(dash + 1);
    auto parsed = std::from_chars(low.data(), low.data() + low.size(), range.low);
    bool ok = dash != std::string_view::npos && parsed.ec == std::errc() && parsed.ptr == low.data() + low.size();
    if (ok && high != "*") {
      long value = 0;
      auto parsed_high = std::from_chars(high.data(), high.data() + high.size(), value);
      ok = parsed_high.ec == std::errc() && parsed_high.ptr == high.data() + high.size() && value >= range.low;
      range.high = value;
    }
    if (!ok) return fail("cannot read the range of " + name + " of " + entry.dn);
    return std::optional<Range>(range);
  }
  return std::optional<Range>();
}

}  // namespace

Result<std::vector<std::string>> complete_values(Directory& directory, const Entry& entry, const std::string& attribute) {
  std::optional<Range> range = IDFORM_TRY(find_range(entry, attribute));
  if (!range) return entry.values(attribute);
  std::vector<std::string> out = *range->values;
  long expected_low = 0;
  Entry next;
  while (true) {
    if (range->low != expected_low)
      return fail("range retrieval of " + attribute + " of " + entry.dn + " skipped values",
                  "asked from " + std::to_string(expected_low) + ", got from " + std::to_string(range->low));
    if (!range->high) return out;
    expected_low = *range->high + 1;
    SearchRequest request{entry.dn, Scope::base, "(objectClass=*)",
                          {attribute + ";range=" + std::to_string(expected_low) + "-*"}};
    next = Entry{};
    IDFORM_TRY(directory.search(request, [&](Entry&& found) -> Result<void> {
      next = std::move(found);
      return {};
    }));
    range = IDFORM_TRY(find_range(next, attribute));
    if (!range) return fail("range retrieval of " + attribute + " of " + entry.dn + " stopped without a last range");
    out.insert(out.end(), range->values->begin(), range->values->end());
  }
}

}  // namespace idform::providers::ldap
