#include "services/blobs/upload_sessions.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/hash.h"
#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"
#include "libs/kit/resource_names.h"
#include "libs/store/key_encoding.h"
#include "libs/store/record_io.h"

namespace bitcontent::blobs {
namespace {

using common::v1::ERROR_REASON_CHUNK_HASH_MISMATCH;
using common::v1::ERROR_REASON_CHUNKS_MISSING;

uint64_t TotalBytes(const v1::UploadSession& session) {
  if (session.chunk_count() == 0) return 0;
  return uint64_t{session.chunk_count() - 1} * session.chunk_size_bytes() +
         session.last_chunk_size_bytes();
}

uint32_t SizeOf(const v1::UploadSession& session, uint32_t index) {
  return index + 1 == session.chunk_count() ? session.last_chunk_size_bytes()
                                            : session.chunk_size_bytes();
}

// The hashes a session has received, by index (empty strings for missing chunks).
absl::StatusOr<std::vector<std::string>> ReceivedHashes(const BlobsDb& db,
                                                        const v1::UploadSession& session,
                                                        absl::string_view id) {
  std::vector<std::string> hashes(session.chunk_count());
  store::PrefixIterator it = db.store().Scan(db.session_chunks, {.prefix = store::KeyView(id)});
  for (; it.Valid(); it.Next()) {
    const std::optional<uint32_t> index = store::DecodeUint32(it.key().substr(id.size()));
    if (!index.has_value() || *index >= hashes.size()) {
      return absl::DataLossError(absl::StrCat("session ", id, " has a chunk outside its layout"));
    }
    hashes[*index] = std::string(it.value());
  }
  if (!it.status().ok()) return it.status();
  return hashes;
}

}  // namespace

absl::StatusOr<v1::UploadSession> UploadSessions::Load(absl::string_view session_id,
                                                       absl::Time now) const {
  absl::StatusOr<std::optional<v1::UploadSession>> found =
      store::FindRecord<v1::UploadSession>(db_.store(), db_.sessions, session_id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) {
    return absl::NotFoundError(absl::StrCat("uploadSessions/", session_id,
                                            " has not begun: call BeginUploadSession first"));
  }
  v1::UploadSession session = **std::move(found);
  if (session.state() == v1::UPLOAD_SESSION_STATE_OPEN &&
      auth::TimeFromProto(session.expire_time()) <= now) {
    session.set_state(v1::UPLOAD_SESSION_STATE_EXPIRED);
  }
  return session;
}

absl::StatusOr<v1::UploadSession> UploadSessions::RequireOpen(absl::string_view session_id,
                                                              absl::Time now) const {
  absl::StatusOr<v1::UploadSession> session = Load(session_id, now);
  if (!session.ok()) return session.status();
  if (session->state() != v1::UPLOAD_SESSION_STATE_OPEN) {
    return absl::FailedPreconditionError(absl::StrCat(session->name(), " is ",
                                                      v1::UploadSessionState_Name(session->state()),
                                                      ", not open: begin a new upload"));
  }
  return session;
}

absl::StatusOr<v1::UploadSession> UploadSessions::Begin(absl::string_view session_id,
                                                        uint64_t max_size_bytes,
                                                        const ChunkLayoutRequest& layout,
                                                        absl::Time now) {
  if (layout.chunk_count > kChunksMax) {
    return kit::FieldError("chunk_count", absl::StrCat("must be at most ", kChunksMax));
  }
  if (layout.chunk_count > 0 &&
      (layout.chunk_size_bytes == 0 || layout.chunk_size_bytes > kChunkBytesMax)) {
    return kit::FieldError("chunk_size_bytes", absl::StrCat("must be 1 to ", kChunkBytesMax));
  }
  if ((layout.chunk_count == 0) != (layout.last_chunk_size_bytes == 0) ||
      layout.last_chunk_size_bytes > layout.chunk_size_bytes) {
    return kit::FieldError("last_chunk_size_bytes",
                           "must be 1 to chunk_size_bytes (0 only with no chunks)");
  }
  v1::UploadSession session;
  session.set_name(absl::StrCat("uploadSessions/", session_id));
  session.set_state(v1::UPLOAD_SESSION_STATE_OPEN);
  session.set_chunk_count(layout.chunk_count);
  session.set_chunk_size_bytes(layout.chunk_size_bytes);
  session.set_last_chunk_size_bytes(layout.last_chunk_size_bytes);
  session.set_size_bytes(TotalBytes(session));
  if (session.size_bytes() > max_size_bytes) {
    return absl::PermissionDeniedError(absl::StrCat("this layout holds ", session.size_bytes(),
                                                    " bytes; the grant allows ", max_size_bytes,
                                                    " (what metadata reserved against the quota)"));
  }

  absl::MutexLock lock(&locks_.For(session_id));
  absl::StatusOr<v1::UploadSession> existing = Load(session_id, now);
  if (existing.ok()) {
    if (existing->chunk_count() != layout.chunk_count ||
        existing->chunk_size_bytes() != layout.chunk_size_bytes ||
        existing->last_chunk_size_bytes() != layout.last_chunk_size_bytes) {
      return absl::FailedPreconditionError(absl::StrCat(
          existing->name(), " began with another layout; a new layout needs a new upload"));
    }
    return Get(session_id, now);
  }
  if (!absl::IsNotFound(existing.status())) return existing.status();
  *session.mutable_create_time() = auth::ProtoFromTime(now);
  *session.mutable_update_time() = session.create_time();
  *session.mutable_expire_time() = auth::ProtoFromTime(now + kLifetime);
  store::WriteBatch batch;
  store::PutRecord(&batch, db_.sessions, session_id, session);
  if (absl::Status s = db_.store().Write(&batch, {.sync = true}); !s.ok()) return s;
  return Get(session_id, now);
}

absl::StatusOr<PutResult> UploadSessions::Put(absl::string_view session_id, uint32_t index,
                                              absl::string_view hash, absl::string_view data,
                                              absl::Time now) {
  absl::StatusOr<v1::UploadSession> session = RequireOpen(session_id, now);
  if (!session.ok()) return session.status();
  if (index >= session->chunk_count()) {
    return kit::FieldError(
        "index", absl::StrCat("must be below the session's ", session->chunk_count(), " chunks"));
  }
  if (data.size() != SizeOf(*session, index)) {
    return kit::FieldError("data", absl::StrCat("chunk ", index, " is ", SizeOf(*session, index),
                                                " bytes in this layout, not ", data.size()));
  }
  if (crypto::Blake2b256(data) != hash) {
    return kit::WithReason(absl::InvalidArgumentError(absl::StrCat(
                               "chunk ", index,
                               " does not hash to the BLAKE2b-256 sent with it; it was damaged "
                               "on the way: send it again")),
                           ERROR_REASON_CHUNK_HASH_MISMATCH);
  }
  // The bytes are durable before any record says they are there.
  bool existed = false;
  if (absl::Status stored = provider_->Put(crypto::HexEncode(hash), data, &existed); !stored.ok()) {
    return stored;
  }

  absl::MutexLock lock(&locks_.For(session_id));
  session = RequireOpen(session_id, now);  // It may have been committed or aborted meanwhile.
  if (!session.ok()) return session.status();
  PutResult result;
  const std::string key = BlobsDb::ChunkKey(session_id, index);
  absl::StatusOr<std::string> before = db_.store().Get(db_.session_chunks, store::KeyView(key));
  if (before.ok()) {
    if (*before != hash) {
      return absl::FailedPreconditionError(
          absl::StrCat("chunk ", index,
                       " was already received with another hash; a changed file needs a "
                       "new upload"));
    }
    result.already_present = true;
  } else if (!absl::IsNotFound(before.status())) {
    return before.status();
  } else {
    session->set_received_chunk_count(session->received_chunk_count() + 1);
    session->set_received_bytes(session->received_bytes() + data.size());
    *session->mutable_update_time() = auth::ProtoFromTime(now);
    store::WriteBatch batch;
    batch.Put(db_.session_chunks, store::KeyView(key), store::KeyView(hash));
    store::PutRecord(&batch, db_.sessions, session_id, *session);
    if (absl::Status s = db_.store().Write(&batch, {.sync = true}); !s.ok()) return s;
  }
  result.received_chunk_count = session->received_chunk_count();
  result.received_bytes = session->received_bytes();
  return result;
}

absl::StatusOr<v1::UploadSession> UploadSessions::Get(absl::string_view session_id,
                                                      absl::Time now) const {
  absl::StatusOr<v1::UploadSession> session = Load(session_id, now);
  if (!session.ok()) return session.status();
  if (session->state() != v1::UPLOAD_SESSION_STATE_OPEN) return session;
  absl::StatusOr<std::vector<std::string>> hashes = ReceivedHashes(db_, *session, session_id);
  if (!hashes.ok()) return hashes.status();
  for (uint32_t i = 0; i < hashes->size(); ++i) {
    if (!(*hashes)[i].empty()) continue;
    const int ranges = session->missing_chunks_size();
    v1::IndexRange* last = ranges == 0 ? nullptr : session->mutable_missing_chunks(ranges - 1);
    if (last != nullptr && last->first_index() + last->count() == i) {
      last->set_count(last->count() + 1);
    } else if (static_cast<size_t>(ranges) == kMissingRangesMax) {
      session->set_missing_ranges_truncated(true);
      break;
    } else {
      v1::IndexRange* range = session->add_missing_chunks();
      range->set_first_index(i);
      range->set_count(1);
    }
  }
  return session;
}

absl::StatusOr<v1::UploadSession> UploadSessions::Abort(absl::string_view session_id,
                                                        absl::Time now) {
  absl::MutexLock lock(&locks_.For(session_id));
  absl::StatusOr<v1::UploadSession> session = Load(session_id, now);
  if (!session.ok()) return session.status();
  if (session->state() == v1::UPLOAD_SESSION_STATE_COMMITTED) {
    return absl::FailedPreconditionError(
        absl::StrCat(session->name(), " is committed; its blob belongs to a file now"));
  }
  if (session->state() != v1::UPLOAD_SESSION_STATE_OPEN) return session;
  session->set_state(v1::UPLOAD_SESSION_STATE_ABORTED);
  *session->mutable_update_time() = auth::ProtoFromTime(now);
  store::WriteBatch batch;
  store::PutRecord(&batch, db_.sessions, session_id, *session);
  if (absl::Status s = db_.store().Write(&batch, {.sync = true}); !s.ok()) return s;
  return session;
}

absl::StatusOr<v1::Blob> UploadSessions::Commit(absl::string_view session_id, absl::Time now) {
  absl::MutexLock lock(&locks_.For(session_id));
  absl::StatusOr<v1::UploadSession> session = Load(session_id, now);
  if (!session.ok()) return session.status();
  if (session->state() == v1::UPLOAD_SESSION_STATE_COMMITTED) {
    absl::StatusOr<std::optional<v1::Blob>> blob =
        store::FindRecord<v1::Blob>(db_.store(), db_.blobs, kit::IdOfName(session->blob()));
    if (!blob.ok()) return blob.status();
    if (!blob->has_value()) {
      return absl::NotFoundError(absl::StrCat(session->name(), " made ", session->blob(),
                                              ", which has since been collected: no file "
                                              "version referred to it; upload it again"));
    }
    return **std::move(blob);
  }
  if (session->state() != v1::UPLOAD_SESSION_STATE_OPEN) {
    return absl::FailedPreconditionError(
        absl::StrCat(session->name(), " is ", v1::UploadSessionState_Name(session->state())));
  }
  absl::StatusOr<std::vector<std::string>> hashes = ReceivedHashes(db_, *session, session_id);
  if (!hashes.ok()) return hashes.status();
  std::string manifest;
  uint32_t missing = 0;
  for (const std::string& hash : *hashes) {
    if (hash.empty()) ++missing;
    manifest += hash;
  }
  if (missing > 0) {
    return kit::WithReason(
        absl::FailedPreconditionError(absl::StrCat(
            missing, " of ", session->chunk_count(),
            " chunks have not arrived; GetUploadSession lists them, send those and commit again")),
        ERROR_REASON_CHUNKS_MISSING, {{"missing_chunk_count", absl::StrCat(missing)}});
  }
  const std::string blob_id = ids::NewId();
  v1::Blob blob;
  blob.set_name(absl::StrCat("blobs/", blob_id));
  blob.set_state(v1::BLOB_STATE_ACTIVE);
  blob.set_size_bytes(session->size_bytes());
  blob.set_chunk_count(session->chunk_count());
  blob.set_chunk_size_bytes(session->chunk_size_bytes());
  blob.set_last_chunk_size_bytes(session->last_chunk_size_bytes());
  blob.set_manifest_hash(crypto::Blake2b256(manifest));
  blob.set_upload_session(session->name());
  *blob.mutable_create_time() = auth::ProtoFromTime(now);
  session->set_state(v1::UPLOAD_SESSION_STATE_COMMITTED);
  session->set_blob(blob.name());
  *session->mutable_update_time() = auth::ProtoFromTime(now);
  store::WriteBatch batch;
  store::PutRecord(&batch, db_.blobs, blob_id, blob);
  for (uint32_t i = 0; i < hashes->size(); ++i) {
    batch.Put(db_.blob_chunks, store::KeyView(BlobsDb::ChunkKey(blob_id, i)),
              store::KeyView((*hashes)[i]));
  }
  store::PutRecord(&batch, db_.sessions, session_id, *session);
  // No version refers to the blob yet: metadata adds the first reference right after
  // this commit, and a blob none ever refers to is collected once the grace has passed.
  batch.Put(db_.unreferenced, store::KeyView(blob_id), BlobsDb::EncodeSince(now));
  if (absl::Status s = db_.store().Write(&batch, {.sync = true}); !s.ok()) return s;
  return blob;
}

}  // namespace bitcontent::blobs
