// A family: all the children of one metric name, one child per tuple of label values,
// e.g. grpc_server_handled_total{grpc_method="/x.v1.Svc/Get",grpc_code="OK"}. A Registry
// creates families (AddCounter, AddGauge, AddHistogram); callers resolve children with
// WithLabels and keep the references, which stay valid as long as the registry.
//
// Resolving takes the family's lock (shared unless the tuple is new); updating a resolved
// child is lock-free. Resolve once per RPC method (or once at startup) on hot paths.
//
// Cardinality limit. Label values may come from requests (method names, status codes), so
// a family holds at most children_max children. Once full, every new tuple resolves to a
// single overflow child whose label values are all kOverflowLabelValue ("__overflow__").
// A tuple that could not be rendered faithfully goes there too, whatever the count: a
// value longer than kLabelValueBytesMax or not valid UTF-8. A caller passing the overflow
// tuple itself also gets the overflow child, so it is never rendered twice. The overflow
// child is not counted in children_max and is rendered after all others; a non-zero
// overflow series on a dashboard means some family needs fewer distinct labels.
#pragma once

#include <algorithm>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "libs/metrics/counter.h"
#include "libs/metrics/gauge.h"
#include "libs/metrics/histogram.h"
#include "libs/metrics/metric_type.h"

namespace bitcontent::metrics {

inline constexpr std::size_t kChildrenMaxDefault = 10'000;
inline constexpr std::size_t kLabelValueBytesMax = 256;
inline constexpr std::string_view kOverflowLabelValue = "__overflow__";

// What the registry needs from any family, whatever its child type.
class FamilyBase {
 public:
  virtual ~FamilyBase() = default;
  FamilyBase(const FamilyBase&) = delete;
  FamilyBase& operator=(const FamilyBase&) = delete;

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  MetricType type() const { return type_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  // Empty unless type() is kHistogram.
  const std::vector<double>& bucket_bounds() const { return bucket_bounds_; }
  std::size_t children_max() const { return children_max_; }

  // Appends the family in text format: HELP, TYPE, then each child's samples in order of
  // label values, the overflow child last. Appends nothing while the family has no child.
  virtual void Render(std::string& out) const = 0;

 protected:
  // The caller (the registry) has checked every argument.
  FamilyBase(std::string name, std::string help, MetricType type,
             std::vector<std::string> label_names, std::vector<double> bucket_bounds,
             std::size_t children_max);

  // Aborts unless `count` equals the number of label names.
  void CheckLabelCount(std::size_t count) const;

  // Whether `values` must use the overflow child however few children exist.
  bool NeedsOverflowChild(absl::Span<const std::string_view> values) const;

  const std::vector<std::string>& overflow_values() const { return overflow_values_; }

 private:
  const std::string name_;
  const std::string help_;
  const MetricType type_;
  const std::vector<std::string> label_names_;
  const std::vector<double> bucket_bounds_;
  const std::size_t children_max_;
  const std::vector<std::string> overflow_values_;
};

// A family whose children are Counter, Gauge or Histogram.
template <typename Child>
class Family final : public FamilyBase {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names,
         std::vector<double> bucket_bounds, std::size_t children_max);

  // The child for `label_values`, given in the order of label_names(); created on first
  // use. A count of values that differs from the label names is a programmer error and
  // aborts. Over the cardinality limit, returns the overflow child (see the top of file).
  Child& WithLabels(absl::Span<const std::string_view> label_values);

  // Children created so far, the overflow child not included.
  std::size_t ChildCount() const;

  void Render(std::string& out) const override;

 private:
  // Orders label tuples, and lets a tuple of string_views find a stored tuple of strings.
  struct LabelValuesLess {
    using is_transparent = void;
    template <typename Left, typename Right>
    bool operator()(const Left& left, const Right& right) const {
      return std::lexicographical_compare(
          left.begin(), left.end(), right.begin(), right.end(),
          [](std::string_view a, std::string_view b) { return a < b; });
    }
  };

  Child* FindLocked(absl::Span<const std::string_view> values) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  Child& InsertLocked(absl::Span<const std::string_view> values) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool RoutesToOverflowLocked(absl::Span<const std::string_view> values) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  std::unique_ptr<Child> NewChild() const;

  mutable absl::Mutex mu_;
  // Never shrinks, and map nodes never move: references handed out stay valid.
  std::map<std::vector<std::string>, std::unique_ptr<Child>, LabelValuesLess> children_
      ABSL_GUARDED_BY(mu_);
  std::unique_ptr<Child> overflow_ ABSL_GUARDED_BY(mu_);
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

// Defined in family.cc for these three child types only.
extern template class Family<Counter>;
extern template class Family<Gauge>;
extern template class Family<Histogram>;

}  // namespace bitcontent::metrics
