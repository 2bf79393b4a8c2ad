#include "core/run_progress.h"

#include <chrono>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/engine.h"
#include "core/run_books.h"
#include "core/tee_observer.h"
#include "support/test_support.h"

namespace dojobber::core {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::ElementsAre;
using testing::FakeClock;
using testing::Harness;

// Root -> {Left, Right}, Left -> Base, Right -> Base; Lone stands apart
// under Top. Fed through real RunBooks, as the engine feeds it.
class RunProgressTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_.defaults = {3, 4.0};  // Retry delays of 4 s, but Right's 10 s.
    h_.Add("Top").Deps({"Root", "Lone"});
    h_.Add("Root").Deps({"Left", "Right"});
    h_.Add("Left").Deps({"Base"});
    h_.Add("Right").Deps({"Base"}).Tries(3).RetryDelay(10);
    h_.Add("Base");
    h_.Add("Lone");
    auto built = h_.Build("Top");
    ASSERT_TRUE(built.ok()) << built.message();
    graph_.emplace(std::move(built.value()));
    progress_.emplace(*graph_, clock_, stop_.get_token(), grace_);
    books_.emplace(*graph_, false, 0, &*progress_);
  }
  JobId Id(std::string_view name) const { return *graph_->Find(name); }
  void Begin(std::string_view name) { books_->BeginTry(Id(name), clock_.Now()); }
  TryVerdict End(std::string_view name, JobStatus outcome) {
    return books_->EndTry(Id(name), outcome);
  }
  ProgressSnapshot Shot(std::size_t max_names = 10) const { return progress_->Snapshot(max_names); }

  Harness h_;
  FakeClock clock_;
  std::stop_source stop_;
  double grace_ = 0;
  std::optional<Graph> graph_;
  std::optional<RunProgress> progress_;
  std::optional<RunBooks> books_;
};

TEST_F(RunProgressTest, StartsWithNothingSettledOrRunning) {
  const ProgressSnapshot shot = Shot();
  EXPECT_EQ(shot.total, 6u);
  EXPECT_EQ(shot.settled, 0u);
  EXPECT_EQ(shot.failed, 0u);
  EXPECT_EQ(shot.blocked, 0u);
  EXPECT_EQ(shot.running, 0u);
  EXPECT_TRUE(shot.running_names.empty());
  EXPECT_EQ(shot.retry_waiting, 0u);
  EXPECT_FALSE(shot.next_retry_in);
  EXPECT_EQ(shot.elapsed, 0);
  EXPECT_FALSE(shot.left);  // Nothing to base an estimate on yet.
  EXPECT_FALSE(shot.stopping);
  EXPECT_FALSE(shot.grace_left);
}

TEST_F(RunProgressTest, NamesTheRunningTriesOldestFirstUpToTheLimit) {
  Begin("Base");
  Begin("Lone");
  EXPECT_EQ(Shot().running, 2u);
  EXPECT_THAT(Shot().running_names, ElementsAre("Base", "Lone"));
  EXPECT_THAT(Shot(1).running_names, ElementsAre("Base"));
  EXPECT_EQ(Shot(1).running, 2u);  // The count is whole even when the names are cut.
  EXPECT_TRUE(Shot(0).running_names.empty());
  (void)End("Base", JobStatus::kOk);
  EXPECT_THAT(Shot().running_names, ElementsAre("Lone"));
  Begin("Left");
  EXPECT_THAT(Shot().running_names, ElementsAre("Lone", "Left"));
}

TEST_F(RunProgressTest, CountsSucceededJobsAsSettled) {
  Begin("Base");
  (void)End("Base", JobStatus::kOk);
  Begin("Left");
  (void)End("Left", JobStatus::kChanged);
  const ProgressSnapshot shot = Shot();
  EXPECT_EQ(shot.settled, 2u);
  EXPECT_EQ(shot.failed, 0u);
  EXPECT_EQ(shot.running, 0u);
}

TEST_F(RunProgressTest, ATryToBeRetriedWaitsAndSaysWhenItIsDue) {
  Begin("Base");
  (void)End("Base", JobStatus::kOk);
  Begin("Right");
  clock_.Advance(seconds(4));
  const TryVerdict verdict = End("Right", JobStatus::kFailed);
  ASSERT_FALSE(verdict.done);
  ProgressSnapshot shot = Shot();
  EXPECT_EQ(shot.settled, 1u);  // Not failed for good: it has tries left.
  EXPECT_EQ(shot.failed, 0u);
  EXPECT_EQ(shot.running, 0u);
  EXPECT_EQ(shot.retry_waiting, 1u);
  ASSERT_TRUE(shot.next_retry_in);
  EXPECT_DOUBLE_EQ(*shot.next_retry_in, 6);  // Its delay counts from its start.

  clock_.Advance(seconds(5));
  EXPECT_DOUBLE_EQ(*Shot().next_retry_in, 1);
  clock_.Advance(seconds(3));
  EXPECT_DOUBLE_EQ(*Shot().next_retry_in, 0);  // Overdue: never negative.

  Begin("Right");  // The retry starts: no longer waiting.
  shot = Shot();
  EXPECT_EQ(shot.retry_waiting, 0u);
  EXPECT_FALSE(shot.next_retry_in);
  EXPECT_THAT(shot.running_names, ElementsAre("Right"));
}

TEST_F(RunProgressTest, TheEarliestOfSeveralRetriesIsTheNextDue) {
  Begin("Base");
  (void)End("Base", JobStatus::kOk);
  Begin("Right");
  (void)End("Right", JobStatus::kFailed);  // Due at 10.
  clock_.Advance(seconds(2));
  Begin("Lone");
  (void)End("Lone", JobStatus::kFailed);  // Due at 2 + 4.
  EXPECT_EQ(Shot().retry_waiting, 2u);
  EXPECT_DOUBLE_EQ(*Shot().next_retry_in, 4);
  clock_.Advance(seconds(4));
  Begin("Lone");
  EXPECT_EQ(Shot().retry_waiting, 1u);
  EXPECT_DOUBLE_EQ(*Shot().next_retry_in, 4);  // Right's, at 10.
  (void)End("Lone", JobStatus::kFailed);       // Due at 6 + 4, with Right.
  EXPECT_EQ(Shot().retry_waiting, 2u);
  EXPECT_DOUBLE_EQ(*Shot().next_retry_in, 4);
}

TEST_F(RunProgressTest, AJobThatFailsForGoodBlocksEveryJobAboveIt) {
  Begin("Base");
  (void)End("Base", JobStatus::kFailed);
  Begin("Base");
  (void)End("Base", JobStatus::kFailed);
  EXPECT_EQ(Shot().failed, 0u);  // Two of its three tries.
  Begin("Base");
  ASSERT_TRUE(End("Base", JobStatus::kFailed).done);
  const ProgressSnapshot shot = Shot();
  EXPECT_EQ(shot.failed, 1u);
  // Left, Right, Root and Top can never run; Lone still can.
  EXPECT_EQ(shot.blocked, 4u);
  EXPECT_EQ(shot.settled, 5u);
  EXPECT_EQ(shot.retry_waiting, 0u);
}

TEST_F(RunProgressTest, AJobBlockedTwiceCountsOnce) {
  Begin("Lone");
  ASSERT_FALSE(End("Lone", JobStatus::kFailed).done);
  for (int i = 0; i < 2; ++i) {
    Begin("Lone");
    (void)End("Lone", JobStatus::kFailed);
  }
  EXPECT_EQ(Shot().blocked, 1u);  // Top.
  for (int i = 0; i < 3; ++i) {
    Begin("Base");
    (void)End("Base", JobStatus::kFailed);
  }
  const ProgressSnapshot shot = Shot();
  EXPECT_EQ(shot.failed, 2u);
  EXPECT_EQ(shot.blocked, 4u);  // Top once, then Left, Right, Root.
  EXPECT_EQ(shot.settled, shot.total);
  EXPECT_FALSE(shot.left);  // Nothing is left.
}

TEST_F(RunProgressTest, EstimatesTheTimeLeftAtThePaceSoFar) {
  clock_.Advance(seconds(3));
  Begin("Base");
  (void)End("Base", JobStatus::kOk);
  ProgressSnapshot shot = Shot();
  EXPECT_DOUBLE_EQ(shot.elapsed, 3);
  ASSERT_TRUE(shot.left);
  EXPECT_DOUBLE_EQ(*shot.left, 15);  // 3 s per job, 5 jobs to go.
  clock_.Advance(seconds(1));
  Begin("Lone");
  (void)End("Lone", JobStatus::kOk);
  shot = Shot();
  EXPECT_DOUBLE_EQ(*shot.left, 8);  // 2 s per job, 4 to go.
}

TEST_F(RunProgressTest, BlockedJobsShortenTheEstimateButDoNotSetItsPace) {
  clock_.Advance(seconds(2));
  Begin("Base");
  (void)End("Base", JobStatus::kFailed);  // A try, not the job's end.
  EXPECT_FALSE(Shot().left);
  books_.emplace(*graph_, true, 0, &*progress_);  // A dry run: the first failure is final.
  Begin("Base");
  ASSERT_TRUE(End("Base", JobStatus::kFailed).done);
  // 1 job tried in 2 s; Left, Right, Root and Top are blocked: Lone is left.
  EXPECT_DOUBLE_EQ(*Shot().left, 2);
}

TEST_F(RunProgressTest, AStopSaysStoppingAndDropsTheRetriesAndTheEstimate) {
  Begin("Base");
  (void)End("Base", JobStatus::kOk);
  Begin("Right");
  (void)End("Right", JobStatus::kFailed);
  Begin("Left");
  stop_.request_stop();
  const ProgressSnapshot shot = Shot();
  EXPECT_TRUE(shot.stopping);
  EXPECT_THAT(shot.running_names, ElementsAre("Left"));  // What the stop waits for.
  EXPECT_EQ(shot.retry_waiting, 0u);                     // A stop cuts retry delays short.
  EXPECT_FALSE(shot.next_retry_in);
  EXPECT_FALSE(shot.left);
  EXPECT_FALSE(shot.grace_left);  // No grace period: the try runs to its end.
}

class RunProgressGraceTest : public RunProgressTest {
 protected:
  void SetUp() override {
    grace_ = 2;
    RunProgressTest::SetUp();
  }
};

TEST_F(RunProgressGraceTest, CountsTheGracePeriodDownFromTheStop) {
  Begin("Base");
  EXPECT_FALSE(Shot().grace_left);  // Not stopping yet.
  clock_.Advance(seconds(5));
  stop_.request_stop();
  ASSERT_TRUE(Shot().grace_left);
  EXPECT_DOUBLE_EQ(*Shot().grace_left, 2);
  clock_.Advance(milliseconds(1500));
  EXPECT_DOUBLE_EQ(*Shot().grace_left, 0.5);
  clock_.Advance(seconds(1));
  EXPECT_DOUBLE_EQ(*Shot().grace_left, 0);  // Never negative.
}

TEST(RunProgress, AStopRequestedBeforeItsStartIsSeenAtOnce) {
  Harness h;
  h.Add("A");
  auto graph = h.Build("A");
  ASSERT_TRUE(graph.ok());
  FakeClock clock;
  std::stop_source stop;
  stop.request_stop();
  const RunProgress progress(*graph, clock, stop.get_token(), 2);
  EXPECT_TRUE(progress.Snapshot(1).stopping);
  EXPECT_DOUBLE_EQ(*progress.Snapshot(1).grace_left, 2);
}

// Fed by a real engine, serial and parallel, through the observer the
// command line gives it (a tee of the trace and the progress): every try
// starts and ends, the failures block what is above them, and the trace
// still gets its phases.
class RunProgressEngineTest : public ::testing::TestWithParam<int> {};

TEST_P(RunProgressEngineTest, EndsWithEveryJobSettledAndNoneRunning) {
  Harness h;
  h.defaults = {2, 0.5};
  h.Add("Top").Deps({"Broken", "Fine"});
  h.Add("Broken", {testing::Fails("no"), {}, {}});
  h.Add("Fine");
  auto built = h.Build("Top");
  ASSERT_TRUE(built.ok());
  const Graph graph = std::move(*built);
  RunProgress progress(graph, h.clock);
  TeeObserver tee(h.observer, progress);
  Engine engine(graph, {.jobs = GetParam()}, &h.clock, &tee);
  const RunResult result = engine.Run();
  EXPECT_FALSE(result.success);
  const ProgressSnapshot shot = progress.Snapshot(10);
  EXPECT_EQ(shot.total, 3u);
  EXPECT_EQ(shot.settled, 3u);
  EXPECT_EQ(shot.failed, 1u);
  EXPECT_EQ(shot.blocked, 1u);
  EXPECT_EQ(shot.running, 0u);
  EXPECT_EQ(shot.retry_waiting, 0u);
  EXPECT_DOUBLE_EQ(shot.elapsed, 0.5);       // Broken's one retry delay, on the fake clock.
  EXPECT_FALSE(h.observer.lines().empty());  // The tee passed the phases on.
}

INSTANTIATE_TEST_SUITE_P(Workers, RunProgressEngineTest, ::testing::Values(1, 4));

// Snapshots taken while four workers book tries never see a torn state:
// the counts only grow, and the running tries are never more than four.
TEST(RunProgress, SnapshotsDuringAParallelRunAreConsistent) {
  Harness h;
  std::vector<std::string> names;
  for (int i = 0; i < 200; ++i) names.push_back("J" + std::to_string(i));
  h.Add("Root").Deps(names);
  for (const std::string& name : names) h.Add(name);
  auto built = h.Build("Root");
  ASSERT_TRUE(built.ok());
  const Graph graph = std::move(*built);
  SteadyClock clock;
  RunProgress progress(graph, clock);
  std::jthread reader([&](std::stop_token done) {
    std::size_t last = 0;
    while (!done.stop_requested()) {
      const ProgressSnapshot shot = progress.Snapshot(8);
      EXPECT_GE(shot.settled, last);
      EXPECT_LE(shot.running, 4u);
      EXPECT_LE(shot.running_names.size(), shot.running);
      last = shot.settled;
    }
  });
  Engine engine(graph, {.jobs = 4}, &clock, &progress);
  EXPECT_TRUE(engine.Run().success);
  reader.request_stop();
  reader.join();
  EXPECT_EQ(progress.Snapshot(8).settled, 201u);
}

}  // namespace
}  // namespace dojobber::core
