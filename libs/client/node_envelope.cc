#include "libs/client/node_envelope.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/crypto/aead.h"
#include "libs/crypto/hash.h"
#include "libs/crypto/random.h"
#include "libs/crypto/subkey.h"

namespace bitcontent::client {
namespace {

// Associated data, so a wrapped node key is never taken for another wrapped key, nor
// sealed attributes for anything else.
constexpr absl::string_view kNodeKeyLabel = "bitcontent/node-key/v1";
constexpr absl::string_view kAttributesLabel = "bitcontent/node-attributes/v1";
constexpr absl::string_view kVersionAttributesLabel = "bitcontent/version-attributes/v1";
constexpr absl::string_view kNameKeyContext = "nodename";

constexpr size_t kNodeKeyBytes = 32;

// The length of the UTF-8 sequence at `text[i]`, its code point in `*point`; 0 when the
// bytes there are not UTF-8 (overlong forms, surrogates and points past U+10FFFF are not).
size_t Utf8SequenceAt(absl::string_view text, size_t i, uint32_t* point) {
  const auto byte = static_cast<unsigned char>(text[i]);
  size_t length = 0;
  if (byte < 0x80) {
    *point = byte;
    return 1;
  } else if ((byte & 0xe0) == 0xc0) {
    length = 2;
    *point = byte & 0x1f;
  } else if ((byte & 0xf0) == 0xe0) {
    length = 3;
    *point = byte & 0x0f;
  } else if ((byte & 0xf8) == 0xf0) {
    length = 4;
    *point = byte & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(text[i + k]);
    if ((next & 0xc0) != 0x80) return 0;
    *point = (*point << 6) | (next & 0x3f);
  }
  static constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (*point < kSmallest[length] || *point > 0x10ffff || (*point >= 0xd800 && *point <= 0xdfff)) {
    return 0;
  }
  return length;
}

// C0 controls, DEL and C1 controls: a terminal acts on them (a new line, a cursor move,
// U+009B starts an escape sequence on some) instead of showing them.
bool IsControl(uint32_t point) { return point < 0x20 || (point >= 0x7f && point <= 0x9f); }

// Embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069): printed as
// they are, they reorder what follows, so "txt.exe" can show as "exe.txt". The line and
// paragraph separators (U+2028, U+2029) go with them: they break a line as \n does.
bool IsBidiControl(uint32_t point) {
  return (point >= 0x2028 && point <= 0x202e) || (point >= 0x2066 && point <= 0x2069);
}

// A control character as a C string literal writes it: \n, \t, \r, \x1b, \u009b.
std::string EscapedCharacter(uint32_t point) {
  switch (point) {
    case '\n':
      return "\\n";
    case '\t':
      return "\\t";
    case '\r':
      return "\\r";
    default:
      break;
  }
  if (point < 0x80) return absl::StrCat("\\x", absl::Hex(point, absl::kZeroPad2));
  return absl::StrCat("\\u", absl::Hex(point, absl::kZeroPad4));
}

std::string SealWithNodeKey(absl::string_view node_key, const google::protobuf::Message& attributes,
                            absl::string_view label = kAttributesLabel) {
  const std::string nonce = crypto::RandomBytes(crypto::kAeadNonceBytes);
  return absl::StrCat(nonce,
                      crypto::AeadSeal(node_key, nonce, attributes.SerializeAsString(), label));
}

// Opens what SealWithNodeKey sealed; DATA_LOSS naming `what` when it does not open.
absl::Status OpenWithNodeKey(absl::string_view node_key, absl::string_view sealed,
                             absl::string_view label, absl::string_view what,
                             google::protobuf::Message* attributes) {
  if (sealed.size() < crypto::kAeadNonceBytes) {
    return absl::DataLossError(absl::StrCat("the ", what, " are truncated"));
  }
  absl::StatusOr<std::string> plain =
      crypto::AeadOpen(node_key, sealed.substr(0, crypto::kAeadNonceBytes),
                       sealed.substr(crypto::kAeadNonceBytes), label);
  if (!plain.ok()) return plain.status();
  if (!attributes->ParseFromString(*plain)) {
    return absl::DataLossError(absl::StrCat("the ", what, " do not parse"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateNodeName(absl::string_view name) {
  const auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", PrintableName(name), "\" cannot name a file or folder: ", why));
  };
  if (name.empty()) return bad("a name is needed");
  if (name == "." || name == "..") return bad("\".\" and \"..\" are reserved");
  if (name.find('/') != absl::string_view::npos) return bad("it contains '/'");
  if (name.size() > kNodeNameBytesMax) {
    return bad(absl::StrCat("names are at most ", kNodeNameBytesMax, " bytes"));
  }
  for (size_t i = 0; i < name.size();) {
    uint32_t point = 0;
    const size_t length = Utf8SequenceAt(name, i, &point);
    if (length == 0) return bad("it is not UTF-8");
    if (IsControl(point)) {
      return bad(absl::StrCat("it contains the control character ", EscapedCharacter(point),
                              " (a tab, a new line and the like are not allowed in names)"));
    }
    i += length;
  }
  return absl::OkStatus();
}

bool IsUtf8(absl::string_view text) {
  uint32_t point = 0;
  for (size_t i = 0; i < text.size();) {
    const size_t length = Utf8SequenceAt(text, i, &point);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::string PrintableName(absl::string_view name) {
  std::string shown;
  shown.reserve(name.size());
  for (size_t i = 0; i < name.size();) {
    uint32_t point = 0;
    const size_t length = Utf8SequenceAt(name, i, &point);
    if (length == 0) {
      absl::StrAppend(&shown, "\\x",
                      absl::Hex(static_cast<unsigned char>(name[i]), absl::kZeroPad2));
      ++i;
      continue;
    }
    if (IsControl(point) || IsBidiControl(point)) {
      shown += EscapedCharacter(point);
    } else {
      absl::StrAppend(&shown, name.substr(i, length));
    }
    i += length;
  }
  return shown;
}

std::string NameHmac(absl::string_view parent_key, absl::string_view name) {
  return crypto::HmacSha256(crypto::DeriveSubkey(parent_key, 1, kNameKeyContext), name);
}

std::string WrapNodeKey(absl::string_view parent_key, absl::string_view node_key) {
  return crypto::WrapKey(parent_key, node_key, kNodeKeyLabel);
}

std::string SealAttributes(absl::string_view node_key, const v1::NodeAttributes& attributes) {
  return SealWithNodeKey(node_key, attributes);
}

absl::StatusOr<std::string> RenamedAttributes(absl::string_view node_key,
                                              absl::string_view encrypted_attributes,
                                              absl::string_view new_name) {
  if (absl::Status valid = ValidateNodeName(new_name); !valid.ok()) return valid;
  absl::StatusOr<v1::NodeAttributes> attributes = OpenAttributes(node_key, encrypted_attributes);
  if (!attributes.ok()) return attributes.status();
  attributes->set_name(std::string(new_name));
  return SealAttributes(node_key, *attributes);
}

SealedNode SealRoot(absl::string_view master_key, absl::Time now) {
  SealedNode root;
  root.key = crypto::RandomBytes(kNodeKeyBytes);
  root.wrapped_key = WrapNodeKey(master_key, root.key);
  v1::NodeAttributes attributes;
  *attributes.mutable_modify_time() = auth::ProtoFromTime(now);
  root.encrypted_attributes = SealWithNodeKey(root.key, attributes);
  return root;
}

absl::StatusOr<SealedNode> SealChild(absl::string_view parent_key, absl::string_view name,
                                     absl::Time now, absl::string_view node_key) {
  if (absl::Status valid = ValidateNodeName(name); !valid.ok()) return valid;
  SealedNode child;
  child.key = node_key.empty() ? crypto::RandomBytes(kNodeKeyBytes) : std::string(node_key);
  child.wrapped_key = WrapNodeKey(parent_key, child.key);
  child.name_hmac = NameHmac(parent_key, name);
  v1::NodeAttributes attributes;
  attributes.set_name(std::string(name));
  *attributes.mutable_modify_time() = auth::ProtoFromTime(now);
  child.encrypted_attributes = SealWithNodeKey(child.key, attributes);
  return child;
}

absl::StatusOr<OpenedNode> OpenNode(absl::string_view wrapping_key, absl::string_view wrapped_key,
                                    absl::string_view encrypted_attributes) {
  absl::StatusOr<std::string> key = crypto::UnwrapKey(wrapping_key, wrapped_key, kNodeKeyLabel);
  if (!key.ok()) return key.status();
  OpenedNode node;
  if (absl::Status s = OpenWithNodeKey(*key, encrypted_attributes, kAttributesLabel,
                                       "node's sealed attributes", &node.attributes);
      !s.ok()) {
    return s;
  }
  node.key = *std::move(key);
  return node;
}

absl::StatusOr<v1::NodeAttributes> OpenAttributes(absl::string_view node_key,
                                                  absl::string_view encrypted_attributes) {
  v1::NodeAttributes attributes;
  if (absl::Status s = OpenWithNodeKey(node_key, encrypted_attributes, kAttributesLabel,
                                       "node's sealed attributes", &attributes);
      !s.ok()) {
    return s;
  }
  return attributes;
}

std::string SealVersionAttributes(absl::string_view file_key,
                                  const v1::VersionAttributes& attributes) {
  return SealWithNodeKey(file_key, attributes, kVersionAttributesLabel);
}

absl::StatusOr<v1::VersionAttributes> OpenVersionAttributes(absl::string_view file_key,
                                                            absl::string_view sealed) {
  v1::VersionAttributes attributes;
  if (absl::Status s = OpenWithNodeKey(file_key, sealed, kVersionAttributesLabel,
                                       "version's sealed attributes", &attributes);
      !s.ok()) {
    return s;
  }
  return attributes;
}

}  // namespace bitcontent::client
