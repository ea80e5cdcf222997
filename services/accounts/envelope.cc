#include "services/accounts/envelope.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "services/accounts/validation.h"

namespace bitcontent::accounts {
namespace {

// Deterministic serialization: equal messages give equal bytes in this binary.
std::string Deterministic(const google::protobuf::MessageLite& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream output(&bytes);
    google::protobuf::io::CodedOutputStream coded(&output);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }  // The streams flush and trim `bytes` as they go.
  return bytes;
}

}  // namespace

v1::KeyBundle KeyBundleOf(const v1::PasswordEnvelope& envelope, absl::string_view public_key,
                          absl::string_view wrapped_private_key) {
  v1::KeyBundle bundle;
  bundle.set_salt(envelope.salt());
  *bundle.mutable_kdf_params() = envelope.kdf_params();
  bundle.set_wrapped_master_key(envelope.wrapped_master_key());
  bundle.set_public_key(std::string(public_key));
  bundle.set_wrapped_private_key(std::string(wrapped_private_key));
  return bundle;
}

std::string EnvelopeFingerprint(absl::string_view subject, const v1::KeyBundle& bundle,
                                const v1::DeviceInfo& device) {
  return Fingerprint({subject, Deterministic(bundle), Deterministic(device)});
}

}  // namespace bitcontent::accounts
