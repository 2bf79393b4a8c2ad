#include "core/dry_run_plan.h"

#include <memory>
#include <stdexcept>
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
  EXPECT_EQ(Step(plan, "Pillows"), PlanStep::kFailed) << "a RunonlyJob cannot be judged";
  EXPECT_EQ(Step(plan, "Broken"), PlanStep::kFailed) << "no Check was called";
  EXPECT_EQ(Step(plan, "Root"), PlanStep::kUnknown);
  const PlanCounts& counts = plan.counts();
  EXPECT_EQ(counts.ok, 1u);
  EXPECT_EQ(counts.would_run, 2u);
  EXPECT_EQ(counts.unknown, 2u);
  EXPECT_EQ(counts.failed, 2u);
  EXPECT_FALSE(counts.NothingToDo());
}

TEST_F(DryRunPlanTest, AJobBehindAFailedOneIsUnknownToo) {
  h_.Add("AfterPillows").Deps({"Pillows"});
  const RunResult result = h_.Run("AfterPillows", {.no_act = true});
  const DryRunPlan plan = DryRunPlan::Of(*h_.graph, result);
  EXPECT_EQ(Step(plan, "Pillows"), PlanStep::kFailed);
  EXPECT_EQ(Step(plan, "AfterPillows"), PlanStep::kUnknown);
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
