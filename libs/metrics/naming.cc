#include "libs/metrics/naming.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "libs/metrics/text_format.h"

namespace bitcontent::metrics {
namespace {

bool IsSnakeCaseIdentifier(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  const auto is_lower_or_underscore = [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; };
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!is_lower_or_underscore(text.front())) {
    return false;
  }
  return std::all_of(text.begin(), text.end(),
                     [&](char c) { return is_lower_or_underscore(c) || is_digit(c); });
}

// The shape rules shared by metric names and label names.
absl::Status CheckIdentifier(std::string_view what, std::string_view text) {
  // absl::StrCat takes absl::string_view, which Debian's abseil keeps apart from
  // std::string_view; hence the std::string.
  const std::string subject = std::string(what) + " \"" + std::string(text) + "\"";
  if (text.size() > kNameBytesMax) {
    return absl::InvalidArgumentError(
        absl::StrCat(subject, " is longer than ", kNameBytesMax, " bytes"));
  }
  if (!IsSnakeCaseIdentifier(text)) {
    return absl::InvalidArgumentError(
        absl::StrCat(subject, " is not lowercase snake_case ([a-z_][a-z0-9_]*)"));
  }
  if (text.starts_with("__")) {
    return absl::InvalidArgumentError(
        absl::StrCat(subject, " starts with \"__\", which Prometheus reserves"));
  }
  return absl::OkStatus();
}

absl::Status CheckSuffixes(std::string_view name, MetricType type) {
  const std::string subject = std::string(TypeName(type)) + " name \"" + std::string(name) + "\"";
  const bool is_counter = type == MetricType::kCounter;
  const bool ends_in_total = name.ends_with("_total");
  if (is_counter && !ends_in_total) {
    return absl::InvalidArgumentError(absl::StrCat(subject, " must end in \"_total\""));
  }
  if (!is_counter && ends_in_total) {
    return absl::InvalidArgumentError(absl::StrCat(subject, " must not end in \"_total\""));
  }
  if (type == MetricType::kHistogram) {
    return absl::OkStatus();
  }
  for (const char* suffix : {"_bucket", "_count", "_sum"}) {
    if (name.ends_with(suffix)) {
      return absl::InvalidArgumentError(
          absl::StrCat(subject, " must not end in \"", suffix, "\", which histogram samples use"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckMetricName(std::string_view name, MetricType type) {
  if (absl::Status status = CheckIdentifier("metric name", name); !status.ok()) {
    return status;
  }
  return CheckSuffixes(name, type);
}

absl::Status CheckLabelNames(absl::Span<const std::string> label_names) {
  if (label_names.size() > kLabelNamesMax) {
    return absl::InvalidArgumentError(
        absl::StrCat(label_names.size(), " label names; at most ", kLabelNamesMax));
  }
  for (std::size_t i = 0; i < label_names.size(); ++i) {
    const std::string& label = label_names[i];
    if (absl::Status status = CheckIdentifier("label name", label); !status.ok()) {
      return status;
    }
    if (label == "le" || label == "quantile") {
      return absl::InvalidArgumentError(
          absl::StrCat("label name \"", label, "\" is reserved for histogram and summary samples"));
    }
    if (std::find(label_names.begin(), label_names.begin() + i, label) != label_names.begin() + i) {
      return absl::InvalidArgumentError(absl::StrCat("label name \"", label, "\" repeats"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckHelp(std::string_view help) {
  if (help.empty()) {
    return absl::InvalidArgumentError("help text is empty");
  }
  if (help.size() > kHelpBytesMax) {
    return absl::InvalidArgumentError(
        absl::StrCat("help text is longer than ", kHelpBytesMax, " bytes"));
  }
  if (!IsValidUtf8(help)) {
    return absl::InvalidArgumentError("help text is not UTF-8");
  }
  return absl::OkStatus();
}

}  // namespace bitcontent::metrics
