// Shares: a folder shared by its owner with another member, to read or to write
// (sharing.proto). The owner's client seals the folder's key to the recipient's X25519
// public key; the server stores that sealed key and the role, and from then on lets the
// recipient reach the folder and what it holds (Tree::LoadReadable). One share per
// folder and recipient, named "nodes/{node}/shares/{recipient's user id}". Unsharing
// (by the owner) or leaving (by the recipient) ends it at once. The recipient's change
// log gets SHARE_GRANTED when a folder is shared with them or their role changes, and
// SHARE_REVOKED when the share ends; every change inside the folder reaches their log
// too (Tree::Commit).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bitcontent/metadata/v1/metadata_service.pb.h"
#include "libs/kit/striped_locks.h"
#include "services/metadata/member_emails.h"
#include "services/metadata/metadata_db.h"
#include "services/metadata/tree.h"

namespace bitcontent::metadata {

class Shares {
 public:
  // The sealed folder key: 32 bytes sealed to an X25519 key (48 bytes more).
  static constexpr size_t kSealedKeyBytes = 80;

  // All must outlive this; without `emails`, no entry says its owner's email.
  Shares(const MetadataDb& db, const Tree* tree, const MemberEmails* emails = nullptr)
      : db_(db), tree_(tree), emails_(emails) {}

  // Shares a folder the actor owns; sharing it again with the same member updates the
  // role and the sealed key.
  absl::StatusOr<v1::Share> Create(const Actor& actor, const v1::CreateShareRequest& request,
                                   absl::Time now);
  // The shares of a folder the actor owns, by recipient.
  absl::StatusOr<v1::ListSharesResponse> List(const Actor& actor,
                                              const v1::ListSharesRequest& request) const;
  // Changes a share's role (owner only).
  absl::StatusOr<v1::Share> Update(const Actor& actor, const v1::UpdateShareRequest& request,
                                   absl::Time now);
  // Ends a share: its owner unshares, or its recipient leaves. Ending it again is OK.
  absl::Status Delete(const Actor& actor, absl::string_view name, absl::Time now);
  // The folders shared with the actor, with the nodes as they see them and their owners'
  // emails; not those their owner has in the trash (Tree::LoadReadable keeps them out of
  // reach meanwhile).
  absl::StatusOr<v1::ListSharedWithMeResponse> ListSharedWithMe(
      const Actor& actor, const v1::ListSharedWithMeRequest& request) const;

 private:
  // Commits `batch` with a change of `type` (SHARE_GRANTED or SHARE_REVOKED) in the
  // recipient's log: `folder` as they see it through `share`.
  absl::Status Commit(store::WriteBatch* batch, const Actor& actor, v1::ChangeType type,
                      const v1::Node& folder, const v1::Share& share, absl::Time now) const;

  const MetadataDb& db_;
  const Tree* const tree_;
  const MemberEmails* const emails_;
  kit::StripedLocks<> locks_;
};

}  // namespace bitcontent::metadata
