// Node envelopes: what a client puts on a file or folder so that the metadata service
// holds only opaque bytes (metadata/v1/nodes.proto), and how it opens them again.
//
//   wrapped_key          the node's random 32-byte key, wrapped (XChaCha20-Poly1305) by
//                        its parent folder's key, or a root folder's by the master key
//   name_hmac            HMAC-SHA256 of the name under the parent's name key, a subkey
//                        of the parent's key (crypto_kdf, context "nodename"): the server
//                        refuses two equal names in a folder without learning any name
//   encrypted_attributes client.v1.NodeAttributes (name, modification time) sealed with
//                        the node's key, behind a random nonce
//
// Names are compared byte for byte. They are not normalised to Unicode NFC: "café"
// typed as one precomposed letter and as "e" plus a combining accent are two names (a
// normaliser needs Unicode's tables, which no library the build uses has; docs/api.md).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bitcontent/client/v1/node_attributes.pb.h"

namespace bitcontent::client {

// Longest name, in bytes.
inline constexpr size_t kNodeNameBytesMax = 255;

// A node as the client made it: its key (kept by the client only) and the bytes the
// server stores.
struct SealedNode {
  std::string key = {};
  std::string wrapped_key = {};
  std::string name_hmac = {};  // Empty for a root folder.
  std::string encrypted_attributes = {};
};

// A node as the client opened it.
struct OpenedNode {
  std::string key = {};
  v1::NodeAttributes attributes = {};
};

// INVALID_ARGUMENT saying why `name` cannot name a node: empty, "." or "..", a '/', a
// control character (U+0000 to U+001F, U+007F to U+009F: tab, new line, escape...),
// longer than kNodeNameBytesMax or not UTF-8.
absl::Status ValidateNodeName(absl::string_view name);

// Whether `text` is valid UTF-8 (what JSON and protobuf strings must be).
bool IsUtf8(absl::string_view text);

// `name` safe to print on a terminal: control characters, bidirectional controls and
// line separators written as a C string literal writes them (\n, \t, \x1b, \u009b,
// \u202e, \u2028) and bytes that are not UTF-8 as \xff. For names made before they were refused, or
// sealed by someone else (a link's), and for names that may hold bidirectional controls.
std::string PrintableName(absl::string_view name);

// A new root folder, its key wrapped by `master_key`.
SealedNode SealRoot(absl::string_view master_key, absl::Time now);

// A new node called `name` (validated first) in the folder whose key is `parent_key`,
// with the key `node_key`, or a fresh random one when it is empty (a file's key exists
// before its node: its chunks are sealed with it first).
absl::StatusOr<SealedNode> SealChild(absl::string_view parent_key, absl::string_view name,
                                     absl::Time now, absl::string_view node_key = {});

// The name HMAC of `name` in the folder whose key is `parent_key`.
std::string NameHmac(absl::string_view parent_key, absl::string_view name);

// `node_key` wrapped for another folder (a move), or for the same one.
std::string WrapNodeKey(absl::string_view parent_key, absl::string_view node_key);

// Opens a node from the key of what wraps it (the parent's key, or the master key for
// a root). DATA_LOSS when the bytes were made under another key or altered.
absl::StatusOr<OpenedNode> OpenNode(absl::string_view wrapping_key, absl::string_view wrapped_key,
                                    absl::string_view encrypted_attributes);

// The attributes of a node whose key the caller holds already (a public link's key).
absl::StatusOr<v1::NodeAttributes> OpenAttributes(absl::string_view node_key,
                                                  absl::string_view encrypted_attributes);

// `attributes` sealed with `node_key` (a rename).
std::string SealAttributes(absl::string_view node_key, const v1::NodeAttributes& attributes);

// The node's sealed attributes `encrypted_attributes` with the name `new_name` (validated
// first) and all else kept, sealed again with `node_key`: a rename. DATA_LOSS when they
// do not open with that key.
absl::StatusOr<std::string> RenamedAttributes(absl::string_view node_key,
                                              absl::string_view encrypted_attributes,
                                              absl::string_view new_name);

// A version's attributes (plaintext size, chunk size, times) sealed with the file's key,
// and opened again (DATA_LOSS when they were made under another key or altered).
std::string SealVersionAttributes(absl::string_view file_key,
                                  const v1::VersionAttributes& attributes);
absl::StatusOr<v1::VersionAttributes> OpenVersionAttributes(absl::string_view file_key,
                                                            absl::string_view sealed);

}  // namespace bitcontent::client
