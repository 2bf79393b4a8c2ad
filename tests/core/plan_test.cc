#include "core/plan.h"

#include <chrono>
#include <optional>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber::core {
namespace {

using std::chrono::seconds;
using testing::Harness;

// Root -> {Left, Right}, Left -> Base, Right -> Base.
class PlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_.Add("Root").Deps({"Left", "Right"});
    h_.Add("Left").Deps({"Base"});
    h_.Add("Right").Deps({"Base"}).Tries(2).RetryDelay(2.5);
    h_.Add("Base");
    auto built = h_.Build("Root");
    ASSERT_TRUE(built.ok()) << built.message();
    graph_.emplace(std::move(built.value()));
    plan_.emplace(*graph_);
  }
  JobId Id(std::string_view name) const { return *graph_->Find(name); }
  // One whole try of `name`, started at `at`.
  void Try(std::string_view name, JobStatus outcome, Clock::TimePoint at = {}) {
    plan_->BeginTry(Id(name), at);
    (void)plan_->EndTry(Id(name), outcome);
  }

  Harness h_;
  std::optional<Graph> graph_;
  std::optional<Plan> plan_;
};

TEST_F(PlanTest, StartsWithEveryJobPendingAndUntried) {
  for (JobId id = 0; id < graph_->size(); ++id) {
    EXPECT_EQ(plan_->status(id), JobStatus::kPending) << graph_->name(id);
    EXPECT_EQ(plan_->tries_used(id), 0);
    EXPECT_TRUE(plan_->HasTriesLeft(id));
    EXPECT_FALSE(plan_->Succeeded(id));
  }
  EXPECT_FALSE(plan_->AllSucceeded());
}

TEST_F(PlanTest, OnlyJobsWithoutDepsStartReady) {
  EXPECT_TRUE(plan_->DepsSucceeded(Id("Base")));
  EXPECT_FALSE(plan_->DepsSucceeded(Id("Left")));
  EXPECT_FALSE(plan_->DepsSucceeded(Id("Right")));
  EXPECT_FALSE(plan_->DepsSucceeded(Id("Root")));
}

TEST_F(PlanTest, SuccessReleasesDependents) {
  Try("Base", JobStatus::kOk);
  EXPECT_TRUE(plan_->DepsSucceeded(Id("Left")));
  EXPECT_TRUE(plan_->DepsSucceeded(Id("Right")));
  EXPECT_FALSE(plan_->DepsSucceeded(Id("Root")));
  Try("Left", JobStatus::kChanged);
  EXPECT_FALSE(plan_->DepsSucceeded(Id("Root")));  // Right has not succeeded yet.
  Try("Right", JobStatus::kOk);
  EXPECT_TRUE(plan_->DepsSucceeded(Id("Root")));
}

TEST_F(PlanTest, FailureKeepsDependentsWaiting) {
  Try("Base", JobStatus::kFailed);
  EXPECT_EQ(plan_->status(Id("Base")), JobStatus::kFailed);
  EXPECT_FALSE(plan_->Succeeded(Id("Base")));
  EXPECT_FALSE(plan_->DepsSucceeded(Id("Left")));
}

TEST_F(PlanTest, AFailedJobMaySucceedLater) {
  Try("Base", JobStatus::kFailed);
  Try("Base", JobStatus::kChanged);
  EXPECT_EQ(plan_->status(Id("Base")), JobStatus::kChanged);
  EXPECT_EQ(plan_->tries_used(Id("Base")), 2);
  EXPECT_TRUE(plan_->DepsSucceeded(Id("Left")));
}

TEST_F(PlanTest, TriesLeftFollowTheJobsTries) {
  const JobId right = Id("Right");  // Tries(2).
  plan_->BeginTry(right, {});
  EXPECT_TRUE(plan_->HasTriesLeft(right));
  (void)plan_->EndTry(right, JobStatus::kFailed);
  plan_->BeginTry(right, {});
  EXPECT_FALSE(plan_->HasTriesLeft(right));
  EXPECT_EQ(plan_->tries_used(right), 2);
  EXPECT_TRUE(plan_->HasTriesLeft(Id("Left")));  // Default 3.
}

TEST_F(PlanTest, NextTryIsTheRetryDelayAfterTheLastStart) {
  const JobId right = Id("Right");  // RetryDelay(2.5).
  const Clock::TimePoint start = Clock::TimePoint{} + seconds(10);
  Try("Right", JobStatus::kFailed, start);
  EXPECT_EQ(plan_->NextTryAt(right), start + std::chrono::milliseconds(2500));
  // The harness's default delay is 0: a retry may start at the last start.
  Try("Base", JobStatus::kFailed, start);
  EXPECT_EQ(plan_->NextTryAt(Id("Base")), start);
  Try("Base", JobStatus::kFailed, start + seconds(7));
  EXPECT_EQ(plan_->NextTryAt(Id("Base")), start + seconds(7));
}

TEST_F(PlanTest, VerdictOfAFailedTryWithTriesLeftIsARetryAfterTheDelay) {
  const JobId right = Id("Right");  // Tries(2), RetryDelay(2.5).
  const Clock::TimePoint start = Clock::TimePoint{} + seconds(10);
  plan_->BeginTry(right, start);
  const TryVerdict first = plan_->EndTry(right, JobStatus::kFailed);
  EXPECT_FALSE(first.done);
  EXPECT_EQ(first.retry_at, start + std::chrono::milliseconds(2500));
  plan_->BeginTry(right, start + seconds(3));
  EXPECT_TRUE(plan_->EndTry(right, JobStatus::kFailed).done);  // No tries left.
}

TEST_F(PlanTest, VerdictOfASuccessIsDone) {
  plan_->BeginTry(Id("Base"), {});
  EXPECT_TRUE(plan_->EndTry(Id("Base"), JobStatus::kOk).done);
  plan_->BeginTry(Id("Left"), {});
  EXPECT_TRUE(plan_->EndTry(Id("Left"), JobStatus::kChanged).done);
}

TEST_F(PlanTest, DryRunNeverRetries) {
  Plan dry(*graph_, /*no_act=*/true);
  dry.BeginTry(Id("Right"), {});
  EXPECT_TRUE(dry.EndTry(Id("Right"), JobStatus::kFailed).done);
  EXPECT_TRUE(dry.HasTriesLeft(Id("Right")));
}

TEST_F(PlanTest, AllSucceededOnlyWhenEveryJobDid) {
  Try("Base", JobStatus::kOk);
  Try("Left", JobStatus::kChanged);
  Try("Right", JobStatus::kOk);
  EXPECT_FALSE(plan_->AllSucceeded());
  Try("Root", JobStatus::kOk);
  EXPECT_TRUE(plan_->AllSucceeded());
}

TEST_F(PlanTest, FinalStatusReportsUntriedJobsAsBlocked) {
  Try("Base", JobStatus::kOk);
  Try("Left", JobStatus::kFailed);
  Try("Right", JobStatus::kChanged);
  EXPECT_EQ(plan_->FinalStatus(Id("Base")), JobStatus::kOk);
  EXPECT_EQ(plan_->FinalStatus(Id("Left")), JobStatus::kFailed);
  EXPECT_EQ(plan_->FinalStatus(Id("Right")), JobStatus::kChanged);
  EXPECT_EQ(plan_->FinalStatus(Id("Root")), JobStatus::kBlocked);
  EXPECT_EQ(plan_->status(Id("Root")), JobStatus::kPending);
}

TEST_F(PlanTest, SharedDependencyCountsOncePerDependent) {
  Harness h;
  h.Add("Root").Deps({"A", "A"}).Deps({"A"});
  h.Add("A");
  auto graph = h.Build("Root");
  ASSERT_TRUE(graph.ok());
  Plan plan(*graph);
  plan.BeginTry(*graph->Find("A"), {});
  (void)plan.EndTry(*graph->Find("A"), JobStatus::kOk);
  EXPECT_TRUE(plan.DepsSucceeded(*graph->root()));
}

using PlanDeathTest = PlanTest;

TEST_F(PlanDeathTest, EndingASucceededJobAgainAborts) {
  Try("Base", JobStatus::kOk);
  EXPECT_DEATH(plan_->EndTry(Id("Base"), JobStatus::kFailed), "");
}

TEST_F(PlanDeathTest, EndingATryWithANonOutcomeAborts) {
  EXPECT_DEATH(plan_->EndTry(Id("Base"), JobStatus::kBlocked), "");
  EXPECT_DEATH(plan_->EndTry(Id("Base"), JobStatus::kPending), "");
}

}  // namespace
}  // namespace dojobber::core
