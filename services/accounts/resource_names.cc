#include "services/accounts/resource_names.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"
#include "services/accounts/limits.h"

namespace bitcontent::accounts {
namespace {

bool IsUserSegment(absl::string_view segment) { return segment == kMe || ids::IsValidId(segment); }

absl::Status NameError(absl::string_view field, absl::string_view pattern) {
  return kit::FieldError(field, absl::StrCat("must look like \"", pattern,
                                             "\" with 26-character ids (or \"me\" for the user)"));
}

// Splits "users/{user}/{collection}/{child}"; empty result when the shape differs.
std::vector<absl::string_view> SplitChild(absl::string_view name, absl::string_view collection) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "users" || parts[2] != collection) return {};
  if (!IsUserSegment(parts[1]) || parts[3].empty()) return {};
  return parts;
}

}  // namespace

std::string UserName(absl::string_view user_id) { return absl::StrCat("users/", user_id); }

std::string SessionName(absl::string_view user_id, absl::string_view session_id) {
  return absl::StrCat("users/", user_id, "/sessions/", session_id);
}

std::string ApiKeyName(absl::string_view user_id, absl::string_view api_key_id) {
  return absl::StrCat("users/", user_id, "/apiKeys/", api_key_id);
}

std::string QuotaName(absl::string_view user_id) {
  return absl::StrCat("users/", user_id, "/quota");
}

std::string ReservationName(absl::string_view user_id, absl::string_view reservation_id) {
  return absl::StrCat("users/", user_id, "/quotaReservations/", reservation_id);
}

absl::StatusOr<std::string> ParseUserName(absl::string_view name, absl::string_view field) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 2 || parts[0] != "users" || !IsUserSegment(parts[1])) {
    return NameError(field, "users/{user}");
  }
  return std::string(parts[1]);
}

absl::StatusOr<ChildName> ParseSessionName(absl::string_view name, absl::string_view field) {
  std::vector<absl::string_view> parts = SplitChild(name, "sessions");
  if (parts.empty() || !ids::IsValidId(parts[3])) {
    return NameError(field, "users/{user}/sessions/{session}");
  }
  return ChildName{.user = std::string(parts[1]), .child = std::string(parts[3])};
}

absl::StatusOr<ChildName> ParseApiKeyName(absl::string_view name, absl::string_view field) {
  std::vector<absl::string_view> parts = SplitChild(name, "apiKeys");
  if (parts.empty() || !ids::IsValidId(parts[3])) {
    return NameError(field, "users/{user}/apiKeys/{api_key}");
  }
  return ChildName{.user = std::string(parts[1]), .child = std::string(parts[3])};
}

absl::StatusOr<std::string> ParseQuotaName(absl::string_view name, absl::string_view field) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 3 || parts[0] != "users" || !IsUserSegment(parts[1]) || parts[2] != "quota") {
    return NameError(field, "users/{user}/quota");
  }
  return std::string(parts[1]);
}

absl::StatusOr<ChildName> ParseReservationName(absl::string_view name, absl::string_view field) {
  std::vector<absl::string_view> parts = SplitChild(name, "quotaReservations");
  if (parts.empty() || !IsValidReservationId(parts[3])) {
    return kit::FieldError(field,
                           absl::StrCat("must look like \"users/{user}/quotaReservations/"
                                        "{reservation}\" with a reservation id of 1 to ",
                                        kReservationIdLengthMax, " characters of [A-Za-z0-9._-]"));
  }
  return ChildName{.user = std::string(parts[1]), .child = std::string(parts[3])};
}

bool IsValidReservationId(absl::string_view id) {
  if (id.empty() || id.size() > kReservationIdLengthMax) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

}  // namespace bitcontent::accounts
