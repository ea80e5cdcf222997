#include "libs/metrics/registry.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "libs/metrics/naming.h"
#include "libs/metrics/process_collector.h"
#include "libs/metrics/programmer_error.h"

namespace bitcontent::metrics {
namespace {

void DieUnlessOk(std::string_view name, const absl::Status& status) {
  if (!status.ok()) {
    internal::ProgrammerError(
        absl::StrCat("cannot add family \"", std::string(name), "\": ", status.message()));
  }
}

// One family of the page: either a registered family or a process metric.
struct PageEntry {
  std::string_view name;
  const FamilyBase* family = nullptr;
  const ProcessMetric* process_metric = nullptr;
};

}  // namespace

CounterFamily& Registry::AddCounter(std::string_view name, std::string_view help,
                                    std::vector<std::string> label_names,
                                    std::size_t children_max) {
  CheckFamilyOrDie(name, MetricType::kCounter, help, label_names);
  return static_cast<CounterFamily&>(AddFamily(
      std::make_unique<CounterFamily>(std::string(name), std::string(help), std::move(label_names),
                                      std::vector<double>(), children_max)));
}

GaugeFamily& Registry::AddGauge(std::string_view name, std::string_view help,
                                std::vector<std::string> label_names, std::size_t children_max) {
  CheckFamilyOrDie(name, MetricType::kGauge, help, label_names);
  return static_cast<GaugeFamily&>(AddFamily(
      std::make_unique<GaugeFamily>(std::string(name), std::string(help), std::move(label_names),
                                    std::vector<double>(), children_max)));
}

HistogramFamily& Registry::AddHistogram(std::string_view name, std::string_view help,
                                        std::vector<std::string> label_names,
                                        std::vector<double> bucket_bounds,
                                        std::size_t children_max) {
  CheckFamilyOrDie(name, MetricType::kHistogram, help, label_names);
  DieUnlessOk(name, CheckBucketBounds(bucket_bounds));
  return static_cast<HistogramFamily&>(AddFamily(std::make_unique<HistogramFamily>(
      std::string(name), std::string(help), std::move(label_names), std::move(bucket_bounds),
      children_max)));
}

void Registry::EnableProcessMetrics() {
  absl::MutexLock lock(&mu_);
  process_metrics_enabled_ = true;
}

std::string Registry::Render() const {
  std::vector<PageEntry> entries;
  bool process_metrics_enabled = false;
  {
    // Families are never removed, so the pointers outlive the lock.
    absl::ReaderMutexLock lock(&mu_);
    entries.reserve(families_.size() + ProcessMetricNames().size());
    for (const auto& [name, family] : families_) {
      entries.push_back({name, family.get()});
    }
    process_metrics_enabled = process_metrics_enabled_;
  }
  std::vector<ProcessMetric> process_metrics;
  if (process_metrics_enabled) {
    process_metrics = CollectProcessMetrics();
  }
  for (const ProcessMetric& metric : process_metrics) {
    entries.push_back({metric.name, nullptr, &metric});
  }
  std::sort(entries.begin(), entries.end(),
            [](const PageEntry& a, const PageEntry& b) { return a.name < b.name; });

  std::string page;
  for (const PageEntry& entry : entries) {
    if (entry.family != nullptr) {
      entry.family->Render(page);
    } else {
      const ProcessMetric& metric = *entry.process_metric;
      AppendFamilyHeader(page, metric.name, metric.help, metric.type);
      AppendSample(page, metric.name, "", "", FormatValue(metric.value));
    }
  }
  return page;
}

void Registry::CheckFamilyOrDie(std::string_view name, MetricType type, std::string_view help,
                                const std::vector<std::string>& label_names) {
  DieUnlessOk(name, CheckMetricName(name, type));
  DieUnlessOk(name, CheckLabelNames(label_names));
  DieUnlessOk(name, CheckHelp(help));
  const absl::Span<const std::string_view> reserved = ProcessMetricNames();
  if (std::find(reserved.begin(), reserved.end(), name) != reserved.end()) {
    DieUnlessOk(name, absl::InvalidArgumentError("the process collector reserves this name"));
  }
}

FamilyBase& Registry::AddFamily(std::unique_ptr<FamilyBase> candidate) {
  absl::MutexLock lock(&mu_);
  const auto it = families_.find(candidate->name());
  if (it == families_.end()) {
    std::string name = candidate->name();
    return *families_.emplace(std::move(name), std::move(candidate)).first->second;
  }
  const FamilyBase& existing = *it->second;
  if (existing.type() != candidate->type() || existing.label_names() != candidate->label_names() ||
      existing.bucket_bounds() != candidate->bucket_bounds()) {
    DieUnlessOk(existing.name(),
                absl::AlreadyExistsError(absl::StrCat(
                    "already added with another type, label names or bucket bounds (it is a ",
                    std::string(TypeName(existing.type())), ")")));
  }
  return *it->second;
}

}  // namespace bitcontent::metrics
