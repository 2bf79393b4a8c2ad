// SEMANTICS.md, RunonlyJob: only Run, which the recheck judges.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber {
namespace {

using core::JobStatus;
using testing::Harness;
using Lines = std::vector<std::string>;

TEST(RunonlyTest, FirstCheckFailsOnPurpose) {
  Harness h;
  h.AddRunonly("Script", {});
  (void)h.Run("Script");
  const auto events = h.observer.events();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].phase, Phase::kCheck);
  EXPECT_FALSE(events[0].passed);
  EXPECT_EQ(events[0].error, "Runonly node check intentionally fails first time.");
}

TEST(RunonlyTest, RecheckPassesWhenRunReturned) {
  Harness h;
  int runs = 0;
  h.AddRunonly("Script", [&](Context&) { ++runs; });
  core::RunResult result = h.Run("Script");
  EXPECT_EQ(h.Job(result, "Script").status, JobStatus::kChanged);
  EXPECT_EQ(h.Job(result, "Script").tries, 1);
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(h.observer.lines(),
            (Lines{"Script.check: fail", "Script.run: pass", "Script.recheck: pass"}));
}

TEST(RunonlyTest, RecheckFailsWithRunsOwnMessage) {
  Harness h;
  h.AddRunonly("Script", [](Context&) { throw Error("disk full"); }).Tries(2);
  core::RunResult result = h.Run("Script");
  EXPECT_EQ(h.Job(result, "Script").status, JobStatus::kFailed);
  EXPECT_EQ(h.Job(result, "Script").error, "disk full");
  EXPECT_EQ(h.observer.lines(), (Lines{"Script.check: fail", "Script.run: fail",
                                       "Script.recheck: fail \"disk full\"", "Script.check: fail",
                                       "Script.run: fail", "Script.recheck: fail \"disk full\""}));
}

TEST(RunonlyTest, RecheckFailsWithTheMessageRunFailedWith) {
  Harness h;
  h.AddRunonly("Script", [](Context& c) { c.Fail("exit status 3"); }).Tries(1);
  core::RunResult result = h.Run("Script");
  EXPECT_EQ(h.Job(result, "Script").status, JobStatus::kFailed);
  EXPECT_EQ(h.Job(result, "Script").error, "exit status 3");
}

TEST(RunonlyTest, RunsAgainOnEveryTryUntilItReturns) {
  Harness h;
  std::vector<int> tries;
  h.AddRunonly("Script", [&](Context& c) {
     tries.push_back(c.try_number());
     if (c.try_number() < 3) throw Error("try " + std::to_string(c.try_number()));
   }).Tries(5);
  core::RunResult result = h.Run("Script");
  EXPECT_EQ(h.Job(result, "Script").status, JobStatus::kChanged);
  EXPECT_EQ(h.Job(result, "Script").tries, 3);
  EXPECT_EQ(tries, (std::vector<int>{1, 2, 3}));
}

TEST(RunonlyTest, NonStdThrowFromRunFailsWithAGenericMessage) {
  Harness h;
  h.AddRunonly("Script", [](Context&) { throw 42; }).Tries(1);
  core::RunResult result = h.Run("Script");
  EXPECT_EQ(h.Job(result, "Script").error, "exception of type 'int'");
}

TEST(RunonlyTest, ResultRecordedByRunIsReported) {
  Harness h;
  h.AddRunonly("Script", [](Context& c) { c.SetResult({{"ran", true}}); });
  core::RunResult result = h.Run("Script");
  EXPECT_EQ(h.Job(result, "Script").result, (nlohmann::json{{"ran", true}}));
}

TEST(RunonlyTest, DependentsWaitForTheScript) {
  Harness h;
  h.Add("Root").Deps({"Script"});
  h.AddRunonly("Script", [](Context& c) {
    if (c.try_number() == 1) throw Error("warming up");
  });
  core::RunResult result = h.Run("Root");
  EXPECT_TRUE(result.success);
  EXPECT_EQ(h.observer.lines(),
            (Lines{"Script.check: fail", "Script.run: fail", "Script.recheck: fail \"warming up\"",
                   "Script.check: fail", "Script.run: pass", "Script.recheck: pass",
                   "Root.check: pass"}));
}

TEST(RunonlyTest, RegisteredByTypeWithACleanup) {
  struct Counts {
    int runs = 0;
    int cleanups = 0;
  };
  static Counts counts;  // A type registered with Add<T> is default-constructed.
  counts = {};
  class Script : public RunonlyJob {
   public:
    void Run(Context&) override { ++counts.runs; }
    void Cleanup(Context&) override { ++counts.cleanups; }
  };
  Harness h;
  h.AddType<Script>("Script");
  core::RunResult result = h.Run("Script");
  EXPECT_EQ(h.Job(result, "Script").status, JobStatus::kChanged);
  EXPECT_EQ(counts.runs, 1);
  EXPECT_EQ(counts.cleanups, 1);
  EXPECT_EQ(h.observer.lines().back(), "Script.cleanup: pass");
}

}  // namespace
}  // namespace dojobber
