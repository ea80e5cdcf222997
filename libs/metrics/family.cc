#include "libs/metrics/family.h"

#include <cstdint>
#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/metrics/programmer_error.h"
#include "libs/metrics/text_format.h"

namespace bitcontent::metrics {
namespace {

template <typename Child>
constexpr MetricType TypeOf() {
  if constexpr (std::is_same_v<Child, Counter>) {
    return MetricType::kCounter;
  } else if constexpr (std::is_same_v<Child, Gauge>) {
    return MetricType::kGauge;
  } else {
    static_assert(std::is_same_v<Child, Histogram>);
    return MetricType::kHistogram;
  }
}

void AppendChildSamples(std::string& out, const FamilyBase& family, const std::string& pairs,
                        const Counter& counter) {
  AppendSample(out, family.name(), "", pairs, FormatValue(counter.Value()));
}

void AppendChildSamples(std::string& out, const FamilyBase& family, const std::string& pairs,
                        const Gauge& gauge) {
  AppendSample(out, family.name(), "", pairs, FormatValue(gauge.Value()));
}

void AppendChildSamples(std::string& out, const FamilyBase& family, const std::string& pairs,
                        const Histogram& histogram) {
  const Histogram::Snapshot snapshot = histogram.Read();
  const std::vector<double>& bounds = family.bucket_bounds();
  const std::string prefix = pairs.empty() ? "" : absl::StrCat(pairs, ",");
  for (std::size_t i = 0; i <= bounds.size(); ++i) {
    const std::string le = i < bounds.size() ? FormatValue(bounds[i]) : "+Inf";
    AppendSample(out, family.name(), "_bucket", absl::StrCat(prefix, "le=\"", le, "\""),
                 absl::StrCat(snapshot.cumulative_counts[i]));
  }
  AppendSample(out, family.name(), "_sum", pairs, FormatValue(snapshot.sum));
  AppendSample(out, family.name(), "_count", pairs,
               absl::StrCat(snapshot.cumulative_counts.back()));
}

}  // namespace

FamilyBase::FamilyBase(std::string name, std::string help, MetricType type,
                       std::vector<std::string> label_names, std::vector<double> bucket_bounds,
                       std::size_t children_max)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      label_names_(std::move(label_names)),
      bucket_bounds_(std::move(bucket_bounds)),
      children_max_(children_max),
      overflow_values_(label_names_.size(), std::string(kOverflowLabelValue)) {
  if (children_max_ < 1) {
    internal::ProgrammerError(absl::StrCat(name_, ": children_max is 0"));
  }
}

void FamilyBase::CheckLabelCount(std::size_t count) const {
  if (count != label_names_.size()) {
    internal::ProgrammerError(absl::StrCat(name_, ": WithLabels got ", count, " label values for ",
                                           label_names_.size(), " label names"));
  }
}

bool FamilyBase::NeedsOverflowChild(absl::Span<const std::string_view> values) const {
  if (values.empty()) {
    return false;  // The one child of a family without labels.
  }
  bool all_overflow = true;
  for (const std::string_view value : values) {
    if (value.size() > kLabelValueBytesMax || !IsValidUtf8(value)) {
      return true;
    }
    all_overflow = all_overflow && value == kOverflowLabelValue;
  }
  return all_overflow;
}

template <typename Child>
Family<Child>::Family(std::string name, std::string help, std::vector<std::string> label_names,
                      std::vector<double> bucket_bounds, std::size_t children_max)
    : FamilyBase(std::move(name), std::move(help), TypeOf<Child>(), std::move(label_names),
                 std::move(bucket_bounds), children_max) {
  // A family without labels has exactly one child: create it now so that the page shows
  // it (at zero) from the first scrape.
  if (FamilyBase::label_names().empty()) {
    absl::MutexLock lock(&mu_);
    InsertLocked({});
  }
}

template <typename Child>
Child& Family<Child>::WithLabels(absl::Span<const std::string_view> label_values) {
  CheckLabelCount(label_values.size());
  {
    absl::ReaderMutexLock lock(&mu_);
    if (Child* child = FindLocked(label_values)) {
      return *child;
    }
  }
  absl::MutexLock lock(&mu_);
  // Another thread may have inserted the tuple between the two locks.
  if (Child* child = FindLocked(label_values)) {
    return *child;
  }
  return InsertLocked(label_values);
}

template <typename Child>
std::size_t Family<Child>::ChildCount() const {
  absl::ReaderMutexLock lock(&mu_);
  return children_.size();
}

template <typename Child>
void Family<Child>::Render(std::string& out) const {
  // Children are never removed, so the pointers stay valid after the lock is released;
  // rendering without it keeps WithLabels from waiting on a scrape.
  std::vector<std::pair<const std::vector<std::string>*, const Child*>> children;
  {
    absl::ReaderMutexLock lock(&mu_);
    children.reserve(children_.size() + 1);
    for (const auto& [values, child] : children_) {
      children.emplace_back(&values, child.get());
    }
    if (overflow_ != nullptr) {
      children.emplace_back(&overflow_values(), overflow_.get());
    }
  }
  if (children.empty()) {
    return;
  }
  AppendFamilyHeader(out, name(), help(), type());
  for (const auto& [values, child] : children) {
    AppendChildSamples(out, *this, FormatLabelPairs(label_names(), *values), *child);
  }
}

template <typename Child>
Child* Family<Child>::FindLocked(absl::Span<const std::string_view> values) const {
  const auto it = children_.find(values);
  if (it != children_.end()) {
    return it->second.get();
  }
  if (RoutesToOverflowLocked(values)) {
    return overflow_.get();
  }
  return nullptr;
}

template <typename Child>
Child& Family<Child>::InsertLocked(absl::Span<const std::string_view> values) {
  if (RoutesToOverflowLocked(values)) {
    if (overflow_ == nullptr) {
      overflow_ = NewChild();
    }
    return *overflow_;
  }
  const auto inserted =
      children_.emplace(std::vector<std::string>(values.begin(), values.end()), NewChild());
  return *inserted.first->second;
}

template <typename Child>
bool Family<Child>::RoutesToOverflowLocked(absl::Span<const std::string_view> values) const {
  return children_.size() >= children_max() || NeedsOverflowChild(values);
}

template <typename Child>
std::unique_ptr<Child> Family<Child>::NewChild() const {
  if constexpr (std::is_same_v<Child, Histogram>) {
    return std::make_unique<Histogram>(bucket_bounds());
  } else {
    return std::make_unique<Child>();
  }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

}  // namespace bitcontent::metrics
