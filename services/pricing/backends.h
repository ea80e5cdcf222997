// What the pricing core asks other services, as small interfaces so the domain classes
// know nothing of gRPC and the unit tests can answer for metadata and accounts:
//   NodeDirectory  - metadata's LookupNode, CheckNodeAccess and SetNodePriced;
//   PurchaseLedger - the wallet's internal ledger API (member and platform accounts,
//                    linked transfer chains, lookups);
//   Members        - accounts: a member's X25519 public key, API key spend limits.
// The gRPC implementations (backends_grpc.h) are made per request, bound to the call
// they serve, so deadlines, cancellation and request ids flow on.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bitcontent/wallet/v1/ledger.pb.h"

namespace bitcontent::pricing {

// The facts of a node pricing needs.
struct NodeFacts {
  std::string owner;     // "users/{user}"
  std::string uploader;  // "users/{user}" who created the head version; empty for none
  bool file = false;     // a file (folders are not sold)
  bool active = false;   // neither trashed nor purged
};

class NodeDirectory {
 public:
  virtual ~NodeDirectory() = default;
  // The node "nodes/{node}"; NOT_FOUND when there is none.
  virtual absl::StatusOr<NodeFacts> Lookup(std::string_view node) = 0;
  // Sets or clears the node's price flag (metadata then asks CheckAccess before handing
  // it to anyone but the owner).
  virtual absl::Status SetPriced(std::string_view node, bool priced) = 0;
  // True when the member `user_id` reads the node through a share (a folder above it is
  // shared with them): they hold its key already and are not asked to pay. False for
  // its owner, for anyone else, and for a node that does not exist.
  virtual absl::StatusOr<bool> SharedWith(std::string_view node, std::string_view user_id) = 0;
};

class PurchaseLedger {
 public:
  virtual ~PurchaseLedger() = default;
  // The ledger account (16 bytes) of the member's wallet, created if missing.
  virtual absl::StatusOr<std::string> MemberAccount(std::string_view user_id) = 0;
  // The platform fee account (16 bytes).
  virtual absl::StatusOr<std::string> PlatformFeesAccount() = 0;
  // Creates the transfers (one linked chain); one result per transfer.
  virtual absl::StatusOr<std::vector<wallet::v1::CreateTransferResult>> CreateTransfers(
      const std::vector<wallet::v1::Transfer>& transfers) = 0;
  // How many of the transfers `ids` (16 bytes each) are in the ledger.
  virtual absl::StatusOr<size_t> CountTransfers(const std::vector<std::string>& ids) = 0;
  // What the ledger account `account_id` (16 bytes) may spend now: its posted balance
  // less its holds (pending debits), as the wallet shows it.
  virtual absl::StatusOr<uint64_t> AvailableMsat(std::string_view account_id) = 0;
};

class Members {
 public:
  virtual ~Members() = default;
  // The member's X25519 public key (32 bytes); NOT_FOUND for no such member.
  virtual absl::StatusOr<std::string> PublicKey(std::string_view user_id) = 0;
  // OK when every member of `user_names` ("users/{user}") is active and may be paid;
  // FAILED_PRECONDITION (refusal NOT_ON_SALE) naming one that is disabled or gone, as a
  // purchase that pays them is refused: a disabled member's wallet takes nothing new.
  virtual absl::Status CheckPayable(const std::vector<std::string>& user_names) = 0;
  // As CheckPayable, asking accounts now, remembering nothing: for naming members in a
  // split, so that what it learnt cannot let a purchase soon after pay a member
  // disabled meanwhile.
  virtual absl::Status CheckPayableNow(const std::vector<std::string>& user_names) = 0;
  // Counts `amount_msat` against the API key's spend limit, idempotently per
  // `request_id`; PERMISSION_DENIED (SPEND_LIMIT_EXCEEDED) past the limit.
  virtual absl::Status ChargeApiKey(std::string_view api_key, uint64_t amount_msat,
                                    std::string_view request_id) = 0;
  // Gives back a charge whose payment did not happen.
  virtual absl::Status RefundApiKey(std::string_view api_key, uint64_t amount_msat,
                                    std::string_view request_id) = 0;
};

}  // namespace bitcontent::pricing
