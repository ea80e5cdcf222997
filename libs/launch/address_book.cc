#include "libs/launch/address_book.h"

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace bitcontent::launch {
namespace {

class Scanner {
 public:
  explicit Scanner(absl::string_view text) : text_(text) {}

  void SkipSpace() {
    while (position_ < text_.size() && absl::ascii_isspace(text_[position_])) ++position_;
  }
  bool Consume(char c) {
    SkipSpace();
    if (position_ < text_.size() && text_[position_] == c) {
      ++position_;
      return true;
    }
    return false;
  }
  absl::StatusOr<std::string> Value() {
    SkipSpace();
    if (Consume('"')) {
      const size_t end = text_.find('"', position_);
      if (end == absl::string_view::npos) return Error("unterminated string");
      std::string value(text_.substr(position_, end - position_));
      position_ = end + 1;
      return value;
    }
    const size_t start = position_;
    while (position_ < text_.size() && absl::ascii_isdigit(text_[position_])) ++position_;
    if (start == position_) return Error("expected a string or an integer");
    return std::string(text_.substr(start, position_ - start));
  }
  absl::Status Error(absl::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrCat("address file: ", what, " at offset ", position_));
  }
  bool AtEnd() {
    SkipSpace();
    return position_ == text_.size();
  }

 private:
  absl::string_view text_;
  size_t position_ = 0;
};

}  // namespace

absl::StatusOr<std::map<std::string, std::string>> ParseAddressFile(absl::string_view json) {
  Scanner scanner(json);
  std::map<std::string, std::string> entries;
  if (!scanner.Consume('{')) return scanner.Error("expected '{'");
  if (scanner.Consume('}')) return entries;
  do {
    absl::StatusOr<std::string> key = scanner.Value();
    if (!key.ok()) return key.status();
    if (!scanner.Consume(':')) return scanner.Error("expected ':'");
    absl::StatusOr<std::string> value = scanner.Value();
    if (!value.ok()) return value.status();
    entries[*key] = *value;
  } while (scanner.Consume(','));
  if (!scanner.Consume('}')) return scanner.Error("expected ',' or '}'");
  if (!scanner.AtEnd()) return scanner.Error("trailing characters");
  return entries;
}

absl::StatusOr<std::map<std::string, std::string>> ReadAddressFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) return absl::NotFoundError(absl::StrCat(path, " does not exist yet"));
  std::stringstream contents;
  contents << file.rdbuf();
  return ParseAddressFile(contents.str());
}

}  // namespace bitcontent::launch
