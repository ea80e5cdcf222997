#include "services/wallet/bitcoin_rpc_reply.h"

#include <simdjson.h>

#include <limits>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/wallet/bitcoin_amount.h"

namespace bitcontent::wallet {
namespace {

namespace od = simdjson::ondemand;

// Error objects and unexpected values are quoted in messages only this far.
constexpr size_t kQuotedBytesMax = 200;

// Method names, field names and messages below are absl::string_view because Debian's
// Abseil does not take std::string_view in StrCat.
absl::Status Malformed(absl::string_view method, absl::string_view what) {
  return absl::UnknownError(absl::StrCat("Bitcoin Core's reply to ", method, " is malformed: ",
                                         what, " (is --bitcoin_rpc_url a Bitcoin Core node?)"));
}

absl::Status Malformed(absl::string_view method, absl::string_view what, simdjson::error_code e) {
  return Malformed(method, absl::StrCat(what, " (", simdjson::error_message(e), ")"));
}

bool IsNull(od::value& value) {
  od::json_type type;
  return value.type().get(type) == simdjson::SUCCESS && type == od::json_type::null;
}

// Reads {"code": n, "message": "..."} into a status.
absl::Status ReadErrorObject(absl::string_view method, od::value value) {
  od::object object;
  if (auto e = value.get_object().get(object))
    return Malformed(method, "error is not an object", e);
  int64_t code = 0;
  std::string message;
  for (auto field_result : object) {
    od::field field;
    std::string_view key;
    if (auto e = std::move(field_result).get(field)) return Malformed(method, "error object", e);
    if (auto e = field.unescaped_key().get(key)) return Malformed(method, "error object key", e);
    if (key == "code") {
      if (auto e = field.value().get_int64().get(code)) return Malformed(method, "error.code", e);
    } else if (key == "message") {
      std::string_view text;
      if (auto e = field.value().get_string().get(text)) {
        return Malformed(method, "error.message", e);
      }
      message.assign(text.substr(0, kQuotedBytesMax));
    }
  }
  return MapCoreError(std::string_view(method.data(), method.size()), code, message);
}

// Reads a reply: the error object when there is one, else `read_result` on the result.
template <typename ReadResult>
absl::Status ReadReply(std::string_view body, absl::string_view method, ReadResult read_result) {
  const simdjson::padded_string padded(body);
  od::parser parser;
  od::document document;
  if (auto e = parser.iterate(padded).get(document)) return Malformed(method, "not JSON", e);
  od::object root;
  if (auto e = document.get_object().get(root)) return Malformed(method, "not an object", e);
  bool has_result = false;
  for (auto field_result : root) {
    od::field field;
    std::string_view key;
    if (auto e = std::move(field_result).get(field)) return Malformed(method, "reply", e);
    if (auto e = field.unescaped_key().get(key)) return Malformed(method, "reply key", e);
    od::value value = field.value();
    if (key == "error" && !IsNull(value)) return ReadErrorObject(method, value);
    if (key == "result" && !IsNull(value)) {
      // A reply never holds both a result and an error, so the result can be read now.
      has_result = true;
      if (absl::Status s = read_result(value); !s.ok()) return s;
    }
  }
  if (!has_result) return Malformed(method, "neither a result nor an error");
  return absl::OkStatus();
}

absl::Status ReadString(absl::string_view method, absl::string_view name, od::value value,
                        std::string* out) {
  std::string_view text;
  if (auto e = value.get_string().get(text)) return Malformed(method, name, e);
  out->assign(text);
  return absl::OkStatus();
}

absl::Status ReadHash(absl::string_view method, absl::string_view name, od::value value,
                      std::string* out) {
  if (absl::Status s = ReadString(method, name, value, out); !s.ok()) return s;
  if (!IsHash256Hex(*out)) return Malformed(method, absl::StrCat(name, " is not 64 hex digits"));
  return absl::OkStatus();
}

absl::Status ReadAmount(absl::string_view method, od::value value, int64_t* satoshi) {
  od::json_type type;
  if (auto e = value.type().get(type)) return Malformed(method, "amount", e);
  if (type != od::json_type::number) return Malformed(method, "amount is not a number");
  // The number's own text: the token may carry the whitespace that follows it.
  std::string_view text = value.raw_json_token();
  while (!text.empty() && absl::ascii_isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  absl::StatusOr<int64_t> parsed = ParseBtcAmount(text);
  if (!parsed.ok()) return Malformed(method, parsed.status().message());
  *satoshi = *parsed;
  return absl::OkStatus();
}

absl::Status ReadEntryField(std::string_view key, od::value value, WalletEntry* entry) {
  constexpr absl::string_view kMethod = "listsinceblock";
  if (key == "txid") return ReadHash(kMethod, "txid", value, &entry->txid);
  if (key == "address") return ReadString(kMethod, "address", value, &entry->address);
  if (key == "category") return ReadString(kMethod, "category", value, &entry->category);
  if (key == "amount") return ReadAmount(kMethod, value, &entry->amount_satoshi);
  if (key == "blockhash") return ReadHash(kMethod, "blockhash", value, &entry->block_hash);
  if (key == "vout") {
    uint64_t vout = 0;
    if (auto e = value.get_uint64().get(vout)) return Malformed(kMethod, "vout", e);
    if (vout > std::numeric_limits<uint32_t>::max()) return Malformed(kMethod, "vout too large");
    entry->vout = static_cast<uint32_t>(vout);
  } else if (key == "confirmations") {
    if (auto e = value.get_int64().get(entry->confirmations)) {
      return Malformed(kMethod, "confirmations", e);
    }
  } else if (key == "blockheight") {
    if (auto e = value.get_uint64().get(entry->block_height)) {
      return Malformed(kMethod, "blockheight", e);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<WalletEntry> ReadEntry(od::value value) {
  constexpr absl::string_view kMethod = "listsinceblock";
  od::object object;
  if (auto e = value.get_object().get(object)) return Malformed(kMethod, "entry", e);
  WalletEntry entry;
  // Fields Core always sends; an entry without them cannot be acted on.
  bool has_txid = false, has_vout = false, has_amount = false, has_confirmations = false;
  for (auto field_result : object) {
    od::field field;
    std::string_view key;
    if (auto e = std::move(field_result).get(field)) return Malformed(kMethod, "entry", e);
    if (auto e = field.unescaped_key().get(key)) return Malformed(kMethod, "entry key", e);
    if (absl::Status s = ReadEntryField(key, field.value(), &entry); !s.ok()) return s;
    has_txid |= key == "txid";
    has_vout |= key == "vout";
    has_amount |= key == "amount";
    has_confirmations |= key == "confirmations";
  }
  if (!has_txid || !has_vout || !has_amount || !has_confirmations || entry.category.empty()) {
    return Malformed(kMethod, "an entry lacks txid, vout, amount, confirmations or category");
  }
  return entry;
}

absl::Status ReadEntries(od::value value, size_t* budget, std::vector<WalletEntry>* out) {
  od::array array;
  if (auto e = value.get_array().get(array)) return Malformed("listsinceblock", "entries", e);
  for (auto element_result : array) {
    od::value element;
    if (auto e = std::move(element_result).get(element))
      return Malformed("listsinceblock", "entry", e);
    if (*budget == 0) {
      return absl::ResourceExhaustedError(
          absl::StrCat("listsinceblock returned more than ", kSinceBlockEntriesMax, " entries"));
    }
    --*budget;
    absl::StatusOr<WalletEntry> entry = ReadEntry(element);
    if (!entry.ok()) return entry.status();
    out->push_back(*std::move(entry));
  }
  return absl::OkStatus();
}

absl::Status ReadSinceBlock(od::value value, SinceBlock* out) {
  constexpr absl::string_view kMethod = "listsinceblock";
  od::object object;
  if (auto e = value.get_object().get(object)) return Malformed(kMethod, "result", e);
  size_t budget = kSinceBlockEntriesMax;
  for (auto field_result : object) {
    od::field field;
    std::string_view key;
    if (auto e = std::move(field_result).get(field)) return Malformed(kMethod, "result", e);
    if (auto e = field.unescaped_key().get(key)) return Malformed(kMethod, "result key", e);
    absl::Status s;
    if (key == "transactions") s = ReadEntries(field.value(), &budget, &out->transactions);
    if (key == "removed") s = ReadEntries(field.value(), &budget, &out->removed);
    if (key == "lastblock") s = ReadHash(kMethod, "lastblock", field.value(), &out->last_block);
    if (!s.ok()) return s;
  }
  if (out->last_block.empty()) return Malformed(kMethod, "no lastblock");
  return absl::OkStatus();
}

absl::Status ReadBlockchainInfo(od::value value, BlockchainInfo* out) {
  constexpr absl::string_view kMethod = "getblockchaininfo";
  od::object object;
  if (auto e = value.get_object().get(object)) return Malformed(kMethod, "result", e);
  for (auto field_result : object) {
    od::field field;
    std::string_view key;
    if (auto e = std::move(field_result).get(field)) return Malformed(kMethod, "result", e);
    if (auto e = field.unescaped_key().get(key)) return Malformed(kMethod, "result key", e);
    absl::Status s;
    if (key == "chain") s = ReadString(kMethod, "chain", field.value(), &out->chain);
    if (key == "bestblockhash") {
      s = ReadHash(kMethod, "bestblockhash", field.value(), &out->best_block_hash);
    }
    if (key == "blocks") {
      if (auto e = field.value().get_uint64().get(out->blocks)) s = Malformed(kMethod, "blocks", e);
    }
    if (!s.ok()) return s;
  }
  if (out->chain.empty() || out->best_block_hash.empty()) {
    return Malformed(kMethod, "no chain or bestblockhash");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status MapCoreError(std::string_view method, int64_t code, std::string_view message) {
  const std::string text = absl::StrCat("Bitcoin Core refused ", std::string(method), " (error ",
                                        code, "): ", std::string(message));
  switch (code) {
    case kCoreInWarmup:
      return absl::UnavailableError(absl::StrCat(text, "; it is still starting, retrying"));
    case kCoreWalletNotFound:
    case kCoreWalletNotSpecified:
      return absl::FailedPreconditionError(absl::StrCat(
          text,
          "; load the deposit wallet in Core or name it: --bitcoin_rpc_url=.../wallet/<name>"));
    case kCoreMethodNotFound:
      return absl::UnimplementedError(
          absl::StrCat(text, "; the node needs its wallet enabled (Core built with a wallet)"));
    case kCoreInvalidAddressOrKey:
      return absl::NotFoundError(text);
    default:
      return absl::UnknownError(text);
  }
}

absl::StatusOr<BlockchainInfo> ParseBlockchainInfoReply(std::string_view body) {
  BlockchainInfo info;
  absl::Status s = ReadReply(body, "getblockchaininfo",
                             [&](od::value value) { return ReadBlockchainInfo(value, &info); });
  if (!s.ok()) return s;
  return info;
}

absl::StatusOr<SinceBlock> ParseSinceBlockReply(std::string_view body) {
  SinceBlock since;
  absl::Status s = ReadReply(body, "listsinceblock",
                             [&](od::value value) { return ReadSinceBlock(value, &since); });
  if (!s.ok()) return s;
  return since;
}

bool IsHash256Hex(std::string_view text) {
  if (text.size() != kTxidHexSize) return false;
  for (char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace bitcontent::wallet
