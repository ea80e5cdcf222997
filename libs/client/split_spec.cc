#include "libs/client/split_spec.h"

#include <algorithm>
#include <numeric>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "libs/client/amount.h"
#include "libs/ids/ids.h"
#include "libs/split/split.h"

namespace bitcontent::client {
namespace {

namespace pv1 = pricing::v1;

absl::Status BadPart(absl::string_view part, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("split part \"", part, "\": ", why));
}

// "70" -> 7000, "12.5" -> 1250, "0.01" -> 1 basis points; 0 for anything else.
uint32_t BasisPointsOf(absl::string_view percent) {
  const size_t dot = percent.find('.');
  const absl::string_view whole = percent.substr(0, dot);
  const absl::string_view fraction =
      dot == absl::string_view::npos ? absl::string_view() : percent.substr(dot + 1);
  if (!IsDigits(whole) || whole.size() > 3 || fraction.size() > 2 ||
      (dot != absl::string_view::npos && !IsDigits(fraction))) {
    return 0;
  }
  uint32_t units = 0, hundredths = 0;
  if (!absl::SimpleAtoi(whole, &units)) return 0;
  if (!fraction.empty() && !absl::SimpleAtoi(fraction, &hundredths)) return 0;
  if (fraction.size() == 1) hundredths *= 10;
  return units * 100 + hundredths;
}

// A member's resource name, "users/ID", the id in either case (as the wallet takes it),
// written in capitals as ids are given out; nullopt for anything else.
std::optional<std::string> UserName(absl::string_view user) {
  if (!absl::ConsumePrefix(&user, "users/")) return std::nullopt;
  std::string id = absl::AsciiStrToUpper(user);
  if (!ids::IsValidId(id)) return std::nullopt;
  return absl::StrCat("users/", id);
}

// The user name a MEMBER of a split part names: users/ID, or an email looked up.
absl::StatusOr<std::string> MemberOf(absl::string_view part, absl::string_view member,
                                     const FindMember& find_member) {
  if (member.find('@') != absl::string_view::npos && find_member) {
    absl::StatusOr<std::string> found = find_member(member);
    if (!found.ok()) {
      return absl::Status(found.status().code(),
                          absl::StrCat("split part \"", part, "\": ", found.status().message()));
    }
    return found;
  }
  std::optional<std::string> user = UserName(member);
  if (!user.has_value()) {
    return BadPart(part, "a member is named by their email or users/ID");
  }
  return *user;
}

absl::StatusOr<pv1::SplitRecipient> ParsePart(absl::string_view part,
                                              const FindMember& find_member) {
  const size_t colon = part.rfind(':');
  if (colon == absl::string_view::npos)
    return BadPart(part, "expected ROLE:PERCENT, e.g. owner:70");
  absl::string_view who = absl::StripAsciiWhitespace(part.substr(0, colon));
  const absl::string_view percent = absl::StripAsciiWhitespace(part.substr(colon + 1));
  pv1::SplitRecipient recipient;
  const std::pair<absl::string_view, pv1::RecipientRole> roles[] = {
      {"owner", pv1::RECIPIENT_ROLE_OWNER},
      {"publisher", pv1::RECIPIENT_ROLE_PUBLISHER},
      {"uploader", pv1::RECIPIENT_ROLE_UPLOADER}};
  const absl::string_view role_name = who.substr(0, who.find('='));
  for (const auto& [name, role] : roles) {
    if (role_name == name) recipient.set_role(role);
  }
  if (recipient.role() == pv1::RECIPIENT_ROLE_UNSPECIFIED) {
    if (who.find('@') == absl::string_view::npos && !UserName(who).has_value()) {
      return BadPart(
          part, "the recipient is owner, publisher, uploader, or a member's email or users/ID");
    }
    absl::StatusOr<std::string> user = MemberOf(part, who, find_member);
    if (!user.ok()) return user.status();
    recipient.set_role(pv1::RECIPIENT_ROLE_OTHER);
    recipient.set_user(*user);
  } else if (who.size() > role_name.size()) {
    absl::StatusOr<std::string> user =
        MemberOf(part, who.substr(role_name.size() + 1), find_member);
    if (!user.ok()) return user.status();
    recipient.set_user(*user);
  }
  const uint32_t basis_points = BasisPointsOf(percent);
  if (basis_points == 0 || basis_points > pricing::kBasisPointsTotal) {
    return BadPart(part,
                   "the share is a percentage above 0 and at most 100, with at most two decimals");
  }
  recipient.set_basis_points(basis_points);
  return recipient;
}

// "70", "12.5", "0.01": basis points as a percentage.
std::string PercentOf(uint32_t basis_points) {
  if (basis_points % 100 == 0) return absl::StrCat(basis_points / 100);
  if (basis_points % 10 == 0)
    return absl::StrFormat("%d.%d", basis_points / 100, basis_points / 10 % 10);
  return absl::StrFormat("%d.%02d", basis_points / 100, basis_points % 100);
}

}  // namespace

absl::StatusOr<pv1::SplitRule> ParseSplitSpec(absl::string_view spec,
                                              const FindMember& find_member) {
  pv1::SplitRule rule;
  std::set<std::pair<int, std::string>> seen;
  uint32_t total = 0;
  for (absl::string_view part : absl::StrSplit(spec, ',')) {
    part = absl::StripAsciiWhitespace(part);
    if (part.empty())
      return absl::InvalidArgumentError(absl::StrCat("split \"", spec, "\" has an empty part"));
    if (rule.recipients_size() == pricing::kSplitRecipientsMax) {
      return absl::InvalidArgumentError(
          absl::StrCat("a split has at most ", pricing::kSplitRecipientsMax, " recipients"));
    }
    absl::StatusOr<pv1::SplitRecipient> recipient = ParsePart(part, find_member);
    if (!recipient.ok()) return recipient.status();
    if (!seen.emplace(recipient->role(), recipient->user()).second) {
      return BadPart(part, "this recipient is already in the split; give it one share");
    }
    total += recipient->basis_points();
    *rule.add_recipients() = *std::move(recipient);
  }
  if (total != pricing::kBasisPointsTotal) {
    return absl::InvalidArgumentError(
        absl::StrCat("the split's shares add up to ", PercentOf(total), "%, not 100%"));
  }
  return rule;
}

std::string RecipientLabel(pv1::RecipientRole role, absl::string_view user) {
  switch (role) {
    case pv1::RECIPIENT_ROLE_OWNER:
      return user.empty() ? "owner" : absl::StrCat("owner ", user);
    case pv1::RECIPIENT_ROLE_PUBLISHER:
      return user.empty() ? "publisher" : absl::StrCat("publisher ", user);
    case pv1::RECIPIENT_ROLE_UPLOADER:
      return user.empty() ? "uploader" : absl::StrCat("uploader ", user);
    default:
      return std::string(user);
  }
}

std::string FormatSplit(const pv1::SplitRule& split) {
  if (split.recipients().empty()) return "owner 100%";
  std::vector<std::string> parts;
  for (const pv1::SplitRecipient& recipient : split.recipients()) {
    parts.push_back(absl::StrCat(RecipientLabel(recipient.role(), recipient.user()), " ",
                                 PercentOf(recipient.basis_points()), "%"));
  }
  return absl::StrJoin(parts, ", ");
}

std::vector<pv1::SplitLine> PreviewSplit(uint64_t amount_msat, const pv1::SplitRule& split) {
  return pricing::SplitLines(amount_msat, split.platform_fee_basis_points(),
                             pricing::SplitOrOwner(split));
}

}  // namespace bitcontent::client
