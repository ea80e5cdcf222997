#include "services/gateway/json_keys.h"

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace bitcontent::gateway {
namespace {

// Deeper than protobuf's parser goes (100): it refuses such a body itself.
constexpr int kDepthMax = 100;

// A recursive walk over the body that stops at the first key given twice, or at
// anything malformed, which it leaves to the parser to name.
class KeyWalk {
 public:
  explicit KeyWalk(absl::string_view json) : json_(json) {}

  // False when the walk stopped: `duplicate()` then names the key given twice, or is
  // empty for a body that is not well-formed.
  bool Value() {
    Space();
    if (at_ >= json_.size()) return false;
    switch (json_[at_]) {
      case '{':
        return Object();
      case '[':
        return Array();
      case '"':
        return String(nullptr);
      default:
        return Scalar();
    }
  }

  const std::string& duplicate() const { return duplicate_; }

 private:
  bool Object() {
    if (++depth_ > kDepthMax) return false;
    ++at_;
    absl::flat_hash_set<std::string> keys;
    Space();
    if (Take('}')) return --depth_, true;
    while (true) {
      Space();
      std::string key;
      if (at_ >= json_.size() || json_[at_] != '"' || !String(&key)) return false;
      if (!keys.insert(Matched(key)).second) {
        duplicate_ = key;
        return false;
      }
      Space();
      if (!Take(':') || !Value()) return false;
      Space();
      if (Take('}')) return --depth_, true;
      if (!Take(',')) return false;
    }
  }

  bool Array() {
    if (++depth_ > kDepthMax) return false;
    ++at_;
    Space();
    if (Take(']')) return --depth_, true;
    while (true) {
      if (!Value()) return false;
      Space();
      if (Take(']')) return --depth_, true;
      if (!Take(',')) return false;
    }
  }

  // A string from its opening quote; its text (escapes of ASCII undone, others kept as
  // written) into `text` when given.
  bool String(std::string* text) {
    ++at_;
    while (at_ < json_.size()) {
      const char c = json_[at_++];
      if (c == '"') return true;
      if (c != '\\') {
        if (text != nullptr) text->push_back(c);
        continue;
      }
      if (at_ >= json_.size()) return false;
      const char escaped = json_[at_++];
      if (escaped == 'u' && at_ + 4 <= json_.size() && json_.substr(at_, 2) == "00") {
        int code = 0;
        for (const char h : json_.substr(at_ + 2, 2)) {
          code = code * 16 + (absl::ascii_isdigit(h) ? h - '0' : absl::ascii_tolower(h) - 'a' + 10);
        }
        if (text != nullptr) text->push_back(static_cast<char>(code));
        at_ += 4;
      } else if (text != nullptr) {
        text->push_back('\\');
        text->push_back(escaped);
      }
    }
    return false;
  }

  bool Scalar() {
    const size_t start = at_;
    while (at_ < json_.size() && (absl::ascii_isalnum(json_[at_]) || json_[at_] == '-' ||
                                  json_[at_] == '+' || json_[at_] == '.')) {
      ++at_;
    }
    return at_ > start;
  }

  void Space() {
    while (at_ < json_.size() && absl::ascii_isspace(json_[at_])) ++at_;
  }

  bool Take(char c) {
    if (at_ >= json_.size() || json_[at_] != c) return false;
    ++at_;
    return true;
  }

  // A key as protobuf matches it to a field: "amount_msat" and "amountMsat" alike.
  static std::string Matched(const std::string& key) {
    std::string matched;
    for (const char c : key) {
      if (c != '_') matched.push_back(absl::ascii_tolower(c));
    }
    return matched;
  }

  const absl::string_view json_;
  size_t at_ = 0;
  int depth_ = 0;
  std::string duplicate_;
};

}  // namespace

absl::Status CheckNoDuplicateKeys(absl::string_view json) {
  KeyWalk walk(json);
  if (walk.Value() || walk.duplicate().empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "the request body names \"", absl::CHexEscape(walk.duplicate()),
      "\" twice in one object (as another spelling of one field, too): give each once"));
}

}  // namespace bitcontent::gateway
