// Resource names of the accounts API (AIP-122): "users/{user}",
// "users/{user}/sessions/{session}", "users/{user}/apiKeys/{api_key}",
// "users/{user}/quota" and "users/{user}/quotaReservations/{reservation}". Builds them
// and parses them from requests; "me" is accepted wherever a user id is and is resolved
// to the caller by caller.h.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bitcontent::accounts {

inline constexpr absl::string_view kMe = "me";

std::string UserName(absl::string_view user_id);
std::string SessionName(absl::string_view user_id, absl::string_view session_id);
std::string ApiKeyName(absl::string_view user_id, absl::string_view api_key_id);
std::string QuotaName(absl::string_view user_id);
std::string ReservationName(absl::string_view user_id, absl::string_view reservation_id);

// A parsed "users/{user}/{collection}/{child}" name. `user` may be "me".
struct ChildName {
  std::string user = {};
  std::string child = {};
};

// "users/{user}" -> the user id or "me". INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<std::string> ParseUserName(absl::string_view name, absl::string_view field);

// "users/{user}/sessions/{session}".
absl::StatusOr<ChildName> ParseSessionName(absl::string_view name, absl::string_view field);

// "users/{user}/apiKeys/{api_key}".
absl::StatusOr<ChildName> ParseApiKeyName(absl::string_view name, absl::string_view field);

// "users/{user}/quota" -> the user id or "me".
absl::StatusOr<std::string> ParseQuotaName(absl::string_view name, absl::string_view field);

// "users/{user}/quotaReservations/{reservation}".
absl::StatusOr<ChildName> ParseReservationName(absl::string_view name, absl::string_view field);

// True for 1 to kReservationIdLengthMax characters of [A-Za-z0-9._-].
bool IsValidReservationId(absl::string_view id);

}  // namespace bitcontent::accounts
