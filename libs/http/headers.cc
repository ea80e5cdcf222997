#include "libs/http/headers.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "libs/http/absl_string.h"

namespace bitcontent::http {

std::optional<std::string_view> Headers::Get(std::string_view name) const {
  for (const Field& field : fields_) {
    if (absl::EqualsIgnoreCase(field.first, ToAbsl(name))) return field.second;
  }
  return std::nullopt;
}

std::vector<std::string_view> Headers::GetAll(std::string_view name) const {
  std::vector<std::string_view> values;
  for (const Field& field : fields_) {
    if (absl::EqualsIgnoreCase(field.first, ToAbsl(name))) values.push_back(field.second);
  }
  return values;
}

void Headers::Add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

void Headers::Set(std::string name, std::string value) {
  Remove(name);
  Add(std::move(name), std::move(value));
}

void Headers::Remove(std::string_view name) {
  std::erase_if(fields_, [name](const Field& field) {
    return absl::EqualsIgnoreCase(field.first, ToAbsl(name));
  });
}

}  // namespace bitcontent::http
