#include "core/run_books.h"

#include <chrono>
#include <optional>
#include <vector>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber::core {
namespace {

using std::chrono::seconds;
using testing::Harness;

// Root -> {Left, Right}, Left -> Base, Right -> Base.
class RunBooksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_.Add("Root").Deps({"Left", "Right"});
    h_.Add("Left").Deps({"Base"});
    h_.Add("Right").Deps({"Base"}).Tries(2).RetryDelay(2.5);
    h_.Add("Base");
    auto built = h_.Build("Root");
    ASSERT_TRUE(built.ok()) << built.message();
    graph_.emplace(std::move(built.value()));
    books_.emplace(*graph_);
  }
  JobId Id(std::string_view name) const { return *graph_->Find(name); }
  // One whole try of `name`, started at `at`.
  void Try(std::string_view name, JobStatus outcome, Clock::TimePoint at = {}) {
    books_->BeginTry(Id(name), at);
    (void)books_->EndTry(Id(name), outcome);
  }

  Harness h_;
  std::optional<Graph> graph_;
  std::optional<RunBooks> books_;
};

TEST_F(RunBooksTest, StartsWithEveryJobPendingAndUntried) {
  for (JobId id = 0; id < graph_->size(); ++id) {
    EXPECT_EQ(books_->status(id), JobStatus::kPending) << graph_->name(id);
    EXPECT_EQ(books_->tries_used(id), 0);
    EXPECT_TRUE(books_->HasTriesLeft(id));
    EXPECT_FALSE(books_->Succeeded(id));
  }
  EXPECT_FALSE(books_->AllSucceeded());
}

TEST_F(RunBooksTest, OnlyJobsWithoutDepsStartReady) {
  EXPECT_TRUE(books_->DepsSucceeded(Id("Base")));
  EXPECT_FALSE(books_->DepsSucceeded(Id("Left")));
  EXPECT_FALSE(books_->DepsSucceeded(Id("Right")));
  EXPECT_FALSE(books_->DepsSucceeded(Id("Root")));
}

TEST_F(RunBooksTest, SuccessReleasesDependents) {
  Try("Base", JobStatus::kOk);
  EXPECT_TRUE(books_->DepsSucceeded(Id("Left")));
  EXPECT_TRUE(books_->DepsSucceeded(Id("Right")));
  EXPECT_FALSE(books_->DepsSucceeded(Id("Root")));
  Try("Left", JobStatus::kChanged);
  EXPECT_FALSE(books_->DepsSucceeded(Id("Root")));  // Right has not succeeded yet.
  Try("Right", JobStatus::kOk);
  EXPECT_TRUE(books_->DepsSucceeded(Id("Root")));
}

TEST_F(RunBooksTest, FailureKeepsDependentsWaiting) {
  Try("Base", JobStatus::kFailed);
  EXPECT_EQ(books_->status(Id("Base")), JobStatus::kFailed);
  EXPECT_FALSE(books_->Succeeded(Id("Base")));
  EXPECT_FALSE(books_->DepsSucceeded(Id("Left")));
}

TEST_F(RunBooksTest, AFailedJobMaySucceedLater) {
  Try("Base", JobStatus::kFailed);
  Try("Base", JobStatus::kChanged);
  EXPECT_EQ(books_->status(Id("Base")), JobStatus::kChanged);
  EXPECT_EQ(books_->tries_used(Id("Base")), 2);
  EXPECT_TRUE(books_->DepsSucceeded(Id("Left")));
}

TEST_F(RunBooksTest, TriesLeftFollowTheJobsTries) {
  const JobId right = Id("Right");  // Tries(2).
  books_->BeginTry(right, {});
  EXPECT_TRUE(books_->HasTriesLeft(right));
  (void)books_->EndTry(right, JobStatus::kFailed);
  books_->BeginTry(right, {});
  EXPECT_FALSE(books_->HasTriesLeft(right));
  EXPECT_EQ(books_->tries_used(right), 2);
  EXPECT_TRUE(books_->HasTriesLeft(Id("Left")));  // Default 3.
}

TEST_F(RunBooksTest, NextTryIsTheRetryDelayAfterTheLastStart) {
  const JobId right = Id("Right");  // RetryDelay(2.5).
  const Clock::TimePoint start = Clock::TimePoint{} + seconds(10);
  Try("Right", JobStatus::kFailed, start);
  EXPECT_EQ(books_->NextTryAt(right), start + std::chrono::milliseconds(2500));
  // The harness's default delay is 0: a retry may start at the last start.
  Try("Base", JobStatus::kFailed, start);
  EXPECT_EQ(books_->NextTryAt(Id("Base")), start);
  Try("Base", JobStatus::kFailed, start + seconds(7));
  EXPECT_EQ(books_->NextTryAt(Id("Base")), start + seconds(7));
}

TEST_F(RunBooksTest, VerdictOfAFailedTryWithTriesLeftIsARetryAfterTheDelay) {
  const JobId right = Id("Right");  // Tries(2), RetryDelay(2.5).
  const Clock::TimePoint start = Clock::TimePoint{} + seconds(10);
  books_->BeginTry(right, start);
  const TryVerdict first = books_->EndTry(right, JobStatus::kFailed);
  EXPECT_FALSE(first.done);
  EXPECT_EQ(first.retry_at, start + std::chrono::milliseconds(2500));
  books_->BeginTry(right, start + seconds(3));
  EXPECT_TRUE(books_->EndTry(right, JobStatus::kFailed).done);  // No tries left.
}

TEST_F(RunBooksTest, VerdictOfASuccessIsDone) {
  books_->BeginTry(Id("Base"), {});
  EXPECT_TRUE(books_->EndTry(Id("Base"), JobStatus::kOk).done);
  books_->BeginTry(Id("Left"), {});
  EXPECT_TRUE(books_->EndTry(Id("Left"), JobStatus::kChanged).done);
}

TEST_F(RunBooksTest, DryRunNeverRetries) {
  RunBooks dry(*graph_, /*no_act=*/true);
  dry.BeginTry(Id("Right"), {});
  EXPECT_TRUE(dry.EndTry(Id("Right"), JobStatus::kFailed).done);
  EXPECT_TRUE(dry.HasTriesLeft(Id("Right")));
}

TEST_F(RunBooksTest, AllSucceededOnlyWhenEveryJobDid) {
  Try("Base", JobStatus::kOk);
  Try("Left", JobStatus::kChanged);
  Try("Right", JobStatus::kOk);
  EXPECT_FALSE(books_->AllSucceeded());
  Try("Root", JobStatus::kOk);
  EXPECT_TRUE(books_->AllSucceeded());
}

TEST_F(RunBooksTest, FinalStatusReportsUntriedJobsAsBlocked) {
  Try("Base", JobStatus::kOk);
  Try("Left", JobStatus::kFailed);
  Try("Right", JobStatus::kChanged);
  EXPECT_EQ(books_->FinalStatus(Id("Base")), JobStatus::kOk);
  EXPECT_EQ(books_->FinalStatus(Id("Left")), JobStatus::kFailed);
  EXPECT_EQ(books_->FinalStatus(Id("Right")), JobStatus::kChanged);
  EXPECT_EQ(books_->FinalStatus(Id("Root")), JobStatus::kBlocked);
  EXPECT_EQ(books_->status(Id("Root")), JobStatus::kPending);
}

TEST_F(RunBooksTest, SharedDependencyCountsOncePerDependent) {
  Harness h;
  h.Add("Root").Deps({"A", "A"}).Deps({"A"});
  h.Add("A");
  auto graph = h.Build("Root");
  ASSERT_TRUE(graph.ok());
  RunBooks books(*graph);
  books.BeginTry(*graph->Find("A"), {});
  (void)books.EndTry(*graph->Find("A"), JobStatus::kOk);
  EXPECT_TRUE(books.DepsSucceeded(*graph->root()));
}

// Records the try events the run books send.
class TryEvents final : public RunObserver {
 public:
  bool wants_tries() const override { return true; }
  void OnTryStart(const TryStartEvent& event) override { starts.push_back(event); }
  void OnTryEnd(const TryEndEvent& event) override { ends.push_back(event); }
  std::vector<TryStartEvent> starts;
  std::vector<TryEndEvent> ends;
};

TEST_F(RunBooksTest, TellsItsObserverOfEachTryAndItsVerdict) {
  TryEvents events;
  RunBooks books(*graph_, false, 0, &events);
  const Clock::TimePoint at = Clock::TimePoint{} + seconds(7);
  books.BeginTry(Id("Base"), at);
  (void)books.EndTry(Id("Base"), JobStatus::kOk);
  books.BeginTry(Id("Right"), at);
  (void)books.EndTry(Id("Right"), JobStatus::kFailed);
  ASSERT_EQ(events.starts.size(), 2u);
  EXPECT_EQ(events.starts[1].job, Id("Right"));
  EXPECT_EQ(events.starts[1].try_number, 1);
  EXPECT_EQ(events.starts[1].at, at);
  ASSERT_EQ(events.ends.size(), 2u);
  EXPECT_EQ(events.ends[0].job, Id("Base"));
  EXPECT_EQ(events.ends[0].outcome, JobStatus::kOk);
  EXPECT_TRUE(events.ends[0].done);
  EXPECT_EQ(events.ends[1].outcome, JobStatus::kFailed);
  EXPECT_FALSE(events.ends[1].done);  // Right has a second try, 2.5 s after the first's start.
  EXPECT_EQ(events.ends[1].retry_at, at + SecondsToDuration(2.5));
  books.BeginTry(Id("Right"), at + seconds(3));
  EXPECT_EQ(events.starts[2].try_number, 2);
  (void)books.EndTry(Id("Right"), JobStatus::kFailed);
  EXPECT_TRUE(events.ends[2].done);  // No tries left.
}

using RunBooksDeathTest = RunBooksTest;

TEST_F(RunBooksDeathTest, EndingASucceededJobAgainAborts) {
  Try("Base", JobStatus::kOk);
  EXPECT_DEATH(books_->EndTry(Id("Base"), JobStatus::kFailed), "");
}

TEST_F(RunBooksDeathTest, EndingATryWithANonOutcomeAborts) {
  EXPECT_DEATH(books_->EndTry(Id("Base"), JobStatus::kBlocked), "");
  EXPECT_DEATH(books_->EndTry(Id("Base"), JobStatus::kPending), "");
}

}  // namespace
}  // namespace dojobber::core
