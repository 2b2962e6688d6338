// The reference values that name an object by id or from outside the tenant (reference_forms.hpp).

#include "reconciler/model/reference_forms.hpp"

#include <algorithm>

namespace idform::model {

bool is_external_app(const Reference& reference) {
  const std::string& value = reference.value;
  return reference.type == "app" &&
         (value.starts_with("microsoft:") || value.starts_with("appid:") || value.starts_with("okta:"));
}

void lower_user_part(std::string& text, std::size_t from, std::size_t to) {
  to = std::min(to, text.size());
  if (from >= to || std::string_view(text).substr(from).starts_with("id:")) return;
  for (std::size_t i = from; i < to; ++i)
    if (text[i] >= 'A' && text[i] <= 'Z') text[i] = static_cast<char>(text[i] - 'A' + 'a');
}

std::string user_value_key(std::string_view value) {
  std::string out(value);
  lower_user_part(out, 0, out.size());
  return out;
}

}  // namespace idform::model
