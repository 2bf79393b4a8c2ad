#include "core/status_report.h"

#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <stop_token>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber::core {
namespace {

using testing::CheckThat;
using testing::Harness;
using testing::Hooks;

std::string Report(const Harness& h, const RunResult& result, StatusReportOptions options = {}) {
  std::ostringstream out;
  WriteStatusReport(out, *h.graph, result, options);
  return out.str();
}

TEST(StatusReportTest, ListsEveryJobWithItsOutcome) {
  Harness h;
  h.Add("Root").Deps({"Good", "Bad"});
  h.Add("Good");
  h.Add("Bad", {CheckThat([](Context&) { return false; }, "Remote batteries are dead."), {}, {}});
  RunResult result = h.Run("Root");
  const std::string text = Report(h, result);
  EXPECT_NE(text.find("JOB   STATUS    TRIES      TIME  DETAIL\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Good  ok            1"), std::string::npos) << text;
  EXPECT_NE(text.find("Bad   failed        3"), std::string::npos) << text;
  EXPECT_NE(text.find("  Remote batteries are dead.\n"), std::string::npos) << text;
  EXPECT_NE(
      text.find(
          "Root  blocked       0         -  blocked: Bad failed (Remote batteries are dead.)\n"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("3 jobs: 1 ok, 0 changed, 1 failed, 1 blocked in "), std::string::npos);
  EXPECT_NE(text.find("Result: FAILED (partial success)\n"), std::string::npos);
  EXPECT_EQ(text.find("\033["), std::string::npos) << "no colour unless asked";
}

TEST(StatusReportTest, AFailedJobShowsRunsErrorAfterTheRechecksAndItsFatalMark) {
  Harness h;
  h.Add("Root").Deps({"Both", "Same", "Fatal"});
  h.Add("Both", {CheckThat([](Context&) { return false; }, "no /x/etc"),
                 [](Context&) { throw Error("cannot create\ndirectories"); },
                 {}})
      .Tries(1);
  // A RunonlyJob's recheck repeats Run's message: shown once.
  h.AddRunonly("Same", [](Context&) { throw Error("exit 1"); }).Tries(1);
  h.Add("Fatal", {[](Context&) { throw dojobber::Fatal("bad port"); }, {}, {}});
  RunResult result = h.Run("Root");
  const std::string text = Report(h, result);
  EXPECT_NE(text.find("  no /x/etc (Run failed: cannot create\\ndirectories)\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("s  exit 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  fatal: bad port\n"), std::string::npos) << text;
  EXPECT_NE(text.find("blocked: Both failed (no /x/etc (Run failed: cannot create\\ndirectories)); "
                      "Same failed (exit 1); Fatal failed (fatal: bad port)\n"),
            std::string::npos)
      << text;
}

TEST(StatusReportTest, EscapesControlCharactersFromJobCode) {
  Harness h;
  h.Add("Spoof", {CheckThat([](Context&) { return false; }, "\x1b[2K\x1b[1A ok"), {}, [](Context&) {
                    throw Error("bell\a\r\nnext");
                  }});
  RunResult result = h.Run("Spoof");
  const std::string text = Report(h, result);
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
  EXPECT_EQ(text.find('\a'), std::string::npos) << text;
  EXPECT_NE(text.find("Spoof  failed        3"), std::string::npos) << text;
  EXPECT_NE(text.find("  \\x1b[2K\\x1b[1A ok\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Cleanup of Spoof (try 3) failed: bell\\x07\\nnext; 2 cleanups not run.\n"),
            std::string::npos)
      << text;
}

TEST(StatusReportTest, AlignsNamesByDisplayWidth) {
  Harness h;
  h.Add("Root").Deps({"東京 backup", "Repo cafe\u0301"});
  h.Add("東京 backup");
  h.Add("Repo cafe\u0301");
  RunResult result = h.Run("Root");
  const std::string text = Report(h, result);
  EXPECT_NE(text.find("JOB          STATUS"), std::string::npos) << text;
  EXPECT_NE(text.find("\n東京 backup  ok            1"), std::string::npos) << text;
  EXPECT_NE(text.find("\nRepo cafe\u0301    ok            1"), std::string::npos) << text;
  EXPECT_NE(text.find("\nRoot         ok            1"), std::string::npos) << text;
}

TEST(StatusReportTest, TimesHaveMillisecondPrecision) {
  Harness h;
  h.Add("A");
  RunResult result = h.Run("A");
  result.jobs[0].seconds = 1.5;
  result.seconds = 125.25;
  const std::string text = Report(h, result);
  EXPECT_NE(text.find("A    ok            1    1.500s\n"), std::string::npos) << text;
  EXPECT_NE(text.find(" blocked in 125.250s.\n"), std::string::npos) << text;
}

TEST(StatusReportTest, SaysSuccessAndDryRun) {
  Harness h;
  h.Add("A");
  RunResult result = h.Run("A", {.no_act = true});
  const std::string text = Report(h, result, {.no_act = true});
  EXPECT_NE(text.find("1 job: 1 ok, 0 changed, 0 failed, 0 blocked in 0.000s (dry run).\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Result: SUCCESS\n"), std::string::npos);
}

TEST(StatusReportTest, ColoursOnlyWhenAsked) {
  Harness h;
  h.Add("A");
  RunResult result = h.Run("A");
  const std::string text = Report(h, result, {.color = true});
  EXPECT_NE(text.find("\033[32mok"), std::string::npos) << text;
  EXPECT_NE(text.find("\033[1;32mSUCCESS\033[0m"), std::string::npos) << text;
}

TEST(StatusReportTest, NamesAFailedCleanup) {
  Harness h;
  h.Add("A", {{}, {}, [](Context&) { throw Error("cannot unmount"); }});
  RunResult result = h.Run("A");
  const std::string text = Report(h, result);
  EXPECT_NE(text.find("Cleanup of A (try 1) failed: cannot unmount.\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Result: SUCCESS, CLEANUP FAILED\n"), std::string::npos) << text;
}

TEST(StatusReportTest, CountsTheJobsAStopLeftUnsettled) {
  Harness h;
  std::stop_source stop;
  h.Add("Root").Deps({"Stopper", "Later"});
  h.Add("Stopper", {[&](Context&) { stop.request_stop(); }, {}, {}});
  h.Add("Later");
  RunResult result = h.Run("Root", {.stop = stop.get_token()});
  const std::string text = Report(h, result);
  EXPECT_NE(text.find("Later    blocked       0         -  not tried: interrupted\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Interrupted: 2 jobs left unsettled.\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Result: INTERRUPTED, FAILED (partial success)\n"), std::string::npos)
      << text;
}

TEST(StatusReportTest, SaysAStopCameWhenEveryJobHadSettled) {
  Harness h;
  std::stop_source stop;
  h.Add("Only", {[&](Context&) { stop.request_stop(); }, {}, {}});
  RunResult result = h.Run("Only", {.stop = stop.get_token()});
  const std::string text = Report(h, result);
  EXPECT_NE(text.find("Interrupted after every job had settled.\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Result: INTERRUPTED, SUCCESS\n"), std::string::npos) << text;
}

TEST(StatusReportTest, LargeGraphsListOnlyFailedAndBlockedJobs) {
  Harness h;
  std::vector<std::string> all;
  for (int i = 0; i < 150; ++i) {
    all.push_back("J" + std::to_string(i));
    Hooks hooks;
    if (i % 50 == 0) hooks.check = CheckThat([](Context&) { return false; });
    h.Add(all.back(), hooks);
  }
  h.Add("Root").Deps(all);
  RunResult result = h.Run("Root");
  const std::string text = Report(h, result, {.full_listing_limit = 100, .max_rows = 50});
  EXPECT_NE(text.find("Showing failed and blocked jobs only (4 of 151 jobs"), std::string::npos)
      << text;
  EXPECT_NE(text.find("J50   failed"), std::string::npos) << text;
  EXPECT_EQ(text.find("J1    ok"), std::string::npos) << text;
  EXPECT_NE(
      text.find("blocked: J0 failed (not yet); J50 failed (not yet); J100 failed (not yet)\n"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("151 jobs: 147 ok, 0 changed, 3 failed, 1 blocked"), std::string::npos);
}

TEST(StatusReportTest, BlockedShowsAtMostThreeRootCauses) {
  Harness h;
  std::vector<std::string> deps;
  for (int i = 0; i < 5; ++i) {
    deps.push_back("F" + std::to_string(i));
    h.Add(deps.back(), {CheckThat([](Context&) { return false; }), {}, {}});
  }
  h.Add("Root").Deps(deps);
  RunResult result = h.Run("Root");
  EXPECT_NE(
      Report(h, result).find(
          "blocked: F0 failed (not yet); F1 failed (not yet); F2 failed (not yet) and 2 more\n"),
      std::string::npos)
      << Report(h, result);
}

TEST(StatusReportTest, BlockedNamesTheFailedJobsDownTheChain) {
  Harness h;
  h.Add("Top").Deps({"Middle"});
  h.Add("Middle").Deps({"Remote", "Couch"});
  h.Add("Remote",
        {CheckThat([](Context&) { return false; }, "Remote batteries are dead."), {}, {}});
  h.Add("Couch", {CheckThat([](Context&) { return false; }, "No space\non couch."), {}, {}});
  RunResult result = h.Run("Top");
  const std::string text = Report(h, result);
  EXPECT_NE(text.find("Top     blocked       0         -  blocked: Remote failed (Remote batteries "
                      "are dead.); Couch failed (No space\\non couch.)\n"),
            std::string::npos)
      << text;
}

TEST(StatusReportTest, BlockedSaysAtLeastWhenTheCausesWereNotAllKept) {
  Harness h;
  std::vector<std::string> deps;
  for (std::size_t i = 0; i < RootCauses::kKept + 2; ++i) {
    deps.push_back("F" + std::to_string(i));
    h.Add(deps.back(), {CheckThat([](Context&) { return false; }), {}, {}});
  }
  h.Add("Root").Deps(deps);
  RunResult result = h.Run("Root");
  const std::size_t beyond = RootCauses::kKept + 2 - 3;
  EXPECT_NE(Report(h, result).find("F2 failed (not yet) and at least " +
                                   std::to_string(beyond - 1) + " more\n"),
            std::string::npos)
      << Report(h, result);
}

// A dry run read as a plan: Drifted's Check fails (would run), After
// depends on it (unknown), Broken's object cannot be made (failed: not
// judged).
class StatusReportPlanTest : public ::testing::Test {
 protected:
  std::string PlanReport(std::string_view root, StatusReportOptions options = {}) {
    h_.Add("Root").Deps({"InPlace", "After", "Broken"});
    h_.Add("InPlace");
    h_.Add("Drifted", {CheckThat([](Context&) { return false; }, "the file differs"), {}, {}});
    h_.Add("After").Deps({"Drifted"});
    h_.registry.Add("Broken",
                    []() -> std::unique_ptr<Job> { throw std::runtime_error("no config"); });
    result_ = h_.Run(root, {.no_act = true, .stop = stop_.get_token()});
    plan_.emplace(DryRunPlan::Of(*h_.graph, result_));
    options.no_act = true;
    options.plan = &*plan_;
    return Report(h_, result_, options);
  }

  Harness h_;
  std::stop_source stop_;
  RunResult result_;
  std::optional<DryRunPlan> plan_;
};

TEST_F(StatusReportPlanTest, SpeaksOfAPlan) {
  const std::string text = PlanReport("Root");
  EXPECT_NE(text.find("JOB      STATUS     TRIES      TIME  DETAIL\n"), std::string::npos) << text;
  EXPECT_NE(text.find("InPlace  ok             1"), std::string::npos) << text;
  EXPECT_NE(text.find("Drifted  would run      1"), std::string::npos) << text;
  EXPECT_NE(text.find("  the file differs\n"), std::string::npos) << text;
  EXPECT_NE(text.find("After    unknown        0         -  depends on: Drifted would run\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Broken   failed         1"), std::string::npos) << text;
  EXPECT_NE(text.find("Root     unknown        0         -  depends on: Drifted would run; "
                      "Broken failed (cannot create the job: no config)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\n5 jobs in 0.000s (dry run: only Checks were called).\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Plan: 1 to run, 2 unknown, 1 ok, 1 failed\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("Result:"), std::string::npos) << text;
  EXPECT_EQ(text.find("blocked"), std::string::npos) << text;
}

TEST_F(StatusReportPlanTest, LeavesOutFailedWhenNoneIs) {
  const std::string text = PlanReport("After");
  EXPECT_NE(text.find("Plan: 1 to run, 1 unknown, 0 ok\n"), std::string::npos) << text;
}

TEST_F(StatusReportPlanTest, ColoursTheStepsAndThePlan) {
  const std::string text = PlanReport("After", {.color = true});
  EXPECT_NE(text.find("\033[1;33mwould run"), std::string::npos) << text;
  EXPECT_NE(text.find("\033[33munknown"), std::string::npos) << text;
  EXPECT_NE(text.find("Plan: \033[1;33m1 to run, 1 unknown, 0 ok\033[0m\n"), std::string::npos)
      << text;
}

TEST_F(StatusReportPlanTest, NothingToDoIsGreen) {
  const std::string text = PlanReport("InPlace", {.color = true});
  EXPECT_NE(text.find("Plan: \033[1;32m0 to run, 0 unknown, 1 ok\033[0m\n"), std::string::npos)
      << text;
}

TEST_F(StatusReportPlanTest, LargePlansListOnlyWhatIsNotOk) {
  const std::string text = PlanReport("Root", {.full_listing_limit = 3, .max_rows = 50});
  EXPECT_NE(text.find("Showing failed, would-run and unknown jobs only (4 of 5 jobs"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("InPlace"), std::string::npos) << text;
  EXPECT_LT(text.find("Broken   failed"), text.find("Drifted  would run")) << text;
  EXPECT_LT(text.find("Drifted  would run"), text.find("After    unknown")) << text;
}

// A stop after Drifted's Check: what the Checks said is kept and listed;
// only the jobs never tried with nothing failed before them are left out
// as unsettled.
TEST_F(StatusReportPlanTest, AStoppedLargePlanListsWhatWouldRun) {
  h_.Add("Stopper", {[&](Context&) { stop_.request_stop(); }, {}, {}});
  h_.Add("Late");
  h_.Add("Top").Deps({"Drifted", "Stopper", "Late"});
  const std::string text = PlanReport("Top", {.full_listing_limit = 2, .max_rows = 50});
  EXPECT_NE(text.find("Showing failed, would-run and unknown jobs only (2 of 4 jobs"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Drifted  would run      1"), std::string::npos) << text;
  EXPECT_NE(text.find("  the file differs\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Top      unknown        0         -  depends on: Drifted would run\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("Late"), std::string::npos) << text;
  EXPECT_NE(text.find("Interrupted: 1 job left unsettled.\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Plan: INTERRUPTED, 1 to run, 2 unknown, 1 ok\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace dojobber::core
