// SEMANTICS.md, "Tries", "Retry delay" and the pass structure of "One run":
// when retries happen and in which order.

#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber {
namespace {

using core::JobStatus;
using std::chrono::seconds;
using testing::CheckThat;
using testing::Fails;
using testing::Harness;
using testing::Hook;
using Lines = std::vector<std::string>;
using Starts = std::map<std::string, std::vector<double>>;

// A Check that records when each try of its job starts, takes `work` seconds
// of fake time, then fails.
Hook TimedFailure(Harness& h, Starts& starts, int work = 0) {
  return [&h, &starts, work](Context& c) {
    if (c.is_recheck()) throw Error("still failing");
    starts[c.job_name()].push_back(h.clock.seconds());
    h.clock.Advance(seconds(work));
    throw Error("failing");
  };
}

// The clock's sleeps that actually waited, in seconds.
std::vector<double> Waits(const testing::FakeClock& clock) {
  std::vector<double> waits;
  for (auto sleep : clock.sleeps()) {
    if (sleep > core::Clock::Duration::zero()) waits.push_back(core::DurationToSeconds(sleep));
  }
  return waits;
}

TEST(RetriesTest, NextTryStartsNoSoonerThanTheDelayAfterThePreviousStart) {
  Harness h;
  Starts starts;
  h.Add("Slow", {TimedFailure(h, starts, 1), {}, {}}).Tries(4).RetryDelay(2.5);
  (void)h.Run("Slow");
  EXPECT_EQ(starts["Slow"], (std::vector<double>{0, 2.5, 5, 7.5}));
  EXPECT_EQ(Waits(h.clock), (std::vector<double>{1.5, 1.5, 1.5}));
}

TEST(RetriesTest, DefaultDelayAppliesToJobsWithoutTheirOwn) {
  Harness h;
  h.defaults = {2, 4.0};
  Starts starts;
  h.Add("Root").Deps({"Default", "Own"});
  h.Add("Default", {TimedFailure(h, starts), {}, {}});
  h.Add("Own", {TimedFailure(h, starts), {}, {}}).RetryDelay(6);
  (void)h.Run("Root");
  EXPECT_EQ(starts["Default"], (std::vector<double>{0, 4}));
  EXPECT_EQ(starts["Own"], (std::vector<double>{0, 6}));
}

TEST(RetriesTest, DelayIsSpentOnOtherJobsWork) {
  Harness h;
  Starts starts;
  h.Add("Root").Deps({"Waiting", "Busy"});
  h.Add("Waiting", {TimedFailure(h, starts), {}, {}}).RetryDelay(5);
  h.Add("Busy", {TimedFailure(h, starts, 2), {}, {}}).RetryDelay(0);
  (void)h.Run("Root");
  EXPECT_EQ(starts["Waiting"], (std::vector<double>{0, 5, 10}));
  EXPECT_EQ(starts["Busy"], (std::vector<double>{0, 5, 10}));
  // Each wait is the 5 second delay less Busy's 2 seconds of work.
  EXPECT_EQ(Waits(h.clock), (std::vector<double>{3, 3}));
}

TEST(RetriesTest, NoWaitWhenOtherWorkCoversTheDelay) {
  Harness h;
  Starts starts;
  h.Add("Root").Deps({"Waiting", "Busy"});
  h.Add("Waiting", {TimedFailure(h, starts), {}, {}}).RetryDelay(3);
  h.Add("Busy", {TimedFailure(h, starts, 4), {}, {}}).RetryDelay(0);
  (void)h.Run("Root");
  EXPECT_EQ(starts["Waiting"], (std::vector<double>{0, 4, 8}));
  EXPECT_TRUE(Waits(h.clock).empty());
}

TEST(RetriesTest, FirstTriesNeverWait) {
  Harness h;
  h.defaults.retry_delay = 100;
  h.Add("Root").Deps({"A", "B"});
  h.Add("A");
  h.Add("B", {CheckThat([](Context& c) { return c.is_recheck(); }), {}, {}});
  core::RunResult result = h.Run("Root");
  EXPECT_TRUE(result.success);
  EXPECT_EQ(h.clock.seconds(), 0);
}

TEST(RetriesTest, FailingJobsRetryRoundRobin) {
  Harness h;
  h.Add("Root").Deps({"Pizza", "Popcorn"});
  h.Add("Pizza", {Fails("no pizza"), {}, {}});
  h.Add("Popcorn", {Fails("no popcorn"), [](Context&) { throw Error("burnt"); }, {}});
  (void)h.Run("Root");
  EXPECT_EQ(h.observer.lines(), (Lines{
                                    "Pizza.check: fail",
                                    "Pizza.run: pass",
                                    "Pizza.recheck: fail \"no pizza\"",
                                    "Popcorn.check: fail",
                                    "Popcorn.run: fail",
                                    "Popcorn.recheck: fail \"no popcorn\"",
                                    "Pizza.check: fail",
                                    "Pizza.run: pass",
                                    "Pizza.recheck: fail \"no pizza\"",
                                    "Popcorn.check: fail",
                                    "Popcorn.run: fail",
                                    "Popcorn.recheck: fail \"no popcorn\"",
                                    "Pizza.check: fail",
                                    "Pizza.run: pass",
                                    "Pizza.recheck: fail \"no pizza\"",
                                    "Popcorn.check: fail",
                                    "Popcorn.run: fail",
                                    "Popcorn.recheck: fail \"no popcorn\"",
                                }));
}

TEST(RetriesTest, RoundRobinGoesOnWithoutAJobThatSucceeded) {
  Harness h;
  h.Add("Root").Deps({"A", "B"});
  h.Add("A", {CheckThat([](Context& c) { return c.try_number() == 2 && c.is_recheck(); }), {}, {}});
  h.Add("B", {Fails("no"), {}, {}}).Tries(4);
  (void)h.Run("Root");
  Lines checks;
  for (const auto& event : h.observer.events()) {
    if (event.phase == Phase::kCheck) {
      checks.push_back(event.name + "#" + std::to_string(event.try_number));
    }
  }
  EXPECT_EQ(checks, (Lines{"A#1", "B#1", "A#2", "B#2", "B#3", "B#4"}));
}

TEST(RetriesTest, RetriedDependencyReleasesItsDependentInTheSamePass) {
  Harness h;
  h.Add("Root").Deps({"Flaky", "Steady"});
  h.Add("Flaky", {CheckThat([](Context& c) { return c.try_number() == 2; }), {}, {}});
  h.Add("Steady");
  core::RunResult result = h.Run("Root");
  EXPECT_TRUE(result.success);
  EXPECT_EQ(h.observer.lines(),
            (Lines{"Flaky.check: fail", "Flaky.run: pass", "Flaky.recheck: fail \"not yet\"",
                   "Steady.check: pass", "Flaky.check: pass", "Root.check: pass"}));
}

TEST(RetriesTest, RunStopsWhenNoFailedJobHasTriesLeft) {
  Harness h;
  h.Add("Root").Deps({"A"});
  h.Add("A", {Fails("no"), {}, {}}).Tries(2).RetryDelay(1);
  core::RunResult result = h.Run("Root");
  EXPECT_EQ(h.Job(result, "A").tries, 2);
  EXPECT_EQ(h.Job(result, "Root").status, JobStatus::kBlocked);
  EXPECT_EQ(h.clock.seconds(), 1);  // One wait, none after the last try.
}

TEST(RetriesTest, BackoffMultipliesTheDelayByTheFactorUpToTheCap) {
  Harness h;
  Starts starts;
  h.Add("Slow", {TimedFailure(h, starts), {}, {}}).Tries(6).RetryDelay(1).RetryBackoff(2, 5);
  (void)h.Run("Slow");
  // Delays 1, 2, 4, then 8 and 16 capped at 5.
  EXPECT_EQ(starts["Slow"], (std::vector<double>{0, 1, 3, 7, 12, 17}));
}

// The starts of job `name`, alone in its graph, under defaults with delay
// 1 s, backoff 3 and a cap of 6 s; `own` sets what the job sets itself.
std::vector<double> StartsUnderDefaults(const std::function<void(JobBuilder&)>& own) {
  Harness h;
  h.defaults.tries = 4;
  h.defaults.retry_delay = 1;
  h.defaults.retry_backoff = 3;
  h.defaults.retry_max_delay = 6;
  Starts starts;
  own(h.Add("Job", {TimedFailure(h, starts), {}, {}}));
  (void)h.Run("Job");
  return starts["Job"];
}

TEST(RetriesTest, DefaultBackoffAndCapApplyToJobsWithoutTheirOwn) {
  // 1, 3, then 9 capped at 6.
  EXPECT_EQ(StartsUnderDefaults([](JobBuilder&) {}), (std::vector<double>{0, 1, 4, 10}));
  EXPECT_EQ(StartsUnderDefaults([](JobBuilder& job) { job.RetryBackoff(1, 100); }),
            (std::vector<double>{0, 1, 2, 3}));
  EXPECT_EQ(StartsUnderDefaults([](JobBuilder& job) { job.RetryBackoff(2, 100); }),
            (std::vector<double>{0, 1, 3, 7}));
}

// The starts of a job with jitter, run with `seed` on `workers` workers.
std::vector<double> JitteredStarts(std::uint64_t seed, int workers) {
  Harness h;
  Starts starts;
  h.Add("B", {TimedFailure(h, starts), {}, {}})
      .Tries(6)
      .RetryDelay(1)
      .RetryBackoff(2, 1000)
      .RetryJitter(0.5);
  (void)h.Run("B", core::RunOptions{.jobs = workers, .seed = seed});
  return starts["B"];
}

TEST(RetriesTest, JitteredDelaysStayWithinTheirSpread) {
  for (const std::uint64_t seed : {0u, 1u, 2u, 3u, 99u}) {
    const std::vector<double> starts = JitteredStarts(seed, 1);
    ASSERT_EQ(starts.size(), 6u);
    for (std::size_t n = 1; n < starts.size(); ++n) {
      const double backoff = std::pow(2.0, static_cast<double>(n - 1));  // The n-th delay.
      const double gap = starts[n] - starts[n - 1];
      EXPECT_GE(gap, backoff * 0.5 - 1e-9) << "seed " << seed << ", delay " << n;
      EXPECT_LT(gap, backoff * 1.5 + 1e-9) << "seed " << seed << ", delay " << n;
    }
  }
}

TEST(RetriesTest, TheSameSeedDrawsTheSameDelaysWhateverTheWorkers) {
  const std::vector<double> first = JitteredStarts(99, 1);
  EXPECT_EQ(JitteredStarts(99, 1), first);
  EXPECT_EQ(JitteredStarts(99, 4), first);
  EXPECT_NE(JitteredStarts(100, 1), first);
  // Jitter did spread them: the backoff alone would start at these.
  EXPECT_NE(first, (std::vector<double>{0, 1, 3, 7, 15, 31}));
}

TEST(RetriesTest, JitterNeverPassesTheCap) {
  Harness h;
  Starts starts;
  h.Add("Job", {TimedFailure(h, starts), {}, {}})
      .Tries(8)
      .RetryDelay(4)
      .RetryBackoff(1, 4)
      .RetryJitter(1);
  (void)h.Run("Job", core::RunOptions{.seed = 5});
  for (std::size_t n = 1; n < starts["Job"].size(); ++n) {
    EXPECT_LE(starts["Job"][n] - starts["Job"][n - 1], 4 + 1e-9) << n;
  }
}

}  // namespace
}  // namespace dojobber
