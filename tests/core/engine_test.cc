#include "core/engine.h"

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber::core {
namespace {

using std::chrono::seconds;
using testing::CheckThat;
using testing::Fails;
using testing::Harness;
using Lines = std::vector<std::string>;

TEST(EngineTest, AllPassingIsSuccess) {
  Harness h;
  h.Add("Root").Deps({"A"});
  h.Add("A");
  RunResult result = h.Run("Root");
  ASSERT_FALSE(h.failure) << *h.failure;
  EXPECT_TRUE(result.success);
  EXPECT_TRUE(result.partial_success);
  ASSERT_EQ(result.jobs.size(), 2u);
  for (const JobReport& job : result.jobs) {
    EXPECT_EQ(job.status, JobStatus::kOk);
    EXPECT_EQ(job.tries, 1);
    EXPECT_FALSE(job.error);
    EXPECT_TRUE(job.result.is_null());
  }
}

TEST(EngineTest, SomeSucceededIsPartialSuccess) {
  Harness h;
  h.Add("Root").Deps({"Good", "Bad"});
  h.Add("Good");
  h.Add("Bad", {Fails("nope"), {}, {}});
  RunResult result = h.Run("Root");
  EXPECT_FALSE(result.success);
  EXPECT_TRUE(result.partial_success);
}

TEST(EngineTest, NothingSucceededIsNeitherSuccess) {
  Harness h;
  h.Add("Root").Deps({"Bad"});
  h.Add("Bad", {Fails("nope"), {}, {}});
  RunResult result = h.Run("Root");
  EXPECT_FALSE(result.success);
  EXPECT_FALSE(result.partial_success);
}

TEST(EngineTest, ReportsTriesAndTheLastTrysError) {
  Harness h;
  h.Add("Flaky", {[](Context& c) { throw Error("try " + std::to_string(c.try_number())); }, {}, {}})
      .Tries(4);
  RunResult result = h.Run("Flaky");
  const JobReport& flaky = h.Job(result, "Flaky");
  EXPECT_EQ(flaky.status, JobStatus::kFailed);
  EXPECT_EQ(flaky.tries, 4);
  EXPECT_EQ(flaky.error, "try 4");
}

TEST(EngineTest, ErrorIsClearedWhenALaterTrySucceeds) {
  Harness h;
  h.Add("Flaky", {CheckThat([](Context& c) { return c.try_number() == 2; }), {}, {}});
  RunResult result = h.Run("Flaky");
  const JobReport& flaky = h.Job(result, "Flaky");
  EXPECT_EQ(flaky.status, JobStatus::kOk);  // Try 2's first Check passed.
  EXPECT_EQ(flaky.tries, 2);
  EXPECT_FALSE(flaky.error);
}

TEST(EngineTest, BlockedJobsHaveNoTriesAndNoError) {
  Harness h;
  h.Add("Root").Deps({"Bad"});
  h.Add("Bad", {Fails("nope"), {}, {}}).Tries(1);
  RunResult result = h.Run("Root");
  const JobReport& root = h.Job(result, "Root");
  EXPECT_EQ(root.status, JobStatus::kBlocked);
  EXPECT_EQ(root.tries, 0);
  EXPECT_FALSE(root.error);
}

TEST(EngineTest, ResultIsWhatTheLastTryRecorded) {
  Harness h;
  h.Add("Counter", {[](Context& c) {
                      c.SetResult({{"try", c.try_number()}, {"phase", PhaseName(c.phase())}});
                      if (c.try_number() < 2 || !c.is_recheck()) throw Error("not yet");
                    },
                    {},
                    {}});
  h.Add("Silent", {[](Context& c) {
                     if (c.try_number() == 1) c.SetResult("first");
                     throw Error("no");
                   },
                   {},
                   {}})
      .Tries(2);
  h.Add("Root").Deps({"Counter", "Silent"});
  RunResult result = h.Run("Root");
  EXPECT_EQ(h.Job(result, "Counter").result, (nlohmann::json{{"try", 2}, {"phase", "recheck"}}));
  EXPECT_TRUE(h.Job(result, "Silent").result.is_null());  // Its last try set nothing.
}

TEST(EngineTest, SecondsComeFromTheClock) {
  Harness h;
  h.Add("Root").Deps({"Slow"});
  h.Add("Slow", {[&h](Context& c) {
                   h.clock.Advance(seconds(3));
                   if (c.try_number() == 1) throw Error("again");
                 },
                 {},
                 {}})
      .RetryDelay(10);
  RunResult result = h.Run("Root");
  // Try 1: check 3s + recheck 3s; wait 4s; try 2: check 3s.
  EXPECT_DOUBLE_EQ(h.Job(result, "Slow").seconds, 9.0);
  EXPECT_DOUBLE_EQ(h.Job(result, "Root").seconds, 0.0);
  EXPECT_DOUBLE_EQ(result.seconds, 13.0);
}

TEST(EngineTest, CleanupsRunWithTheRunByDefault) {
  Harness h;
  Lines calls;
  h.Add("Root", {{}, {}, [&](Context&) { calls.push_back("Root"); }}).Deps({"A"});
  h.Add("A", {{}, {}, [&](Context&) { calls.push_back("A"); }});
  RunResult result = h.Run("Root");
  EXPECT_EQ(calls, (Lines{"Root", "A"}));
  ASSERT_TRUE(result.cleanup);
  EXPECT_TRUE(result.cleanup->ok());
  EXPECT_EQ(result.cleanup->ran, 2u);
  EXPECT_EQ(result.cleanup->pending, 0u);
}

TEST(EngineTest, CleanupFailureIsReportedWithoutChangingStatuses) {
  Harness h;
  h.Add("Root", {{}, {}, [](Context&) { throw Error("stuck"); }}).Deps({"A"});
  h.Add("A", {{}, {}, [](Context&) {}});
  RunResult result = h.Run("Root");
  EXPECT_TRUE(result.success);
  ASSERT_TRUE(result.cleanup);
  ASSERT_FALSE(result.cleanup->ok());
  EXPECT_EQ(result.cleanup->failure->job, *h.graph->Find("Root"));
  EXPECT_EQ(result.cleanup->failure->error, "stuck");
  EXPECT_EQ(result.cleanup->ran, 1u);
  EXPECT_EQ(result.cleanup->pending, 1u);
}

TEST(EngineTest, DisabledCleanupRunsWhenCalledLater) {
  Harness h;
  Lines calls;
  h.Add("A",
        {Fails("no"), {}, [&](Context& c) { calls.push_back(std::to_string(c.try_number())); }})
      .Tries(2);
  RunResult result = h.Run("A", {.no_act = false, .cleanup = false});
  EXPECT_FALSE(result.cleanup);
  EXPECT_TRUE(calls.empty());
  CleanupReport report = h.engine->Cleanup();
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.ran, 2u);
  EXPECT_EQ(calls, (Lines{"2", "1"}));
  EXPECT_EQ(h.engine->Cleanup().ran, 0u);  // Nothing is left.
}

TEST(EngineTest, GlobalStorageOutlivesTheRun) {
  Harness h;
  h.Add("A", {[](Context& c) { c.global().Set("left", "behind"); }, {}, {}});
  (void)h.Run("A");
  EXPECT_EQ(h.engine->global().Get("left"), "behind");
}

TEST(EngineTest, RunsWithTheRealClockAndNoObserver) {
  JobRegistry registry;
  registry.Add("A", [] {
    return std::make_unique<testing::PlainScriptedJob>(
        testing::Hooks{CheckThat([](Context& c) { return c.is_recheck(); }), {}, {}});
  });
  auto graph = Graph::Build(registry, "A", {3, 0.0});
  ASSERT_TRUE(graph.ok());
  Engine engine(*graph, {});
  RunResult result = engine.Run();
  EXPECT_TRUE(result.success);
  EXPECT_EQ(result.jobs[0].status, JobStatus::kChanged);
}

}  // namespace
}  // namespace dojobber::core

namespace dojobber::core {
namespace {

// Root -> {Dead -> Broken (1 try, fails), Top -> Mid -> Base}; the stop comes
// during Base's try, so Mid and Top are unsettled. Broken failed for good, so
// Dead and Root are blocked whatever the rest would have done: settled.
TEST(EngineInterruptTest, MarksTheJobsWhoseOutcomeTheStopCutShort) {
  testing::Harness h;
  std::stop_source stop;
  h.Add("Root").Deps({"Dead", "Top"});
  h.Add("Top").Deps({"Mid"});
  h.Add("Dead").Deps({"Broken"});
  h.Add("Broken", {testing::CheckThat([](Context&) { return false; }), {}, {}}).Tries(1);
  h.Add("Mid").Deps({"Base"});
  h.Add("Base", {[&](Context&) { stop.request_stop(); }, {}, {}});
  RunResult result = h.Run("Root", {.stop = stop.get_token()});
  EXPECT_TRUE(result.interrupted);
  EXPECT_FALSE(h.Job(result, "Broken").interrupted);
  EXPECT_FALSE(h.Job(result, "Dead").interrupted);
  EXPECT_FALSE(h.Job(result, "Base").interrupted);
  EXPECT_EQ(h.Job(result, "Base").status, JobStatus::kOk);
  EXPECT_TRUE(h.Job(result, "Mid").interrupted);
  EXPECT_TRUE(h.Job(result, "Top").interrupted);
  EXPECT_FALSE(h.Job(result, "Root").interrupted);
  EXPECT_EQ(h.Job(result, "Root").status, JobStatus::kBlocked);
}

// The run was still interrupted (the CLI exits 130 and the report must say
// why), but no job's outcome was cut short.
TEST(EngineInterruptTest, AStopDuringTheLastTryInterruptsNoJob) {
  testing::Harness h;
  std::stop_source stop;
  h.Add("Only", {[&](Context&) { stop.request_stop(); }, {}, {}});
  RunResult result = h.Run("Only", {.stop = stop.get_token()});
  EXPECT_TRUE(result.success);
  EXPECT_TRUE(result.interrupted);
  EXPECT_FALSE(h.Job(result, "Only").interrupted);
}

TEST(EngineInterruptTest, NoStopNoInterruption) {
  testing::Harness h;
  h.Add("Only");
  RunResult result = h.Run("Only", {});
  EXPECT_TRUE(result.success);
  EXPECT_FALSE(result.interrupted);
}

}  // namespace
}  // namespace dojobber::core
