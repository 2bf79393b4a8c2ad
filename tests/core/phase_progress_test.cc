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

TEST(PhaseProgressTest, PhasesSayHowEachReportedPhaseEnded) {
  PhaseProgress progress;
  progress.Reported(Phase::kCheck, false);
  progress.Reported(Phase::kRun, true);
  const TryPhases phases = progress.Phases(false, false);
  EXPECT_EQ(phases.check, PhaseResult::kFailed);
  EXPECT_EQ(phases.run, PhaseResult::kPassed);
  EXPECT_EQ(phases.recheck, PhaseResult::kNotReached);
}

TEST(PhaseProgressTest, ATryEndedInAPhaseFailsThatPhase) {
  PhaseProgress progress;
  progress.Reported(Phase::kCheck, false);
  const TryPhases ended_in_run = progress.Phases(true, false);
  EXPECT_EQ(ended_in_run.check, PhaseResult::kFailed);
  EXPECT_EQ(ended_in_run.run, PhaseResult::kFailed);
  EXPECT_EQ(ended_in_run.recheck, PhaseResult::kNotReached);
  EXPECT_EQ(PhaseProgress().Phases(true, false).check, PhaseResult::kFailed);
}

TEST(PhaseProgressTest, ACleanupIsNoPhaseOfTheTry) {
  PhaseProgress progress;
  progress.Reported(Phase::kCheck, true);
  progress.Reported(Phase::kCleanup, false);
  EXPECT_EQ(progress.Phases(false, false).check, PhaseResult::kPassed);
}

}  // namespace
}  // namespace dojobber::core
