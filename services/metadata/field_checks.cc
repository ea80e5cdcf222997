#include "services/metadata/field_checks.h"

#include "absl/strings/str_cat.h"
#include "libs/kit/error_details.h"
#include "services/metadata/tree.h"

namespace bitcontent::metadata {

absl::Status RequireBytes(absl::string_view field, absl::string_view value, size_t exact) {
  if (value.size() == exact) return absl::OkStatus();
  return kit::FieldError(field, absl::StrCat("must be ", exact, " bytes, not ", value.size()));
}

namespace {

absl::Status RequireAttributes(absl::string_view field, absl::string_view value, bool optional) {
  if (value.empty() && optional) return absl::OkStatus();
  if (value.empty() || value.size() > Tree::kEncryptedAttributesBytesMax) {
    return kit::FieldError(field, absl::StrCat("must be 1 to ", Tree::kEncryptedAttributesBytesMax,
                                               " bytes, not ", value.size()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RequireSealed(const Sealed& sealed) {
  if (sealed.wrapped_key != nullptr) {
    if (absl::Status s = RequireBytes(absl::StrCat(sealed.prefix, "wrapped_key"),
                                      *sealed.wrapped_key, Tree::kWrappedKeyBytes);
        !s.ok()) {
      return s;
    }
  }
  if (sealed.name_hmac != nullptr) {
    if (absl::Status s = RequireBytes(absl::StrCat(sealed.prefix, "name_hmac"), *sealed.name_hmac,
                                      Tree::kNameHmacBytes);
        !s.ok()) {
      return s;
    }
  }
  if (sealed.attributes == nullptr) return absl::OkStatus();
  return RequireAttributes(absl::StrCat(sealed.prefix, "encrypted_attributes"), *sealed.attributes,
                           sealed.attributes_optional);
}

absl::Status RequireRequestId(absl::string_view request_id) {
  if (request_id.size() <= Tree::kRequestIdBytesMax) return absl::OkStatus();
  return kit::FieldError("request_id",
                         absl::StrCat("must be at most ", Tree::kRequestIdBytesMax, " bytes"));
}

}  // namespace bitcontent::metadata
