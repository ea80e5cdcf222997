#include "libs/split/split.h"

#include <algorithm>
#include <cstdlib>
#include <numeric>
#include <string>

#include "absl/numeric/int128.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"

namespace bitcontent::pricing {
namespace {

// floor(a * b / 10000) and its remainder without overflow: a < 2^64, b <= 10000.
struct Divided {
  uint64_t quotient = 0;
  uint32_t remainder = 0;
};

Divided MulDiv(uint64_t amount, uint32_t basis_points) {
  const absl::uint128 product = absl::uint128(amount) * basis_points;
  return {.quotient = static_cast<uint64_t>(product / kBasisPointsTotal),
          .remainder = static_cast<uint32_t>(product % kBasisPointsTotal)};
}

}  // namespace

void CanonicalizeUsers(v1::SplitRule* split) {
  for (v1::SplitRecipient& recipient : *split->mutable_recipients()) {
    absl::string_view id = recipient.user();
    if (absl::ConsumePrefix(&id, "users/")) {
      recipient.set_user(absl::StrCat("users/", absl::AsciiStrToUpper(id)));
    }
  }
}

namespace {

absl::Status CheckRecipient(const std::string& at, const v1::SplitRecipient& recipient) {
  if (recipient.role() == v1::RECIPIENT_ROLE_UNSPECIFIED ||
      !v1::RecipientRole_IsValid(recipient.role())) {
    return kit::FieldError(at + ".role", "must be OWNER, PUBLISHER, UPLOADER or OTHER");
  }
  absl::string_view user = recipient.user();
  if (recipient.role() == v1::RECIPIENT_ROLE_OTHER && user.empty()) {
    return kit::FieldError(at + ".user", "is required for an OTHER recipient");
  }
  if (!user.empty() && (!absl::ConsumePrefix(&user, "users/") || !ids::IsValidId(user))) {
    return kit::FieldError(at + ".user", "must be \"users/{user}\"");
  }
  if (recipient.basis_points() == 0 || recipient.basis_points() > kBasisPointsTotal) {
    return kit::FieldError(at + ".basis_points", "must be 1 to 10000");
  }
  return absl::OkStatus();
}

// A second share for someone the split already pays: the same member named twice, or
// the same role (owner, publisher, uploader) given twice. Paying one person in two lines
// of one rule is always a mistake in the rule, and would show them twice in every quote.
absl::Status CheckDuplicate(const std::string& at, const v1::SplitRule& split, int index) {
  const v1::SplitRecipient& recipient = split.recipients(index);
  for (int i = 0; i < index; ++i) {
    const v1::SplitRecipient& earlier = split.recipients(i);
    if (!recipient.user().empty() && recipient.user() == earlier.user()) {
      return kit::FieldError(at + ".user", absl::StrCat(recipient.user(), " is already recipients[",
                                                        i, "]: give each member one share"));
    }
    if (recipient.role() != v1::RECIPIENT_ROLE_OTHER && recipient.role() == earlier.role()) {
      return kit::FieldError(
          at + ".role", absl::StrCat(v1::RecipientRole_Name(recipient.role()),
                                     " is already recipients[", i, "]: give each role one share"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckSplit(std::string_view field, const v1::SplitRule& split) {
  const int count = split.recipients_size();
  if (count == 0) return absl::OkStatus();
  const std::string name = std::string(field) + ".recipients";
  if (static_cast<size_t>(count) > kSplitRecipientsMax) {
    return kit::FieldError(
        name, absl::StrCat("has 1 to ", kSplitRecipientsMax, " recipients, not ", count));
  }
  uint64_t total = 0;
  for (int i = 0; i < count; ++i) {
    const v1::SplitRecipient& recipient = split.recipients(i);
    const std::string at = absl::StrCat(name, "[", i, "]");
    if (absl::Status checked = CheckRecipient(at, recipient); !checked.ok()) return checked;
    if (absl::Status unique = CheckDuplicate(at, split, i); !unique.ok()) return unique;
    total += recipient.basis_points();
  }
  if (total != kBasisPointsTotal) {
    return kit::FieldError(name,
                           absl::StrCat("basis points must sum to exactly 10000, not ", total));
  }
  return absl::OkStatus();
}

v1::SplitRule SplitOrOwner(const v1::SplitRule& split) {
  v1::SplitRule out = split;
  if (out.recipients_size() == 0) {
    v1::SplitRecipient* owner = out.add_recipients();
    owner->set_role(v1::RECIPIENT_ROLE_OWNER);
    owner->set_basis_points(kBasisPointsTotal);
  }
  return out;
}

SplitParts SplitAmount(uint64_t amount_msat, uint32_t fee_basis_points,
                       const std::vector<uint32_t>& recipient_basis_points) {
  const uint64_t points =
      std::accumulate(recipient_basis_points.begin(), recipient_basis_points.end(), uint64_t{0});
  // Callers check splits before they price anything; a bad one here is a bug.
  if (points != kBasisPointsTotal || fee_basis_points > kBasisPointsTotal) std::abort();
  SplitParts parts;
  parts.fee_msat = MulDiv(amount_msat, fee_basis_points).quotient;
  const uint64_t rest = amount_msat - parts.fee_msat;
  std::vector<uint32_t> remainders;
  uint64_t shared = 0;
  for (const uint32_t basis_points : recipient_basis_points) {
    const Divided share = MulDiv(rest, basis_points);
    parts.shares_msat.push_back(share.quotient);
    remainders.push_back(share.remainder);
    shared += share.quotient;
  }
  // Each floor loses less than 1 msat, so fewer msat are left than there are recipients.
  uint64_t leftover = rest - shared;
  if (leftover >= recipient_basis_points.size() && leftover != 0) std::abort();
  std::vector<size_t> order(recipient_basis_points.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return remainders[a] > remainders[b]; });
  for (size_t i = 0; leftover > 0; ++i, --leftover) ++parts.shares_msat[order[i]];
  return parts;
}

std::vector<v1::SplitLine> SplitLines(uint64_t amount_msat, uint32_t fee_basis_points,
                                      const v1::SplitRule& split) {
  std::vector<uint32_t> points;
  for (const v1::SplitRecipient& recipient : split.recipients()) {
    points.push_back(recipient.basis_points());
  }
  const SplitParts parts = SplitAmount(amount_msat, fee_basis_points, points);
  std::vector<v1::SplitLine> lines;
  for (int i = 0; i < split.recipients_size(); ++i) {
    v1::SplitLine& line = lines.emplace_back();
    line.set_role(split.recipients(i).role());
    line.set_user(split.recipients(i).user());
    line.set_amount_msat(parts.shares_msat[static_cast<size_t>(i)]);
  }
  v1::SplitLine& fee = lines.emplace_back();
  fee.set_platform_fee(true);
  fee.set_amount_msat(parts.fee_msat);
  return lines;
}

}  // namespace bitcontent::pricing
