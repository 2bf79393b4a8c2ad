// SEMANTICS.md, no-act runs: only Checks, one pass.

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

const core::RunOptions kNoAct{.no_act = true, .cleanup = true};

TEST(NoActTest, RunIsNeverCalled) {
  Harness h;
  int runs = 0;
  h.Add("Root").Deps({"Missing"});
  h.Add("Missing", {Fails("absent"), [&](Context&) { ++runs; }, {}});
  (void)h.Run("Root", kNoAct);
  EXPECT_EQ(runs, 0);
  EXPECT_EQ(h.observer.lines(), (Lines{"Missing.check: fail"}));
}

TEST(NoActTest, FailingCheckFailsTheJobAndBlocksDependents) {
  Harness h;
  h.Add("Root").Deps({"Middle"});
  h.Add("Middle").Deps({"Missing"});
  h.Add("Missing", {Fails("absent"), {}, {}});
  core::RunResult result = h.Run("Root", kNoAct);
  EXPECT_EQ(h.Job(result, "Missing").status, JobStatus::kFailed);
  EXPECT_EQ(h.Job(result, "Missing").error, "absent");
  EXPECT_EQ(h.Job(result, "Middle").status, JobStatus::kBlocked);
  EXPECT_EQ(h.Job(result, "Root").status, JobStatus::kBlocked);
  EXPECT_FALSE(result.success);
  EXPECT_FALSE(result.partial_success);
}

TEST(NoActTest, OnlyOnePassIsMade) {
  Harness h;
  h.Add("Root").Deps({"Flaky"});
  h.Add("Flaky", {CheckThat([](Context& c) { return c.try_number() > 1; }), {}, {}}).Tries(5);
  core::RunResult result = h.Run("Root", kNoAct);
  EXPECT_EQ(h.Job(result, "Flaky").status, JobStatus::kFailed);
  EXPECT_EQ(h.Job(result, "Flaky").tries, 1);
  EXPECT_EQ(h.observer.lines(), (Lines{"Flaky.check: fail"}));
}

TEST(NoActTest, PassingChecksLetDependentsBeCheckedInTheSamePass) {
  Harness h;
  h.Add("Root").Deps({"Present", "Missing"});
  h.Add("Present");
  h.Add("Missing", {Fails("absent"), {}, {}});
  h.Add("Other").Deps({"Present"});
  h.Add("All").Deps({"Root", "Other"});
  core::RunResult result = h.Run("All", kNoAct);
  EXPECT_EQ(h.Job(result, "Present").status, JobStatus::kOk);
  EXPECT_EQ(h.Job(result, "Other").status, JobStatus::kOk);
  EXPECT_EQ(h.Job(result, "Root").status, JobStatus::kBlocked);
  EXPECT_TRUE(result.partial_success);
  EXPECT_EQ(h.observer.lines(),
            (Lines{"Present.check: pass", "Missing.check: fail", "Other.check: pass"}));
}

TEST(NoActTest, AllPassingChecksIsSuccess) {
  Harness h;
  h.Add("Root").Deps({"A"});
  h.Add("A");
  core::RunResult result = h.Run("Root", kNoAct);
  EXPECT_TRUE(result.success);
}

TEST(NoActTest, JobsAreToldTheyAreInANoActRun) {
  Harness h;
  std::vector<bool> seen;
  h.Add("A", {[&](Context& c) { seen.push_back(c.no_act()); }, {}, {}});
  (void)h.Run("A", kNoAct);
  (void)h.Run("A");
  EXPECT_EQ(seen, (std::vector<bool>{true, false}));
}

TEST(NoActTest, RunonlyJobAlwaysFails) {
  Harness h;
  int runs = 0;
  h.AddRunonly("Script", [&](Context&) { ++runs; });
  core::RunResult result = h.Run("Script", kNoAct);
  EXPECT_EQ(h.Job(result, "Script").status, JobStatus::kFailed);
  EXPECT_EQ(h.Job(result, "Script").tries, 1);
  EXPECT_EQ(h.Job(result, "Script").error, "Runonly node check intentionally fails first time.");
  EXPECT_EQ(runs, 0);
  EXPECT_EQ(h.observer.lines(), (Lines{"Script.check: fail"}));
}

TEST(NoActTest, ThrowingConstructorFailsTheJob) {
  Harness h;
  h.registry.Add("Broken", []() -> std::unique_ptr<Job> { throw Error("no config"); });
  core::RunResult result = h.Run("Broken", kNoAct);
  EXPECT_EQ(h.Job(result, "Broken").status, JobStatus::kFailed);
  EXPECT_EQ(h.Job(result, "Broken").tries, 1);
  EXPECT_EQ(h.observer.lines(), (Lines{"Broken.check: fail"}));
}

TEST(NoActTest, CleanupsStillRunForCreatedJobs) {
  Harness h;
  int cleanups = 0;
  h.Add("A", {Fails("absent"), {}, [&](Context&) { ++cleanups; }});
  core::RunResult result = h.Run("A", kNoAct);
  EXPECT_EQ(cleanups, 1);
  ASSERT_TRUE(result.cleanup);
  EXPECT_EQ(result.cleanup->ran, 1u);
}

}  // namespace
}  // namespace dojobber
