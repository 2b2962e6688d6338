// Neutralising control characters in tenant text before it is rendered (see printable.hpp).
// UTF-8 is decoded only as far as needed to recognise C1 controls (U+0080..U+009F) and the
// bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069);
// every other byte passes through as it came.

#include "reconciler/render/printable.hpp"

#include <cstdio>
#include <map>
#include <type_traits>

namespace idform::render {
namespace {

std::string hex_escape(const char* format, unsigned value) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

bool bidi_control(unsigned code) {
  return code == 0x061C || code == 0x200E || code == 0x200F || (code >= 0x202A && code <= 0x202E) ||
         (code >= 0x2066 && code <= 0x2069);
}

// The length of the sequence at `at` that must be escaped (0 when none), and its code point.
size_t escaped_length(std::string_view text, size_t at, unsigned& code) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char first = byte(at);
  if (first < 0x20 || first == 0x7F) {
    code = first;
    return 1;
  }
  if (first == 0xC2 && at + 1 < text.size() && byte(at + 1) >= 0x80 && byte(at + 1) <= 0x9F) {
    code = byte(at + 1);
    return 2;
  }
  if ((first == 0xD8 || first == 0xE2) && at + 1 < text.size()) {
    if (first == 0xD8 && byte(at + 1) == 0x9C) {
      code = 0x061C;
      return 2;
    }
    if (first == 0xE2 && at + 2 < text.size()) {
      unsigned value = ((first & 0x0Fu) << 12) | ((byte(at + 1) & 0x3Fu) << 6) | (byte(at + 2) & 0x3Fu);
      if ((byte(at + 1) & 0xC0) == 0x80 && (byte(at + 2) & 0xC0) == 0x80 && bidi_control(value)) {
        code = value;
        return 3;
      }
    }
  }
  return 0;
}

bool needs_escaping(std::string_view text) {
  unsigned code = 0;
  for (size_t i = 0; i < text.size(); ++i)
    if (escaped_length(text, i, code) > 0) return true;
  return false;
}

// Calls `visit` on every string of the plan that reaches a renderer (JSON values included), for
// a const plan (to look) or a mutable one (to change).
template <typename Plan, typename Visit>
void each_string(Plan& plan, Visit&& visit) {
  auto json_strings = [&](auto& value, auto& self) -> void {
    if (value.is_string()) {
      visit(value.template get_ref<std::conditional_t<std::is_const_v<Plan>, const std::string&, std::string&>>());
    } else if (value.is_array() || value.is_object()) {
      for (auto& item : value) self(item, self);
    }
  };
  visit(plan.target);
  visit(plan.provider);
  visit(plan.source.commit);
  for (auto& change : plan.changes) {
    visit(change.address);
    visit(change.name);
    visit(change.id);
    visit(change.reason);
    for (auto& guard : change.guards) visit(guard);
    for (auto& attribute : change.attributes) {
      visit(attribute.path);
      json_strings(attribute.before, json_strings);
      json_strings(attribute.after, json_strings);
      for (auto& element : attribute.added) visit(element);
      for (auto& element : attribute.removed) visit(element);
      if constexpr (std::is_const_v<Plan>) {
        for (const auto& [element, note] : attribute.notes) {
          visit(element);
          visit(note);
        }
      } else {
        std::map<std::string, std::string> notes;  // keys cannot change in place
        for (const auto& entry : attribute.notes) {
          std::string element = entry.first;
          std::string note = entry.second;
          visit(element);
          visit(note);
          notes.emplace(std::move(element), std::move(note));
        }
        attribute.notes = std::move(notes);
      }
    }
  }
  for (auto& object : plan.unmanaged) {
    visit(object.address);
    visit(object.id);
  }
  for (auto* findings : {&plan.guards, &plan.remediations})
    for (auto& finding : *findings) {
      visit(finding.guard);
      visit(finding.message);
      for (auto& address : finding.addresses) visit(address);
    }
  for (auto& grant : plan.grants) {
    visit(grant.address);
    visit(grant.element);
    visit(grant.path);
    visit(grant.expires);
    visit(grant.reason);
    visit(grant.status);
  }
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    unsigned code = 0;
    size_t length = escaped_length(text, i, code);
    if (length == 0) {
      out += text[i++];
      continue;
    }
    out += code < 0x80 ? hex_escape("\\x%02x", code) : hex_escape("\\u%04x", code);
    i += length;
  }
  return out;
}

const plan::Plan& printable_plan(const plan::Plan& plan, std::optional<plan::Plan>& storage) {
  bool needed = false;
  each_string(plan, [&](const std::string& text) { needed = needed || needs_escaping(text); });
  if (!needed) return plan;
  storage = plan;
  each_string(*storage, [](std::string& text) {
    if (needs_escaping(text)) text = printable(text);
  });
  return *storage;
}

}  // namespace idform::render
