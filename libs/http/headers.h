// Headers: an ordered list of HTTP header fields with case-insensitive lookup.
//
// Used by the server's Request and Response and by the client's request and response.
// Field names keep the spelling they were given; lookups ignore ASCII case, as HTTP
// requires. A field may appear more than once (Add); Set replaces every occurrence.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bitcontent::http {

class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  Headers() = default;
  Headers(std::initializer_list<Field> fields) : fields_(fields) {}

  // Returns the value of the first field called `name` (any case), or nullopt.
  std::optional<std::string_view> Get(std::string_view name) const;

  // Returns the values of every field called `name` (any case), in order.
  std::vector<std::string_view> GetAll(std::string_view name) const;

  // Returns true if a field called `name` (any case) is present.
  bool Has(std::string_view name) const { return Get(name).has_value(); }

  // Appends a field, keeping any existing ones of the same name.
  void Add(std::string name, std::string value);

  // Replaces every field called `name` (any case) by one field with `value`.
  void Set(std::string name, std::string value);

  // Removes every field called `name` (any case).
  void Remove(std::string_view name);

  size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }
  std::vector<Field>::const_iterator begin() const { return fields_.begin(); }
  std::vector<Field>::const_iterator end() const { return fields_.end(); }

 private:
  std::vector<Field> fields_;
};

}  // namespace bitcontent::http
