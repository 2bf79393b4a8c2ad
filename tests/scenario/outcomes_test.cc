// SEMANTICS.md, "Jobs", "The graph" and "One run": what each job ends as.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber {
namespace {

using core::JobStatus;
using testing::CheckThat;
using testing::Fails;
using testing::Harness;
using Lines = std::vector<std::string>;

TEST(OutcomesTest, PassingCheckIsOkAndRunIsNeverCalled) {
  Harness h;
  bool ran = false;
  h.Add("Ready", {{}, [&](Context&) { ran = true; }, {}});
  core::RunResult result = h.Run("Ready");
  ASSERT_FALSE(h.failure) << *h.failure;
  EXPECT_EQ(h.Job(result, "Ready").status, JobStatus::kOk);
  EXPECT_EQ(h.Job(result, "Ready").tries, 1);
  EXPECT_FALSE(ran);
  EXPECT_TRUE(result.success);
  EXPECT_EQ(h.observer.lines(), (Lines{"Ready.check: pass"}));
}

TEST(OutcomesTest, RunThenPassingRecheckIsChanged) {
  Harness h;
  h.Add("Fixable", {CheckThat([](Context& c) { return c.global().Contains("fixed"); }, "broken"),
                    [](Context& c) { c.global().Set("fixed", true); },
                    {}});
  core::RunResult result = h.Run("Fixable");
  EXPECT_EQ(h.Job(result, "Fixable").status, JobStatus::kChanged);
  EXPECT_EQ(h.Job(result, "Fixable").tries, 1);
  EXPECT_TRUE(result.success);
  EXPECT_EQ(h.observer.lines(),
            (Lines{"Fixable.check: fail", "Fixable.run: pass", "Fixable.recheck: pass"}));
}

TEST(OutcomesTest, FailingRecheckOnEveryTryIsFailed) {
  Harness h;
  h.Add("Broken", {Fails("still broken"), {}, {}});
  core::RunResult result = h.Run("Broken");
  const core::JobReport& broken = h.Job(result, "Broken");
  EXPECT_EQ(broken.status, JobStatus::kFailed);
  EXPECT_EQ(broken.tries, 3);
  EXPECT_EQ(broken.error, "still broken");
  EXPECT_FALSE(result.success);
  EXPECT_FALSE(result.partial_success);
}

TEST(OutcomesTest, RunsSuccessDoesNotMakeTheJobSucceed) {
  Harness h;
  int runs = 0;
  h.Add("Liar", {Fails("not really"), [&](Context&) { ++runs; }, {}}).Tries(2);
  core::RunResult result = h.Run("Liar");
  EXPECT_EQ(h.Job(result, "Liar").status, JobStatus::kFailed);
  EXPECT_EQ(runs, 2);
}

TEST(OutcomesTest, RunsFailureDoesNotMakeTheJobFail) {
  Harness h;
  h.Add("Grumpy", {CheckThat([](Context& c) { return c.is_recheck(); }),
                   [](Context&) { throw Error("complained"); },
                   {}});
  core::RunResult result = h.Run("Grumpy");
  EXPECT_EQ(h.Job(result, "Grumpy").status, JobStatus::kChanged);
  EXPECT_EQ(h.observer.lines(),
            (Lines{"Grumpy.check: fail", "Grumpy.run: fail", "Grumpy.recheck: pass"}));
}

TEST(OutcomesTest, FailCallFailsLikeAThrow) {
  Harness h;
  h.Add("Converge", {[](Context& c) {
                       if (c.try_number() < 2) return c.Fail("not converged");
                     },
                     [](Context& c) { c.Fail("gave up"); },
                     {}});
  core::RunResult result = h.Run("Converge");
  EXPECT_EQ(h.Job(result, "Converge").status, JobStatus::kOk);
  EXPECT_EQ(h.Job(result, "Converge").tries, 2);
  EXPECT_EQ(h.observer.lines(),
            (Lines{"Converge.check: fail", "Converge.run: fail",
                   "Converge.recheck: fail \"not converged\"", "Converge.check: pass"}));
}

TEST(OutcomesTest, FailedJobBlocksItsDependentsTransitively) {
  Harness h;
  std::map<std::string, int> created;
  auto counted = [&](const std::string& name, testing::Hooks hooks = {}) -> JobBuilder& {
    return h.registry.Add(name, [&created, name, hooks] {
      ++created[name];
      return std::make_unique<testing::PlainScriptedJob>(hooks);
    });
  };
  counted("Root").Deps({"Middle", "Sibling"});
  counted("Middle").Deps({"Broken"});
  counted("Broken", {Fails("no"), {}, {}});
  counted("Sibling");
  core::RunResult result = h.Run("Root");
  EXPECT_EQ(h.Job(result, "Broken").status, JobStatus::kFailed);
  EXPECT_EQ(h.Job(result, "Middle").status, JobStatus::kBlocked);
  EXPECT_EQ(h.Job(result, "Root").status, JobStatus::kBlocked);
  EXPECT_EQ(h.Job(result, "Sibling").status, JobStatus::kOk);
  EXPECT_EQ(h.Job(result, "Middle").tries, 0);
  EXPECT_FALSE(h.Job(result, "Middle").error);
  EXPECT_EQ(created, (std::map<std::string, int>{{"Broken", 3}, {"Sibling", 1}}));
  EXPECT_FALSE(result.success);
  EXPECT_TRUE(result.partial_success);
}

TEST(OutcomesTest, DependentWaitsForItsDependencyToSucceed) {
  Harness h;
  h.Add("Root").Deps({"Slow"});
  h.Add("Slow",
        {CheckThat([](Context& c) { return c.try_number() == 2 && c.is_recheck(); }), {}, {}});
  core::RunResult result = h.Run("Root");
  EXPECT_TRUE(result.success);
  EXPECT_EQ(h.Job(result, "Slow").status, JobStatus::kChanged);
  EXPECT_EQ(h.Job(result, "Slow").tries, 2);
  EXPECT_EQ(h.Job(result, "Root").status, JobStatus::kOk);
  EXPECT_EQ(h.observer.lines().back(), "Root.check: pass");
}

TEST(OutcomesTest, TriesAreCountedPerJob) {
  Harness h;
  h.defaults.tries = 2;
  h.Add("Root").Deps({"Default", "Own", "Once", "Third"});
  h.Add("Default", {Fails("no"), {}, {}});
  h.Add("Own", {Fails("no"), {}, {}}).Tries(5);
  h.Add("Once", {Fails("no"), {}, {}}).Tries(1);
  h.Add("Third", {CheckThat([](Context& c) { return c.try_number() == 3; }), {}, {}}).Tries(4);
  core::RunResult result = h.Run("Root");
  EXPECT_EQ(h.Job(result, "Default").tries, 2);
  EXPECT_EQ(h.Job(result, "Own").tries, 5);
  EXPECT_EQ(h.Job(result, "Once").tries, 1);
  EXPECT_EQ(h.Job(result, "Third").tries, 3);
  EXPECT_EQ(h.Job(result, "Third").status, JobStatus::kOk);
}

TEST(OutcomesTest, JobReachedTwiceIsTriedOnceAtItsFirstPlace) {
  Harness h;
  h.Add("Root").Deps({"Left", "Right"});
  h.Add("Left").Deps({"Shared"});
  h.Add("Right").Deps({"Shared"});
  h.Add("Shared");
  core::RunResult result = h.Run("Root");
  EXPECT_TRUE(result.success);
  EXPECT_EQ(h.observer.lines(), (Lines{"Shared.check: pass", "Left.check: pass",
                                       "Right.check: pass", "Root.check: pass"}));
}

TEST(OutcomesTest, JobsOutsideTheRootsGraphAreNotRun) {
  Harness h;
  bool touched = false;
  h.Add("Root");
  h.Add("Unrelated", {[&](Context&) { touched = true; }, {}, {}});
  core::RunResult result = h.Run("Root");
  EXPECT_EQ(result.jobs.size(), 1u);
  EXPECT_FALSE(touched);
}

TEST(OutcomesTest, GraphErrorsStopTheRunBeforeAnyJob) {
  Harness h;
  bool touched = false;
  h.Add("Root", {[&](Context&) { touched = true; }, {}, {}}).Deps({"Ghost"});
  (void)h.Run("Root");
  EXPECT_EQ(h.failure, "job 'Root' depends on unknown job 'Ghost'");
  EXPECT_FALSE(touched);
}

TEST(OutcomesTest, InvalidTriesAreRefusedNamingTheJob) {
  Harness h;
  h.defaults.tries = 0;
  h.Add("Root");
  (void)h.Run("Root");
  EXPECT_EQ(h.failure, "job 'Root': tries must be at least 1 (got 0)");
  EXPECT_TRUE(h.observer.lines().empty());
}

TEST(OutcomesTest, DummyJobGroupsDependencies) {
  class Food : public DummyJob {};
  Harness h;
  h.AddType<Food>("Food").Deps({"Pizza", "Popcorn"});
  h.Add("Pizza");
  h.Add("Popcorn", {CheckThat([](Context& c) { return c.is_recheck(); }), {}, {}});
  core::RunResult result = h.Run("Food");
  EXPECT_TRUE(result.success);
  EXPECT_EQ(h.Job(result, "Food").status, JobStatus::kOk);
  EXPECT_EQ(h.observer.lines().back(), "Food.check: pass");
}

}  // namespace
}  // namespace dojobber
