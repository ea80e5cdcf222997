// Links: public links to a file or a folder (sharing.proto). The server keeps the link
// id, the node it opens, its expiry and whether it was revoked; the node's key travels
// only in the URL's fragment (https://<host>/l/{link}#<key>), which browsers and the CLI
// never send. Anyone holding the URL resolves the link and gets READ grants for the
// files inside its subtree, without an account; revoking or expiring it stops that at
// once, and so does putting the node in the trash. Only a node's owner makes links to
// it, and a link whose creator does not own its node opens nothing.
//
// A file on sale (Node.priced) is handed out through a link — a READ grant or a copy —
// only when pricing says so (sale_gate.h): free, the caller sells it, or bought it. Its
// owner always passes, and so do the members a folder above it is shared with: the
// owner gave them the file's key already, and they keep reading it as before it went on
// sale. Everyone else is asked about, an anonymous caller too (a file priced for
// streaming only, or at 0, has an answer for them as well).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bitcontent/metadata/v1/metadata_service.pb.h"
#include "libs/auth/signed_token.h"
#include "libs/kit/striped_locks.h"
#include "services/metadata/member_states.h"
#include "services/metadata/metadata_db.h"
#include "services/metadata/sale_gate.h"
#include "services/metadata/tree.h"

namespace bitcontent::metadata {

class Links {
 public:
  // All must outlive this.
  Links(const MetadataDb& db, const Tree* tree, const auth::SigningKey* grant_key,
        const SaleGate* sale_gate, const MemberStates* members)
      : db_(db), tree_(tree), grant_key_(grant_key), sale_gate_(sale_gate), members_(members) {}

  // A link to a node the actor owns (PERMISSION_DENIED for a node shared with them); a
  // repeated request id returns the same link.
  absl::StatusOr<v1::Link> Create(const Actor& actor, const v1::CreateLinkRequest& request,
                                  absl::Time now);
  // Stops a link of the actor's; revoking again answers it as it is.
  absl::StatusOr<v1::Link> Revoke(const Actor& actor, absl::string_view name, absl::Time now);
  // The actor's links in the order of their ids (random: no order of time), active
  // ones unless show_inactive.
  absl::StatusOr<v1::ListLinksResponse> List(const Actor& actor,
                                             const v1::ListLinksRequest& request,
                                             absl::Time now) const;

  // Anonymous: the link and the node it opens. FAILED_PRECONDITION (LINK_INACTIVE) when
  // it expired or was revoked, or the member who made it is disabled.
  absl::StatusOr<v1::ResolveLinkResponse> Resolve(absl::string_view name, absl::Time now) const;
  // The node `node` (the link's own when empty) inside an active link, as a reader sees
  // it, for `reader` (null: anonymous) to take away: what a copy from the link starts
  // from. A file on sale passes the sale gate first.
  absl::StatusOr<v1::Node> Open(absl::string_view link, absl::string_view node, const Actor* reader,
                                absl::Time now) const;

  // Anonymous: the active children of a folder inside the link's subtree
  // (Tree::ListChildrenThroughLink).
  absl::StatusOr<v1::ListLinkChildrenResponse> ListChildren(
      const v1::ListLinkChildrenRequest& request, absl::Time now) const;

  // A READ grant for a file inside the link's subtree, for `reader` (null: anonymous;
  // a member when their token came with the call). A file on sale passes the sale gate.
  absl::StatusOr<v1::DownloadGrant> IssueDownloadGrant(
      const v1::IssueLinkDownloadGrantRequest& request, const Actor* reader, absl::Time now);

 private:
  // The link `name` as it stands at `now` (EXPIRED past its expiry).
  absl::StatusOr<v1::Link> Load(absl::string_view name, absl::string_view field,
                                absl::Time now) const;
  // Load, refusing (FAILED_PRECONDITION, LINK_INACTIVE) an inactive link, and one whose
  // creator does not own the node it opens.
  absl::StatusOr<v1::Link> LoadActive(absl::string_view name, absl::Time now) const;
  // OK when `reader` (null: anonymous) may take `node` (as GetThroughLink shows it) away:
  // not a file on sale, or the owner, a member it is shared with, or a buyer.
  absl::Status RequireSaleAllows(const v1::Node& node, const Actor* reader) const;

  const MetadataDb& db_;
  const Tree* const tree_;
  const auth::SigningKey* const grant_key_;
  const SaleGate* const sale_gate_;
  const MemberStates* const members_;
  kit::StripedLocks<> locks_;
};

}  // namespace bitcontent::metadata
