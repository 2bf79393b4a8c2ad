#include "core/dry_run_plan.h"

#include <memory>
#include <stdexcept>
#include <stop_token>
#include <string>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber::core {
namespace {

using testing::Fails;
using testing::Harness;

// One job of each kind a dry run meets, under one root.
class DryRunPlanTest : public ::testing::Test {
 protected:
  DryRunPlanTest() {
    h_.Add("Root").Deps({"InPlace", "AfterDrift", "Pillows", "Broken", "Odd"});
    h_.Add("InPlace");
    h_.Add("Drifted", {Fails("the file differs"), {}, {}});
    h_.Add("AfterDrift").Deps({"Drifted"});
    h_.AddRunonly("Pillows", [](Context&) {});
    h_.registry.Add("Broken",
                    []() -> std::unique_ptr<Job> { throw std::runtime_error("no config"); });
    h_.Add("Odd", {[](Context&) { throw 42; }, {}, {}});
  }
  PlanStep Step(const DryRunPlan& plan, std::string_view name) const {
    return plan.step(*h_.graph->Find(name));
  }

  Harness h_;
};

TEST_F(DryRunPlanTest, ReadsEachDryRunStatusAsAStep) {
  const RunResult result = h_.Run("Root", {.no_act = true});
  ASSERT_FALSE(h_.failure) << *h_.failure;
  const DryRunPlan plan = DryRunPlan::Of(*h_.graph, result);
  EXPECT_EQ(Step(plan, "InPlace"), PlanStep::kOk);
  EXPECT_EQ(Step(plan, "Drifted"), PlanStep::kWouldRun);
  EXPECT_EQ(Step(plan, "Odd"), PlanStep::kWouldRun) << "any exception from Check is its verdict";
  EXPECT_EQ(Step(plan, "AfterDrift"), PlanStep::kUnknown);
  EXPECT_EQ(Step(plan, "Pillows"), PlanStep::kWouldRun) << "a real run always runs a RunonlyJob";
  EXPECT_EQ(Step(plan, "Broken"), PlanStep::kFailed) << "no Check was called";
  EXPECT_EQ(Step(plan, "Root"), PlanStep::kUnknown);
  const PlanCounts& counts = plan.counts();
  EXPECT_EQ(counts.ok, 1u);
  EXPECT_EQ(counts.would_run, 3u);
  EXPECT_EQ(counts.unknown, 2u);
  EXPECT_EQ(counts.failed, 1u);
  EXPECT_FALSE(counts.NothingToDo());
}

TEST_F(DryRunPlanTest, AJobBehindAFailedOneIsUnknownToo) {
  h_.Add("AfterBroken").Deps({"Broken"});
  const RunResult result = h_.Run("AfterBroken", {.no_act = true});
  const DryRunPlan plan = DryRunPlan::Of(*h_.graph, result);
  EXPECT_EQ(Step(plan, "Broken"), PlanStep::kFailed);
  EXPECT_EQ(Step(plan, "AfterBroken"), PlanStep::kUnknown);
}

// A stop during a dry run: a Check that ended is settled, even with tries
// left (a dry run retries nothing); a job never tried is unknown.
TEST_F(DryRunPlanTest, AStopKeepsTheChecksThatEnded) {
  std::stop_source stop;
  h_.Add("Stopper", {[&](Context& ctx) {
                       stop.request_stop();
                       ctx.Fail("missing a");
                     },
                     {},
                     {}})
      .Tries(3);
  h_.Add("Later");
  h_.Add("Top").Deps({"Stopper", "Later"});
  const RunResult result = h_.Run("Top", {.no_act = true, .stop = stop.get_token()});
  ASSERT_TRUE(result.interrupted);
  const DryRunPlan plan = DryRunPlan::Of(*h_.graph, result);
  EXPECT_EQ(Step(plan, "Stopper"), PlanStep::kWouldRun);
  EXPECT_FALSE(result.jobs[*h_.graph->Find("Stopper")].interrupted);
  EXPECT_EQ(Step(plan, "Later"), PlanStep::kUnknown);
  EXPECT_TRUE(result.jobs[*h_.graph->Find("Later")].interrupted);
  EXPECT_EQ(Step(plan, "Top"), PlanStep::kUnknown);
}

// A try the stop killed (its process, at the end of the grace period) gave
// no verdict, whatever it failed with.
TEST_F(DryRunPlanTest, ATryTheStopKilledIsUnknown) {
  RunResult result = h_.Run("Root", {.no_act = true});
  JobReport& odd = result.jobs[*h_.graph->Find("Odd")];
  odd.status = JobStatus::kFailed;
  odd.error = "interrupted: killed at the end of the grace period";
  odd.failed_by_check = false;
  odd.interrupted = true;
  EXPECT_EQ(Step(DryRunPlan::Of(*h_.graph, result), "Odd"), PlanStep::kUnknown);
}

TEST_F(DryRunPlanTest, EveryCheckPassingIsNothingToDo) {
  h_.Add("Also").Deps({"InPlace"});
  const RunResult result = h_.Run("Also", {.no_act = true});
  const DryRunPlan plan = DryRunPlan::Of(*h_.graph, result);
  EXPECT_EQ(plan.counts().ok, 2u);
  EXPECT_TRUE(plan.counts().NothingToDo());
}

TEST(PlanStepNameTest, NamesEachStep) {
  EXPECT_STREQ(PlanStepName(PlanStep::kOk), "ok");
  EXPECT_STREQ(PlanStepName(PlanStep::kWouldRun), "would run");
  EXPECT_STREQ(PlanStepName(PlanStep::kUnknown), "unknown");
  EXPECT_STREQ(PlanStepName(PlanStep::kFailed), "failed");
}

}  // namespace
}  // namespace dojobber::core
