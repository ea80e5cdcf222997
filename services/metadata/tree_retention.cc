// Tree: the retention of versions. A member's policy (RetentionPolicy, the operator's
// defaults until they set one) keeps at most max_versions versions of each file, the
// current one included, and, when max_age_days is set, drops earlier versions replaced
// longer ago than that (Version.replace_time: a version's age counts from when it stopped
// being current, so the file as it stood at any moment within the limit can be had back).
// The current version is never dropped, however old. A new version applies
// the rule to its file at once (AddVersion); a changed policy applies it to every file
// of the member (ExpireVersions, which the service calls right after), and a periodic
// sweep (retention_sweeper.h) applies the age limit as time passes.
#include <algorithm>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/kit/error_details.h"
#include "libs/kit/resource_names.h"
#include "libs/store/key_encoding.h"
#include "libs/store/record_io.h"
#include "services/metadata/resource_names.h"
#include "services/metadata/tree.h"

namespace bitcontent::metadata {
namespace {

std::string PolicyName(absl::string_view user_id) {
  return absl::StrCat(UserName(user_id), "/retentionPolicy");
}

// OK when `name` is the actor's own policy ("users/me/retentionPolicy" or by id).
absl::Status RequireOwnPolicy(const Actor& actor, absl::string_view name, absl::string_view field) {
  if (name == "users/me/retentionPolicy" || name == PolicyName(actor.user_id)) {
    return absl::OkStatus();
  }
  if (!absl::StartsWith(name, "users/") || !absl::EndsWith(name, "/retentionPolicy")) {
    return kit::FieldError(field, "must be \"users/me/retentionPolicy\"");
  }
  return absl::PermissionDeniedError(
      "only your own retention policy: ask for \"users/me/retentionPolicy\"");
}

}  // namespace

absl::StatusOr<v1::RetentionPolicy> Tree::PolicyOf(absl::string_view user_id) const {
  absl::StatusOr<std::optional<v1::RetentionPolicy>> stored =
      store::FindRecord<v1::RetentionPolicy>(db_.store(), db_.retention_policies, user_id);
  if (!stored.ok()) return stored.status();
  if (stored->has_value()) return **std::move(stored);
  v1::RetentionPolicy defaults;
  defaults.set_name(PolicyName(user_id));
  defaults.set_max_versions(retention_.max_versions);
  defaults.set_max_age_days(retention_.max_age_days);
  return defaults;
}

absl::StatusOr<v1::RetentionPolicy> Tree::GetRetentionPolicy(const Actor& actor,
                                                             absl::string_view name) const {
  if (absl::Status s = RequireOwnPolicy(actor, name, "name"); !s.ok()) return s;
  return PolicyOf(actor.user_id);
}

absl::StatusOr<v1::RetentionPolicy> Tree::UpdateRetentionPolicy(
    const Actor& actor, const v1::UpdateRetentionPolicyRequest& request, absl::Time now) {
  const v1::RetentionPolicy& asked = request.retention_policy();
  if (absl::Status s = asked.name().empty()
                           ? absl::OkStatus()
                           : RequireOwnPolicy(actor, asked.name(), "retention_policy.name");
      !s.ok()) {
    return s;
  }
  if (asked.max_versions() < 1 || asked.max_versions() > kVersionsKeptMax) {
    return kit::FieldError("retention_policy.max_versions",
                           absl::StrCat("must be 1 to ", kVersionsKeptMax,
                                        " (versions kept per file, the current one included)"));
  }
  if (asked.max_age_days() > kVersionAgeDaysMax) {
    return kit::FieldError(
        "retention_policy.max_age_days",
        absl::StrCat("must be at most ", kVersionAgeDaysMax, " (0 keeps versions of any age)"));
  }
  v1::RetentionPolicy policy;
  policy.set_name(PolicyName(actor.user_id));
  policy.set_max_versions(asked.max_versions());
  policy.set_max_age_days(asked.max_age_days());
  *policy.mutable_update_time() = auth::ProtoFromTime(now);
  store::WriteBatch batch;
  store::PutRecord(&batch, db_.retention_policies, actor.user_id, policy);
  if (absl::Status s = db_.store().Write(&batch, {.sync = true}); !s.ok()) return s;
  return policy;
}

absl::Time Tree::ReplacedAt(const std::vector<v1::Version>& versions, size_t index) {
  const v1::Version& version = versions[index];
  if (version.has_replace_time()) return auth::TimeFromProto(version.replace_time());
  // Kept from before replace times were recorded: the version made next replaced it
  // (unless a restore came between, which this cannot tell).
  if (index + 1 < versions.size()) return auth::TimeFromProto(versions[index + 1].create_time());
  return auth::TimeFromProto(version.create_time());
}

std::vector<v1::Version> Tree::DropExpired(store::WriteBatch* batch, v1::Node& node,
                                           const std::vector<v1::Version>& versions,
                                           const v1::RetentionPolicy& policy, absl::Time now) {
  const std::string id(kit::IdOfName(node.name()));
  const absl::Time oldest_kept = policy.max_age_days() == 0
                                     ? absl::InfinitePast()
                                     : now - absl::Hours(24) * policy.max_age_days();
  // The earlier versions, the owner's before those writers of a shared folder made
  // (what loses data for good is the owner's alone: a writer's puts must not push the
  // owner's versions out), each most recently replaced first (ties: the newer first).
  // Counting by creation instead would drop a version just restored from, or the
  // restored one once replaced, before versions nobody has used for years.
  struct Earlier {
    bool owners;
    absl::Time replaced;
    size_t index;
  };
  std::vector<Earlier> earlier;
  for (size_t i = 0; i < versions.size(); ++i) {
    if (versions[i].name() == node.head_version().name()) continue;
    earlier.push_back({versions[i].creator() == node.owner(), ReplacedAt(versions, i), i});
  }
  std::sort(earlier.begin(), earlier.end(), [](const Earlier& a, const Earlier& b) {
    if (a.owners != b.owners) return a.owners;
    return a.replaced != b.replaced ? a.replaced > b.replaced : a.index > b.index;
  });
  // Room for earlier versions beside the current one, filled most recently replaced first.
  uint32_t room = policy.max_versions() == 0 ? 0 : policy.max_versions() - 1;
  std::vector<v1::Version> dropped;
  for (const Earlier& candidate : earlier) {
    if (room > 0 && candidate.replaced > oldest_kept) {
      --room;
      continue;
    }
    const v1::Version& version = versions[candidate.index];
    DropVersion(batch, id, version);
    node.set_stored_bytes(node.stored_bytes() - version.size_bytes());
    dropped.push_back(version);
  }
  return dropped;
}

absl::StatusOr<VersionsExpired> Tree::ExpireVersions(absl::string_view user_id, absl::Time now) {
  VersionsExpired expired{.owner = UserName(user_id)};
  absl::StatusOr<std::string> root = db_.store().Get(db_.roots, store::KeyView(user_id));
  if (absl::IsNotFound(root.status())) return expired;
  if (!root.ok()) return root.status();
  absl::StatusOr<v1::RetentionPolicy> policy = PolicyOf(user_id);
  if (!policy.ok()) return policy.status();
  const Actor owner{.user_id = std::string(user_id)};

  // The walk itself takes no lock: a file moved meanwhile may be missed (the next sweep
  // finds it) or seen twice (the second time drops nothing).
  std::deque<std::string> folders = {*std::move(root)};
  while (!folders.empty()) {
    const std::string folder = std::move(folders.front());
    folders.pop_front();
    store::PrefixIterator it = db_.store().Scan(db_.children, {.prefix = store::KeyView(folder)});
    for (; it.Valid(); it.Next()) {
      const std::string child_id(it.key().substr(folder.size()));
      absl::StatusOr<v1::Node> child = LoadId(child_id);
      if (absl::IsNotFound(child.status())) continue;  // Purged meanwhile.
      if (!child.ok()) return child.status();
      if (child->type() == v1::NODE_TYPE_FOLDER) {
        folders.push_back(child_id);
        continue;
      }
      absl::MutexLock lock(&locks_.For(user_id));
      absl::StatusOr<v1::Node> file = LoadId(child_id);  // Again, under the lock.
      if (absl::IsNotFound(file.status())) continue;
      if (!file.ok()) return file.status();
      absl::StatusOr<std::vector<v1::Version>> versions = VersionsOf(child_id);
      if (!versions.ok()) return versions.status();
      store::WriteBatch batch;
      const std::vector<v1::Version> dropped = DropExpired(&batch, *file, *versions, *policy, now);
      if (dropped.empty()) continue;
      if (absl::Status s =
              CommitFileChange(&batch, owner, v1::CHANGE_TYPE_VERSION_REMOVED, *file, now);
          !s.ok()) {
        return s;
      }
      for (const v1::Version& version : dropped) {
        expired.freed.emplace_back(version.name(), version.size_bytes());
      }
    }
    if (!it.status().ok()) return it.status();
  }
  return expired;
}

absl::StatusOr<std::vector<std::string>> Tree::Members(absl::string_view after,
                                                       size_t limit) const {
  std::vector<std::string> members;
  store::PrefixIterator it = db_.store().Scan(
      db_.roots, {.start_after = after.empty() ? std::nullopt
                                               : std::optional<std::string_view>(
                                                     std::string_view(after.data(), after.size())),
                  .limit = limit});
  for (; it.Valid(); it.Next()) members.emplace_back(it.key());
  if (!it.status().ok()) return it.status();
  return members;
}

}  // namespace bitcontent::metadata
