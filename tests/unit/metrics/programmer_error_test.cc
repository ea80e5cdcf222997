// Programmer errors must stop the process with a message that says what went wrong.
#include <catch2/catch.hpp>
#include <limits>
#include <string>

#include "libs/metrics/registry.h"
#include "tests/unit/metrics/run_until_abort.h"

namespace bitcontent::metrics {
namespace {

using testing::ChildOutcome;
using testing::RunInChild;

void RequireAbortMentioning(const std::function<void()>& action, const std::string& fragment) {
  const ChildOutcome outcome = RunInChild(action);
  INFO("child stderr: " << outcome.stderr_text);
  CHECK(outcome.aborted);
  CHECK(outcome.stderr_text.find("metrics: ") != std::string::npos);
  CHECK(outcome.stderr_text.find(fragment) != std::string::npos);
}

TEST_CASE("metrics programmer_error: the helper tells a clean exit from an abort") {
  const ChildOutcome outcome = RunInChild([] {});
  CHECK_FALSE(outcome.aborted);
}

TEST_CASE("metrics programmer_error: negative or non-finite counter increments abort") {
  Registry registry;
  Counter& calls = registry.AddCounter("calls_total", "Calls.", {}).WithLabels({});
  RequireAbortMentioning([&] { calls.Increment(-1); }, "Increment");
  RequireAbortMentioning([&] { calls.Increment(std::numeric_limits<double>::quiet_NaN()); },
                         "Increment");
  RequireAbortMentioning([&] { calls.Increment(std::numeric_limits<double>::infinity()); },
                         "Increment");
  calls.Increment(0);
  CHECK(calls.Value() == 0);
}

TEST_CASE("metrics programmer_error: invalid names and labels abort when added") {
  Registry registry;
  RequireAbortMentioning([&] { registry.AddCounter("bad-name_total", "Help.", {}); },
                         "bad-name_total");
  RequireAbortMentioning([&] { registry.AddCounter("calls", "Help.", {}); }, "_total");
  RequireAbortMentioning([&] { registry.AddGauge("depth", "Help.", {"le"}); }, "le");
  RequireAbortMentioning([&] { registry.AddGauge("depth", "", {}); }, "help");
  RequireAbortMentioning([&] { registry.AddGauge("process_open_fds", "Help.", {}); },
                         "process collector");
}

TEST_CASE("metrics programmer_error: bad histogram bounds abort when added") {
  Registry registry;
  RequireAbortMentioning(
      [&] {
        registry.AddHistogram("wait_seconds", "Wait.", {}, {1, 0.5});
      },
      "strictly increasing");
  RequireAbortMentioning(
      [&] {
        registry.AddHistogram("wait_seconds", "Wait.", {}, {1, 1});
      },
      "strictly increasing");
  RequireAbortMentioning([] { ExponentialBuckets(0, 2, 3); }, "ExponentialBuckets");
  RequireAbortMentioning([] { ExponentialBuckets(1, 1, 3); }, "ExponentialBuckets");
  Histogram& wait = registry.AddHistogram("wait_seconds", "Wait.", {}, {1}).WithLabels({});
  RequireAbortMentioning([&] { wait.Observe(std::numeric_limits<double>::quiet_NaN()); }, "NaN");
}

TEST_CASE("metrics programmer_error: re-adding a name with another shape aborts") {
  Registry registry;
  registry.AddCounter("calls_total", "Calls.", {"method"});
  registry.AddHistogram("wait_seconds", "Wait.", {}, {1, 2});
  RequireAbortMentioning([&] { registry.AddCounter("calls_total", "Calls.", {"code"}); },
                         "calls_total");
  RequireAbortMentioning([&] { registry.AddCounter("calls_total", "Calls.", {}); }, "calls_total");
  RequireAbortMentioning(
      [&] {
        registry.AddHistogram("wait_seconds", "Wait.", {}, {1, 3});
      },
      "wait_seconds");
  RequireAbortMentioning([&] { registry.AddGauge("wait_seconds", "Wait.", {}); }, "wait_seconds");
}

TEST_CASE("metrics programmer_error: a label value count unlike the names aborts") {
  Registry registry;
  auto& calls = registry.AddCounter("calls_total", "Calls.", {"method", "code"});
  RequireAbortMentioning([&] { calls.WithLabels({"only one"}); }, "calls_total");
  RequireAbortMentioning([&] { calls.WithLabels({"a", "b", "c"}); }, "calls_total");
}

}  // namespace
}  // namespace bitcontent::metrics
