// A dry run read as a plan (`--no-act`): the status table's words (ok, would
// run, unknown, failed), the `Plan:` line, the JSON report's `plan` fields,
// and the exit statuses of `--detailed-exitcode`, on the movie example.

#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_support.h"

namespace dojobber::e2e {
namespace {

using ::testing::ElementsAre;
using Json = nlohmann::json;

// A state where every Check passes: the TV's batteries are charged, the
// movie is one of those available.
const std::vector<std::string> kAllDone = {"--root", "InsertDVD", "--arg", "battery_state=charged",
                                           "--no-act"};

TEST(DryRunPlan, EverythingInPlaceIsNothingToDo) {
  TempDir dir;
  std::vector<std::string> args = kAllDone;
  args.insert(args.end(), {"--detailed-exitcode", "--report", (dir / "r.json").string()});
  const ProcessResult result = RunMovie("TurnOnTV", args);

  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(StatusesOf(ParseStatusTable(result.out)),
            (std::map<std::string, std::string>{{"FindTVRemote", "ok"},
                                                {"TurnOnTV", "ok"},
                                                {"ValidateMovie", "ok"},
                                                {"InsertDVD", "ok"}}));
  EXPECT_EQ(LastLine(result.out), "Plan: 0 to run, 0 unknown, 4 ok");
  const Json report = ReadJsonReport(dir / "r.json");
  EXPECT_EQ(report["exit_code"], 0);
  EXPECT_EQ(report["plan"], Json::parse(R"({"ok":4,"would_run":0,"unknown":0,"failed":0})"));
  EXPECT_EQ(report["jobs"]["TurnOnTV"]["plan"], "ok");
  EXPECT_EQ(report["jobs"]["TurnOnTV"]["status"], "ok");

  EXPECT_EQ(RunMovie("TurnOnTV", kAllDone).exit_code, 0) << "the plain status, too";
}

// No start time picked yet: PickTimeAndDate's Check fails, so a real run
// would run it, and what depends on it cannot be checked before that.
TEST(DryRunPlan, DriftIsWouldRunAndWhatDependsOnItUnknown) {
  TempDir dir;
  const ProcessResult result = RunMovie("FriendsArrive", {"--no-act", "-v", "--detailed-exitcode",
                                                          "--report", (dir / "r.json").string()});

  EXPECT_EQ(result.exit_code, 6) << result.out << result.err;
  const std::vector<StatusRow> rows = ParseStatusTable(result.out);
  EXPECT_EQ(StatusesOf(rows),
            (std::map<std::string, std::string>{{"ValidateMovie", "ok"},
                                                {"PickTimeAndDate", "would run"},
                                                {"DetermineDetails", "unknown"},
                                                {"Invite Wendell Bagg", "unknown"},
                                                {"Invite Lawyer Cat", "unknown"},
                                                {"InviteFriends", "unknown"},
                                                {"FriendsArrive", "unknown"}}));
  const StatusRow pick = FindRow(rows, "PickTimeAndDate");
  EXPECT_EQ(pick.tries, 1);
  EXPECT_EQ(pick.detail, "No start date and time picked yet.");
  const StatusRow arrive = FindRow(rows, "FriendsArrive");
  EXPECT_EQ(arrive.tries, 0);
  EXPECT_EQ(arrive.detail, "depends on: PickTimeAndDate would run");
  EXPECT_THAT(SummaryLines(result.out),
              ElementsAre(::testing::MatchesRegex(
                              "7 jobs in [0-9.]+s \\(dry run: only Checks were called\\)\\."),
                          "Plan: 1 to run, 5 unknown, 1 ok"));
  // The trace is the engine's, as without the plan.
  EXPECT_THAT(PhaseLines(result.err),
              ElementsAre("ValidateMovie.check: pass", "PickTimeAndDate.check: fail"));

  const Json report = ReadJsonReport(dir / "r.json");
  EXPECT_EQ(report["exit_code"], 6);
  EXPECT_EQ(report["plan"], Json::parse(R"({"ok":1,"would_run":1,"unknown":5,"failed":0})"));
  EXPECT_EQ(report["counts"], Json::parse(R"({"ok":1,"changed":0,"failed":1,"blocked":5})"))
      << "the statuses stay the engine's";
  EXPECT_EQ(report["jobs"]["PickTimeAndDate"]["plan"], "would_run");
  EXPECT_EQ(report["jobs"]["PickTimeAndDate"]["status"], "failed");
  EXPECT_EQ(report["jobs"]["FriendsArrive"]["plan"], "unknown");
  EXPECT_EQ(report["jobs"]["FriendsArrive"]["status"], "blocked");

  const ProcessResult plain = RunMovie("FriendsArrive", {"--no-act"});
  EXPECT_EQ(plain.exit_code, 1) << "without --detailed-exitcode, as documented";
  EXPECT_EQ(LastLine(plain.out), "Plan: 1 to run, 5 unknown, 1 ok");
}

// The whole movie: two RunonlyJobs (FluffPillows, Pizza) cannot be judged
// without running them.
TEST(DryRunPlan, ARunonlyJobCannotBeJudged) {
  TempDir dir;
  const ProcessResult result = RunMovie(
      "WatchMovie", {"--no-act", "--detailed-exitcode", "--report", (dir / "r.json").string()});

  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  const std::vector<StatusRow> rows = ParseStatusTable(result.out);
  EXPECT_EQ(FindRow(rows, "FluffPillows").status, "failed");
  EXPECT_EQ(FindRow(rows, "FluffPillows").detail,
            "Runonly node check intentionally fails first time.");
  EXPECT_EQ(FindRow(rows, "Pizza").status, "failed");
  EXPECT_EQ(FindRow(rows, "TurnOnTV").status, "would run");
  EXPECT_EQ(FindRow(rows, "TurnOnTV").detail, "Remote batteries are dead.");
  EXPECT_EQ(FindRow(rows, "PrepareRoom").detail,
            "depends on: CleanCouch would run; FluffPillows failed (Runonly node check "
            "intentionally fails first time.)");
  EXPECT_EQ(LastLine(result.out), "Plan: 4 to run, 11 unknown, 3 ok, 2 failed");
  const Json report = ReadJsonReport(dir / "r.json");
  EXPECT_EQ(report["exit_code"], 1);
  EXPECT_EQ(report["plan"], Json::parse(R"({"ok":3,"would_run":4,"unknown":11,"failed":2})"));
  EXPECT_EQ(report["jobs"]["Pizza"]["plan"], "failed");
}

// Checks that end by the job's own verdict (any exception) would run; tries
// that fail around their Check (a constructor, a time limit) are failed, in
// dojobber's process and in a try's own.
TEST(DryRunPlan, ATryThatFailsAroundItsCheckCannotBeJudged) {
  for (const std::string executor : {"local", "isolate"}) {
    TempDir dir;
    const ProcessResult result =
        RunDojobber({"run", "--plugin", TestPlugin("faults").string(), "--root", "Survivable",
                     "--no-act", "--detailed-exitcode", "-j", "6", "--executor", executor,
                     "--report", (dir / "r.json").string()});

    EXPECT_EQ(result.exit_code, 1) << executor << result.out << result.err;
    const Json jobs = ReadJsonReport(dir / "r.json")["jobs"];
    std::map<std::string, std::string> steps;
    for (const auto& [name, job] : jobs.items()) steps[name] = job.value("plan", "");
    EXPECT_EQ(steps, (std::map<std::string, std::string>{{"Survivor", "ok"},
                                                         {"ThrowsStd", "would_run"},
                                                         {"ThrowsInt", "would_run"},
                                                         {"ThrowsInConstructor", "failed"},
                                                         {"Hang", "failed"},
                                                         {"SleepsPastTimeout", "failed"},
                                                         {"Survivable", "unknown"}}))
        << executor;
    EXPECT_EQ(jobs["Hang"]["error"], "timed out after 1 s") << executor;
    EXPECT_EQ(LastLine(result.out), "Plan: 2 to run, 1 unknown, 1 ok, 3 failed") << executor;
  }
}

TEST(DetailedExitcode, InARealRunSixMeansSomethingChanged) {
  const std::vector<std::string> fixed = {"--arg", "battery_state=charged", "--arg",
                                          "couch_space=true", "--detailed-exitcode"};
  const ProcessResult changed = RunMovie("WatchMovie", fixed);
  EXPECT_EQ(changed.exit_code, 6) << changed.out << changed.err;
  EXPECT_EQ(LastLine(changed.out), "Result: SUCCESS");

  const ProcessResult in_place = RunMovie("FindTVRemote", {"--detailed-exitcode"});
  EXPECT_EQ(in_place.exit_code, 0) << in_place.out << in_place.err;

  const ProcessResult failed = RunMovie("TurnOnTV", {"--detailed-exitcode"});
  EXPECT_EQ(failed.exit_code, 1) << failed.out << failed.err;

  EXPECT_EQ(RunMovie("WatchMovie", {"--arg", "battery_state=charged", "--arg", "couch_space=true"})
                .exit_code,
            0)
      << "without the flag, as documented";
}

}  // namespace
}  // namespace dojobber::e2e
