#pragma once
// Seeded generators of nasty but legal tenants, one per flavor, written as idp-sim seed files.
//
// Each seed gives a small tenant that draws from what real tenants hold and our own tests did not:
// Microsoft first-party and other tenant-external applications in policies, guests (#EXT# UPNs),
// users known only by id, deleted users still named by a policy, SAML entity ids that are not
// URLs (or empty), http:// reply URLs, empty strings, Unicode and emoji names, names with "/",
// "\", "..", ":", leading and trailing dots and spaces, 256-character names, duplicate and
// case-only-different names, groups nested 10 deep, cyclic nesting, members of types idform has
// no word for, apps with 50 roles and assignments to a deleted role, and policies with every
// condition set. The same seed always gives the same tenant.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace idform::testing::generator {

class Rng {
 public:
  explicit Rng(std::uint32_t seed) : m_engine(seed) {}
  int between(int low, int high) { return std::uniform_int_distribution<int>(low, high)(m_engine); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(m_engine) < p; }
  template <class T>
  const T& pick(const std::vector<T>& items) { return items[static_cast<std::size_t>(between(0, static_cast<int>(items.size()) - 1))]; }

 private:
  std::mt19937 m_engine;
};

inline void write_seed_json(const std::filesystem::path& root, const std::string& relative, const nlohmann::json& value) {
  std::filesystem::path file = root / relative;
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file) << value.dump(2);
}

// Names every identity provider accepts for groups, apps, policies and locations. Okta stores
// only characters of up to three UTF-8 bytes, so emoji are for Entra only.
inline std::vector<std::string> nasty_names(bool four_byte_characters) {
  std::vector<std::string> names = {
      "Engineering",          "engineering",          "Sales / EMEA",       "back\\slash",
      "..",                   "...dots...",           ".hidden.",           "a..b",
      "key: value",           " padded both ",        "trailing space ",    "Ünïcödé Gruppe",
      "日本語のグループ",     "Ω≈ç√",                 "CON",                "nul",
      "x",                    "-leading-dash",        "quotes \"and\" 'ticks'", "#hash",
      "true",                 "null",                 "123",                "line one\nline two",
      std::string(256, 'L'),  "tab\there",          "percent %2F",
  };
  if (four_byte_characters) {
    names.push_back("Rocket 🚀 team");
    names.push_back("🔥");
  }
  return names;
}

inline std::string hex_id(Rng& rng, int digits) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < digits; ++i) out += kHex[rng.between(0, 15)];
  return out;
}

inline std::string guid(Rng& rng) {
  return hex_id(rng, 8) + "-" + hex_id(rng, 4) + "-4" + hex_id(rng, 3) + "-8" + hex_id(rng, 3) + "-" + hex_id(rng, 12);
}

// Distinct names for `count` objects of one kind: mostly from the pool, with a duplicate and a
// case-only twin now and then.
inline std::vector<std::string> names_for(Rng& rng, int count, bool four_byte_characters, const std::string& prefix) {
  std::vector<std::string> pool = nasty_names(four_byte_characters);
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) {
    if (!out.empty() && rng.chance(0.12)) out.push_back(rng.pick(out));  // an exact duplicate
    else if (rng.chance(0.6)) out.push_back(rng.pick(pool));
    else out.push_back(prefix + "-" + std::to_string(i));
  }
  return out;
}

}  // namespace idform::testing::generator
