// A dry run read as a plan (`--no-act`): the status table's words (ok, would
// run, unknown, failed), the `Plan:` line, the JSON report's `plan` fields,
// and the exit statuses of `--detailed-exitcode`, on the movie example; and
// a dry run stopped by Ctrl-C, on the faults plugin's CheckChain:
//
//   CheckChain                   (DummyJob)
//   |-- MissingA                 Check fails at once, 3 tries
//   `-- AfterSlowCheck
//       `-- SlowCheck            Check logs "checking" and passes once the
//                                stop reaches it (deaf=true: never ends)
//
// tried in that order, MissingA, SlowCheck, AfterSlowCheck, CheckChain. The
// signal is sent once the trace shows MissingA's Check failed and SlowCheck's
// started; SlowCheck's Check ends only after the stop, so nothing starts
// after it, however the threads are scheduled.

#include <csignal>
#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_support.h"
#include "tests/e2e/hardening_support.h"

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

// The whole movie: two RunonlyJobs (FluffPillows, Pizza), whose Checks fail
// by design, always run in a real run, so they would run; the plan agrees
// with the real run, which succeeds.
TEST(DryRunPlan, ARunonlyJobWouldRun) {
  TempDir dir;
  const ProcessResult result = RunMovie(
      "WatchMovie", {"--no-act", "--detailed-exitcode", "--report", (dir / "r.json").string()});

  EXPECT_EQ(result.exit_code, 6) << result.out << result.err;
  const std::vector<StatusRow> rows = ParseStatusTable(result.out);
  EXPECT_EQ(FindRow(rows, "FluffPillows").status, "would run");
  EXPECT_EQ(FindRow(rows, "FluffPillows").detail,
            "Runonly node check intentionally fails first time.");
  EXPECT_EQ(FindRow(rows, "Pizza").status, "would run");
  EXPECT_EQ(FindRow(rows, "TurnOnTV").status, "would run");
  EXPECT_EQ(FindRow(rows, "TurnOnTV").detail, "Remote batteries are dead.");
  EXPECT_EQ(FindRow(rows, "PrepareRoom").detail,
            "depends on: CleanCouch would run; FluffPillows would run");
  EXPECT_EQ(LastLine(result.out), "Plan: 6 to run, 11 unknown, 3 ok");
  const Json report = ReadJsonReport(dir / "r.json");
  EXPECT_EQ(report["exit_code"], 6);
  EXPECT_EQ(report["plan"], Json::parse(R"({"ok":3,"would_run":6,"unknown":11,"failed":0})"));
  EXPECT_EQ(report["jobs"]["Pizza"]["plan"], "would_run");
  EXPECT_EQ(report["jobs"]["Pizza"]["status"], "failed") << "the status stays the engine's";

  // explain agrees with the table.
  const ProcessResult explained =
      RunDojobber({"explain", "Food", "--report", (dir / "r.json").string()});
  EXPECT_EQ(explained.exit_code, 1) << explained.err;
  EXPECT_EQ(explained.out,
            "Food: unknown, 0 tries\n"
            "  Popcorn: unknown, 0 tries\n"
            "    PopcornBowl: would run, 1 try: Dishwasher cycle not done yet.\n"
            "  Pizza: would run, 1 try: Runonly node check intentionally fails first time.\n");
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

constexpr const char* kStopping =
    "dojobber: interrupted: starting no new tries; letting running ones finish, then cleaning up "
    "(interrupt again to exit at once)";

// Starts a dry run of CheckChain and signals it once MissingA's Check has
// failed and SlowCheck's has started.
ProcessResult StopDryRun(const TempDir& dir, std::vector<std::string> extra) {
  std::vector<std::string> args = {"run",    "--plugin",   TestPlugin("faults").string(),
                                   "--root", "CheckChain", "--no-act",
                                   "-v",     "--report",   (dir / "r.json").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  RunningProcess dojobber = StartDojobber(std::move(args));
  EXPECT_TRUE(dojobber.WaitForStderrLine("MissingA.check: fail"));
  EXPECT_TRUE(dojobber.WaitForStderrLine("[SlowCheck] checking"));
  dojobber.Signal(SIGINT);
  return dojobber.Wait();
}

// What one job of a stopped dry run reads in the table and the JSON report.
void ExpectStep(const std::vector<StatusRow>& rows, const Json& report, const std::string& name,
                const std::string& step, int tries, const std::string& detail, bool interrupted) {
  SCOPED_TRACE(name);
  const StatusRow row = FindRow(rows, name);
  EXPECT_EQ(row.status, step);
  EXPECT_EQ(row.tries, tries);
  EXPECT_EQ(row.detail, detail);
  const Json& job = report.at("jobs").at(name);
  EXPECT_EQ(job.at("plan"), step == "would run" ? "would_run" : step);
  EXPECT_EQ(job.at("interrupted"), interrupted);
}

class StoppedDryRun : public testing::TestWithParam<RunMode> {};

// A dry run tries each job once: a Check that ended, failing or not, is
// settled, however many tries the job has; what was never tried is
// unknown, and unsettled when nothing it depends on would run.
TEST_P(StoppedDryRun, KeepsWhatTheChecksThatEndedSaid) {
  TempDir dir;
  const ProcessResult result = StopDryRun(dir, GetParam().flags);

  EXPECT_EQ(result.exit_code, 130) << result.out << result.err;
  EXPECT_NE(result.err.find(std::string("\n") + kStopping + "\n"), std::string::npos) << result.err;
  const std::vector<StatusRow> rows = ParseStatusTable(result.out);
  const Json report = ReadJsonReport(dir / "r.json");
  ASSERT_EQ(rows.size(), 4u) << result.out;
  ExpectStep(rows, report, "MissingA", "would run", 1, "missing a", false);
  ExpectStep(rows, report, "SlowCheck", "ok", 1, "", false);
  ExpectStep(rows, report, "AfterSlowCheck", "unknown", 0, "not tried: interrupted", true);
  ExpectStep(rows, report, "CheckChain", "unknown", 0, "depends on: MissingA would run", false);
  EXPECT_THAT(SummaryLines(result.out),
              ElementsAre(::testing::StartsWith("4 jobs in "), "Interrupted: 1 job left unsettled.",
                          "Plan: INTERRUPTED, 1 to run, 2 unknown, 1 ok"));
  EXPECT_EQ(report["plan"], Json::parse(R"({"ok":1,"would_run":1,"unknown":2,"failed":0})"));
  EXPECT_EQ(report["interrupted"], true);
  EXPECT_EQ(report["exit_code"], 130);
}

INSTANTIATE_TEST_SUITE_P(Modes, StoppedDryRun, testing::ValuesIn(AllRunModes()), RunModeName);

// An isolated Check still running at the end of the grace period is killed:
// it said nothing, so its job is unknown and unsettled, as is what depends
// on it alone.
TEST(StoppedDryRun, AKilledCheckIsUnknownAndInterrupted) {
  TempDir dir;
  const ProcessResult result = StopDryRun(dir, {"--isolate", "-j", "4", "--arg", "deaf=true"});

  EXPECT_EQ(result.exit_code, 130) << result.out << result.err;
  const std::vector<StatusRow> rows = ParseStatusTable(result.out);
  const Json report = ReadJsonReport(dir / "r.json");
  const std::string killed = "interrupted: killed at the end of the grace period";
  ExpectStep(rows, report, "MissingA", "would run", 1, "missing a", false);
  ExpectStep(rows, report, "SlowCheck", "unknown", 1, killed, true);
  ExpectStep(rows, report, "AfterSlowCheck", "unknown", 0, "not tried: interrupted", true);
  ExpectStep(rows, report, "CheckChain", "unknown", 0,
             "depends on: MissingA would run; SlowCheck unknown (" + killed + ")", false);
  EXPECT_EQ(report["jobs"]["SlowCheck"]["error"], killed);
  EXPECT_EQ(LastLine(result.out), "Plan: INTERRUPTED, 1 to run, 3 unknown, 0 ok");
}

}  // namespace
}  // namespace dojobber::e2e
