#include "core/run_record.h"

#include <chrono>
#include <optional>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber::core {
namespace {

using std::chrono::seconds;

// Root -> Middle -> Base.
class RunRecordTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_.Add("Root").Deps({"Middle"});
    h_.Add("Middle").Deps({"Base"}).Tries(2);
    h_.Add("Base");
    auto built = h_.Build("Root");
    ASSERT_TRUE(built.ok()) << built.message();
    graph_.emplace(std::move(built.value()));
    books_.emplace(*graph_);
  }
  JobId Id(std::string_view name) const { return *graph_->Find(name); }
  // A try of `name` from `begin` to `end` seconds, booked in the books and the record.
  void Try(RunRecord& record, std::string_view name, TryOutcome outcome, int begin, int end) {
    books_->BeginTry(Id(name), kStart + seconds(begin));
    (void)books_->EndTry(Id(name), outcome.status);
    record.EndTry(Id(name), books_->tries_used(Id(name)), std::move(outcome),
                  kStart + seconds(begin), kStart + seconds(end));
  }

  const Clock::TimePoint kStart = Clock::TimePoint{} + seconds(100);
  testing::Harness h_;
  std::optional<Graph> graph_;
  std::optional<RunBooks> books_;
};

TEST_F(RunRecordTest, KeepsTheLastTrysErrorAndResultAndAddsUpTime) {
  RunRecord record(*graph_, kStart);
  Try(record, "Base", {JobStatus::kOk, std::nullopt, 7}, 0, 1);
  Try(record, "Middle", {JobStatus::kFailed, "first", 1}, 1, 3);
  Try(record, "Middle", {JobStatus::kFailed, "second", nullptr}, 4, 5);
  RunResult result = record.Finish(*books_, /*interrupted=*/false, kStart + seconds(6));
  const JobReport& middle = result.jobs[Id("Middle")];
  EXPECT_EQ(middle.status, JobStatus::kFailed);
  EXPECT_EQ(middle.tries, 2);
  EXPECT_EQ(middle.error, "second");
  EXPECT_EQ(middle.result, nullptr);
  EXPECT_DOUBLE_EQ(middle.seconds, 3);
  EXPECT_DOUBLE_EQ(middle.start_s, 1);
  EXPECT_DOUBLE_EQ(middle.end_s, 5);
  EXPECT_EQ(result.jobs[Id("Base")].result, 7);
  EXPECT_EQ(result.jobs[Id("Root")].status, JobStatus::kBlocked);
  EXPECT_DOUBLE_EQ(result.seconds, 6);
  EXPECT_FALSE(result.success);
  EXPECT_TRUE(result.partial_success);
  EXPECT_FALSE(result.interrupted);
}

TEST_F(RunRecordTest, AStopMarksOnlyTheJobsItCutShort) {
  RunRecord record(*graph_, kStart);
  Try(record, "Base", {JobStatus::kOk, std::nullopt, nullptr}, 0, 1);
  Try(record, "Middle", {JobStatus::kFailed, "not yet", nullptr}, 1, 2);  // 1 try left.
  RunResult result = record.Finish(*books_, /*interrupted=*/true, kStart + seconds(3));
  EXPECT_TRUE(result.interrupted);
  EXPECT_FALSE(result.jobs[Id("Base")].interrupted);
  EXPECT_TRUE(result.jobs[Id("Middle")].interrupted);
  EXPECT_TRUE(result.jobs[Id("Root")].interrupted);
}

// A dry run tries each job once: a failed Check is final even with tries
// left, but a try the stop killed gave no verdict and stays unsettled.
TEST_F(RunRecordTest, InADryRunOnlyAKilledTryIsInterrupted) {
  books_.emplace(*graph_, /*no_act=*/true);
  RunRecord record(*graph_, kStart);
  Try(record, "Base", {JobStatus::kOk, std::nullopt, nullptr}, 0, 1);
  Try(record, "Middle", {JobStatus::kFailed, "missing a", nullptr, true}, 1, 2);  // 2 tries.
  RunResult result = record.Finish(*books_, /*interrupted=*/true, kStart + seconds(3));
  EXPECT_FALSE(result.jobs[Id("Middle")].interrupted);
  EXPECT_FALSE(result.jobs[Id("Root")].interrupted);

  books_.emplace(*graph_, /*no_act=*/true);
  RunRecord killed(*graph_, kStart);
  Try(killed, "Base", {JobStatus::kOk, std::nullopt, nullptr}, 0, 1);
  TryOutcome outcome{JobStatus::kFailed, "interrupted: killed at the end of the grace period",
                     nullptr};
  outcome.killed_by_stop = true;
  Try(killed, "Middle", std::move(outcome), 1, 2);
  result = killed.Finish(*books_, /*interrupted=*/true, kStart + seconds(3));
  EXPECT_TRUE(result.jobs[Id("Middle")].interrupted);
  EXPECT_TRUE(result.jobs[Id("Root")].interrupted);
}

// In a real run a try the stop killed is a failed try like any other.
TEST_F(RunRecordTest, InARealRunAKilledLastTryIsSettled) {
  RunRecord record(*graph_, kStart);
  Try(record, "Base", {JobStatus::kOk, std::nullopt, nullptr}, 0, 1);
  Try(record, "Middle", {JobStatus::kFailed, "a", nullptr}, 1, 2);
  TryOutcome outcome{JobStatus::kFailed, "interrupted: killed at the end of the grace period",
                     nullptr};
  outcome.killed_by_stop = true;
  Try(record, "Middle", std::move(outcome), 2, 3);  // No tries left.
  RunResult result = record.Finish(*books_, /*interrupted=*/true, kStart + seconds(3));
  EXPECT_FALSE(result.jobs[Id("Middle")].interrupted);
}

TEST_F(RunRecordTest, AJobBehindAFinalFailureIsNotInterrupted) {
  RunRecord record(*graph_, kStart);
  Try(record, "Base", {JobStatus::kOk, std::nullopt, nullptr}, 0, 1);
  Try(record, "Middle", {JobStatus::kFailed, "a", nullptr}, 1, 2);
  Try(record, "Middle", {JobStatus::kFailed, "b", nullptr}, 2, 3);  // No tries left.
  RunResult result = record.Finish(*books_, /*interrupted=*/true, kStart + seconds(3));
  EXPECT_FALSE(result.jobs[Id("Middle")].interrupted);
  EXPECT_FALSE(result.jobs[Id("Root")].interrupted);
}

TEST_F(RunRecordTest, KeepsEachTrysPhasesWorkerAndTimeLimit) {
  RunRecord record(*graph_, kStart);
  TryOutcome first{JobStatus::kFailed, "timed out after 1 s", nullptr};
  first.phases = {.check = PhaseResult::kFailed, .run = PhaseResult::kFailed};
  first.timed_out = true;
  first.worker = "pid 11";
  Try(record, "Middle", std::move(first), 0, 1);
  TryOutcome second{JobStatus::kChanged, std::nullopt, nullptr};
  second.phases = {PhaseResult::kFailed, PhaseResult::kPassed, PhaseResult::kPassed};
  second.worker = "pid 12";
  Try(record, "Middle", std::move(second), 2, 3);
  TryOutcome base{JobStatus::kOk, std::nullopt, nullptr};
  base.worker = "pid 11";  // The same name twice is one entry.
  Try(record, "Base", std::move(base), 0, 1);
  const RunResult result = record.Finish(*books_, false, kStart + seconds(4));

  const JobReport& middle = result.jobs[Id("Middle")];
  ASSERT_EQ(middle.earlier_tries.size(), 1u);
  const TryDetail& earlier = middle.earlier_tries[0].detail;
  EXPECT_TRUE(earlier.timed_out);
  EXPECT_EQ(earlier.phases.check, PhaseResult::kFailed);
  EXPECT_EQ(earlier.phases.run, PhaseResult::kFailed);
  EXPECT_EQ(earlier.phases.recheck, PhaseResult::kNotReached);
  EXPECT_EQ(result.worker_names[earlier.worker], "pid 11");
  EXPECT_FALSE(middle.last_try.timed_out);
  EXPECT_EQ(middle.last_try.phases.recheck, PhaseResult::kPassed);
  EXPECT_EQ(result.worker_names[middle.last_try.worker], "pid 12");
  EXPECT_EQ(result.jobs[Id("Base")].last_try.worker, earlier.worker);
  EXPECT_EQ(result.worker_names.size(), 3u);               // "", "pid 11", "pid 12".
  EXPECT_EQ(result.jobs[Id("Root")].last_try.worker, 0u);  // Never tried: not known.
}

}  // namespace
}  // namespace dojobber::core
