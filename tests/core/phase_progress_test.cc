#include "core/phase_progress.h"

#include <gtest/gtest.h>

namespace dojobber::core {
namespace {

TEST(PhaseProgressTest, NothingReportedMeansTheFirstCheck) {
  EXPECT_EQ(PhaseProgress().InProgress(false), Phase::kCheck);
}

TEST(PhaseProgressTest, AFailedCheckIsFollowedByRunUnlessDry) {
  PhaseProgress progress;
  progress.Reported(Phase::kCheck, false);
  EXPECT_EQ(progress.InProgress(false), Phase::kRun);
  EXPECT_EQ(progress.InProgress(true), Phase::kCheck);
}

TEST(PhaseProgressTest, RunIsFollowedByTheRecheckWhateverItsOutcome) {
  for (bool passed : {true, false}) {
    PhaseProgress progress;
    progress.Reported(Phase::kCheck, false);
    progress.Reported(Phase::kRun, passed);
    EXPECT_EQ(progress.InProgress(false), Phase::kRecheck) << passed;
  }
}

TEST(PhaseProgressTest, AfterALastPhaseItStays) {
  PhaseProgress passed_check;
  passed_check.Reported(Phase::kCheck, true);
  EXPECT_EQ(passed_check.InProgress(false), Phase::kCheck);
  PhaseProgress recheck;
  recheck.Reported(Phase::kRecheck, false);
  EXPECT_EQ(recheck.InProgress(false), Phase::kRecheck);
}

}  // namespace
}  // namespace dojobber::core
