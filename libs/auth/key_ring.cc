#include "libs/auth/key_ring.h"

#include <google/protobuf/util/message_differencer.h>

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace bitcontent::auth {
namespace {

constexpr size_t kPublicKeyBytes = 32;

bool IsSigningPurpose(common::v1::KeyPurpose purpose) {
  return purpose == common::v1::KEY_PURPOSE_ACCESS_TOKEN ||
         purpose == common::v1::KEY_PURPOSE_CAPABILITY_GRANT ||
         purpose == common::v1::KEY_PURPOSE_QUOTE || purpose == common::v1::KEY_PURPOSE_RECEIPT;
}

}  // namespace

absl::Status ValidatePublicKey(const common::v1::PublicKey& key) {
  if (key.key_id().empty() || key.key_id().size() > kKeyIdBytesMax) {
    return absl::InvalidArgumentError(absl::StrCat("public key id must be 1 to ", kKeyIdBytesMax,
                                                   " characters, got ", key.key_id().size()));
  }
  if (key.public_key().size() != kPublicKeyBytes) {
    return absl::InvalidArgumentError(absl::StrCat("public key \"", key.key_id(), "\" must be ",
                                                   kPublicKeyBytes, " bytes, got ",
                                                   key.public_key().size()));
  }
  const bool fits =
      (key.algorithm() == common::v1::KEY_ALGORITHM_ED25519 && IsSigningPurpose(key.purpose())) ||
      (key.algorithm() == common::v1::KEY_ALGORITHM_X25519 &&
       key.purpose() == common::v1::KEY_PURPOSE_KEY_ESCROW);
  if (!fits) {
    return absl::InvalidArgumentError(
        absl::StrCat("public key \"", key.key_id(), "\" has algorithm ",
                     common::v1::KeyAlgorithm_Name(key.algorithm()), " and purpose ",
                     common::v1::KeyPurpose_Name(key.purpose()),
                     "; signing purposes need Ed25519 and key escrow needs X25519"));
  }
  return absl::OkStatus();
}

absl::Status KeyRing::Add(const common::v1::PublicKey& key) {
  if (absl::Status status = ValidatePublicKey(key); !status.ok()) return status;
  absl::MutexLock lock(&mu_);
  auto current = current_.find(key.key_id());
  if (current != current_.end() &&
      google::protobuf::util::MessageDifferencer::Equals(*current->second, key)) {
    return absl::OkStatus();
  }
  if (versions_.size() >= kKeyRingVersionsMax) {
    return absl::ResourceExhaustedError(absl::StrCat("key ring already holds ", kKeyRingVersionsMax,
                                                     " key versions; cannot add \"", key.key_id(),
                                                     "\""));
  }
  versions_.push_back(key);
  current_[key.key_id()] = &versions_.back();
  return absl::OkStatus();
}

const common::v1::PublicKey* KeyRing::Find(absl::string_view key_id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto current = current_.find(key_id);
  return current == current_.end() ? nullptr : current->second;
}

std::vector<common::v1::PublicKey> KeyRing::List() const {
  std::vector<common::v1::PublicKey> keys;
  {
    absl::ReaderMutexLock lock(&mu_);
    keys.reserve(current_.size());
    for (const auto& [key_id, key] : current_) {
      keys.push_back(*key);
    }
  }
  std::sort(keys.begin(), keys.end(),
            [](const common::v1::PublicKey& a, const common::v1::PublicKey& b) {
              return a.key_id() < b.key_id();
            });
  return keys;
}

}  // namespace bitcontent::auth
