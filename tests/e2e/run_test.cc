// `dojobber run` on the movie example, the SDK sample and the test plugins:
// exit statuses, the status report, arguments and cleanups.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"

namespace dojobber::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The status of every movie job in a default run (EXAMPLE-movie.md).
const std::map<std::string, std::string>& DefaultMovieStatuses() {
  static const std::map<std::string, std::string> kStatuses = {{"ValidateMovie", "ok"},
                                                               {"PickTimeAndDate", "changed"},
                                                               {"DetermineDetails", "ok"},
                                                               {"Invite Wendell Bagg", "changed"},
                                                               {"Invite Lawyer Cat", "changed"},
                                                               {"InviteFriends", "ok"},
                                                               {"FriendsArrive", "ok"},
                                                               {"CleanCouch", "changed"},
                                                               {"FluffPillows", "changed"},
                                                               {"PrepareRoom", "ok"},
                                                               {"FindTVRemote", "ok"},
                                                               {"TurnOnTV", "failed"},
                                                               {"InsertDVD", "ok"},
                                                               {"SitOnCouch", "failed"},
                                                               {"PopcornBowl", "changed"},
                                                               {"Popcorn", "changed"},
                                                               {"Pizza", "changed"},
                                                               {"Food", "ok"},
                                                               {"StartMovie", "blocked"},
                                                               {"WatchMovie", "blocked"}};
  return kStatuses;
}

TEST(RunCommand, MovieDefaultsFailTurnOnTVAndSitOnCouch) {
  const ProcessResult result = RunMovie("WatchMovie");

  EXPECT_EQ(result.exit_code, 1) << result.err;
  const std::vector<StatusRow> rows = ParseStatusTable(result.out);
  EXPECT_EQ(StatusesOf(rows), DefaultMovieStatuses());
  std::vector<std::string> order;
  for (const StatusRow& row : rows) order.push_back(row.name);
  EXPECT_EQ(order, MovieRunOrder()) << "the status report lists the jobs in run order";
  const StatusRow tv = FindRow(rows, "TurnOnTV");
  EXPECT_EQ(tv.tries, 3);
  EXPECT_EQ(tv.detail, "Remote batteries are dead.");
  const StatusRow couch = FindRow(rows, "SitOnCouch");
  EXPECT_EQ(couch.tries, 3);
  EXPECT_EQ(couch.detail, "No space on couch.");
  const StatusRow start = FindRow(rows, "StartMovie");
  EXPECT_EQ(start.tries, 0);
  EXPECT_EQ(start.time, "-");
  EXPECT_EQ(start.detail,
            "blocked: TurnOnTV failed (Remote batteries are dead.); SitOnCouch failed (No space on "
            "couch.)");
  EXPECT_EQ(FindRow(rows, "WatchMovie").detail, start.detail)
      << "the failed jobs at the root, not the direct dependency";
  EXPECT_EQ(FindRow(rows, "PopcornBowl").tries, 8);
  EXPECT_EQ(FindRow(rows, "Popcorn").tries, 5);
  EXPECT_EQ(FindRow(rows, "Pizza").tries, 3);
  EXPECT_EQ(FindRow(rows, "FindTVRemote").detail, "");
  EXPECT_THAT(result.out, HasSubstr("\n20 jobs: 8 ok, 8 changed, 2 failed, 2 blocked in "));
  EXPECT_EQ(LastLine(result.out), "Result: FAILED (partial success)");
}

TEST(RunCommand, ChargedBatteryAndCouchSpaceSucceed) {
  const ProcessResult result =
      RunMovie("WatchMovie", {"--arg", "battery_state=charged", "--arg", "couch_space=true"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  const std::vector<StatusRow> rows = ParseStatusTable(result.out);
  ASSERT_EQ(rows.size(), 20u) << result.out;
  for (const StatusRow& row : rows) {
    EXPECT_THAT(row.status, ::testing::AnyOf("ok", "changed")) << row.name;
  }
  EXPECT_EQ(FindRow(rows, "TurnOnTV").status, "ok");
  EXPECT_EQ(FindRow(rows, "SitOnCouch").status, "ok");
  EXPECT_EQ(FindRow(rows, "WatchMovie").status, "ok");
  EXPECT_THAT(result.out, HasSubstr("\n20 jobs: 12 ok, 8 changed, 0 failed, 0 blocked in "));
  EXPECT_EQ(LastLine(result.out), "Result: SUCCESS");
}

// Runs the movie with a working TV and couch, so only `arg` can fail it.
ProcessResult RunHappyMovieWith(const std::string& arg) {
  return RunMovie("WatchMovie",
                  {"--arg", "battery_state=charged", "--arg", "couch_space=true", "--arg", arg});
}

TEST(RunCommand, PizzaFailsAfterItsThreeTries) {
  const ProcessResult result = RunHappyMovieWith("pizza_success_try=4");

  EXPECT_EQ(result.exit_code, 1) << result.err;
  const std::vector<StatusRow> rows = ParseStatusTable(result.out);
  const StatusRow pizza = FindRow(rows, "Pizza");
  EXPECT_EQ(pizza.status, "failed");
  EXPECT_EQ(pizza.tries, 3);
  EXPECT_EQ(pizza.detail, "Giordano's did not arrive yet.");
  EXPECT_EQ(FindRow(rows, "Popcorn").status, "changed");
  EXPECT_EQ(FindRow(rows, "Food").detail, "blocked: Pizza failed (Giordano's did not arrive yet.)");
  EXPECT_EQ(FindRow(rows, "StartMovie").detail,
            "blocked: Pizza failed (Giordano's did not arrive yet.)");
  EXPECT_THAT(result.out, HasSubstr("\n20 jobs: 9 ok, 7 changed, 1 failed, 3 blocked in "));
  EXPECT_EQ(LastLine(result.out), "Result: FAILED (partial success)");
}

TEST(RunCommand, PopcornFailsAfterItsFiveTries) {
  const ProcessResult result = RunHappyMovieWith("pop_success_try=6");

  EXPECT_EQ(result.exit_code, 1) << result.err;
  const std::vector<StatusRow> rows = ParseStatusTable(result.out);
  const StatusRow popcorn = FindRow(rows, "Popcorn");
  EXPECT_EQ(popcorn.status, "failed");
  EXPECT_EQ(popcorn.tries, 5);
  EXPECT_EQ(popcorn.detail, "Still popping...");
  EXPECT_EQ(FindRow(rows, "PopcornBowl").status, "changed");
  EXPECT_EQ(FindRow(rows, "Pizza").status, "changed");
  EXPECT_EQ(FindRow(rows, "Food").detail, "blocked: Popcorn failed (Still popping...)");
}

TEST(RunCommand, PopcornBowlFailsAfterItsEightTriesAndBlocksPopcorn) {
  const ProcessResult result = RunHappyMovieWith("bowl_success_try=9");

  EXPECT_EQ(result.exit_code, 1) << result.err;
  const std::vector<StatusRow> rows = ParseStatusTable(result.out);
  const StatusRow bowl = FindRow(rows, "PopcornBowl");
  EXPECT_EQ(bowl.status, "failed");
  EXPECT_EQ(bowl.tries, 8);
  EXPECT_EQ(bowl.detail, "Dishwasher cycle not done yet.");
  const StatusRow popcorn = FindRow(rows, "Popcorn");
  EXPECT_EQ(popcorn.status, "blocked");
  EXPECT_EQ(popcorn.tries, 0);
  EXPECT_EQ(popcorn.detail, "blocked: PopcornBowl failed (Dishwasher cycle not done yet.)");
  EXPECT_EQ(FindRow(rows, "Pizza").status, "changed");
  EXPECT_EQ(FindRow(rows, "Food").detail, popcorn.detail);
}

TEST(RunCommand, NoActOnlyChecksInOnePass) {
  const ProcessResult result = RunMovie("WatchMovie", {"-n", "-v"});

  EXPECT_EQ(result.exit_code, 1) << result.err;
  for (const std::string& line : PhaseLines(result.err)) {
    EXPECT_THAT(line, HasSubstr(".check: ")) << "only checks in a dry run";
  }
  EXPECT_THAT(result.err, Not(HasSubstr("Pillows fluffed.")));
  const std::vector<StatusRow> rows = ParseStatusTable(result.out);
  ASSERT_EQ(rows.size(), 20u) << result.out;
  const StatusRow pillows = FindRow(rows, "FluffPillows");
  EXPECT_EQ(pillows.status, "would run");
  EXPECT_EQ(pillows.detail, "Runonly node check intentionally fails first time.");
  EXPECT_EQ(FindRow(rows, "Pizza").status, "would run");
  EXPECT_EQ(FindRow(rows, "PopcornBowl").detail, "Dishwasher cycle not done yet.");
  EXPECT_EQ(FindRow(rows, "FindTVRemote").status, "ok");
  for (const StatusRow& row : rows) {
    EXPECT_NE(row.status, "changed") << row.name;
    if (row.status != "unknown") {
      EXPECT_EQ(row.tries, 1) << row.name << ": no second pass";
    }
  }
  EXPECT_THAT(result.out, HasSubstr(" (dry run: only Checks were called).\n"));
  EXPECT_EQ(LastLine(result.out), "Plan: 6 to run, 11 unknown, 3 ok");
}

TEST(RunCommand, SdkSampleRunsAsWritten) {
  const ProcessResult result = RunDojobber({"run", "--plugin", TestPlugin("sdk_sample").string(),
                                            "--root", "Party", "--default-retry-delay", "0"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  const std::vector<StatusRow> rows = ParseStatusTable(result.out);
  EXPECT_EQ(StatusesOf(rows), (std::map<std::string, std::string>{{"FindTVRemote", "ok"},
                                                                  {"TurnOnTV", "changed"},
                                                                  {"PopcornBowl", "changed"},
                                                                  {"Pizza", "changed"},
                                                                  {"Food", "ok"},
                                                                  {"DetermineDetails", "ok"},
                                                                  {"Invite Ada", "changed"},
                                                                  {"Invite Grace", "changed"},
                                                                  {"Party", "ok"}}));
  EXPECT_EQ(FindRow(rows, "PopcornBowl").tries, 2);
  EXPECT_THAT(result.err, HasSubstr("[TurnOnTV] TV on.\n"));
  EXPECT_THAT(result.err, HasSubstr("[Pizza] Pizza ordered.\n"));
  EXPECT_EQ(CountLines(result.err, "[TurnOnTV] TV off."), 1) << "TurnOnTV's Cleanup runs once";
  EXPECT_EQ(LastLine(result.out), "Result: SUCCESS");
}

TEST(RunCommand, PositionalAndKeywordArgumentsReachTheJobs) {
  const ProcessResult result =
      RunDojobber({"run", "--plugin", TestPlugin("report_jobs").string(), "--root", "Echo", "--arg",
                   "sentence=a=b and c", "--arg", "empty=", "--arg", "twice=first", "-a",
                   "twice=second", "--", "one", "two words", "--root", "--", "-v"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(Lines(result.err), (std::vector<std::string>{
                                   "[Echo] positional 0: [one]",
                                   "[Echo] positional 1: [two words]",
                                   "[Echo] positional 2: [--root]",
                                   "[Echo] positional 3: [--]",
                                   "[Echo] positional 4: [-v]",
                                   "[Echo] keyword [empty]: []",
                                   "[Echo] keyword [sentence]: [a=b and c]",
                                   "[Echo] keyword [twice]: [second]",
                               }));
}

TEST(RunCommand, QuietHidesTheJobsLogLines) {
  const ProcessResult result = RunMovie("WatchMovie", {"-q"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(LastLine(result.out), "Result: FAILED (partial success)");
}

TEST(RunCommand, MovieCleanupRunsAfterTheRun) {
  TempDir dir;
  const ProcessResult result =
      RunMovie("PrepareRoom", {"--arg", "cleanup_log=" + (dir / "cleanup.txt").string()});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(ReadFile(dir / "cleanup.txt"), "CleanCouch cleanup (try 1)\n");
  EXPECT_THAT(result.err, HasSubstr("[CleanCouch] Putting the feather duster away.\n"));
}

TEST(RunCommand, NoCleanupSkipsCleanups) {
  TempDir dir;
  const ProcessResult result = RunMovie(
      "PrepareRoom", {"--no-cleanup", "--arg", "cleanup_log=" + (dir / "cleanup.txt").string()});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(dir.Entries(), std::vector<std::string>{});
  EXPECT_THAT(result.err, Not(HasSubstr("feather duster")));
}

TEST(RunCommand, FailingCleanupExitsThreeAndStopsLaterCleanups) {
  const ProcessResult result = RunDojobber({"run", "--plugin", TestPlugin("cleanup_fails").string(),
                                            "--root", "CleanupRoot", "--default-retry-delay", "0"});

  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.out, HasSubstr("\nCleanup of Leaky (try 1) failed: cannot unmount "
                                    "/mnt/scratch; 1 cleanup not run.\n"));
  EXPECT_EQ(LastLine(result.out), "Result: SUCCESS, CLEANUP FAILED");
  EXPECT_THAT(result.err, HasSubstr("[CleanupRoot] root cleanup\n"));
  EXPECT_THAT(result.err, Not(HasSubstr("first cleanup")));
}

TEST(RunCommand, NoCleanupAvoidsTheFailingCleanup) {
  const ProcessResult result =
      RunDojobber({"run", "--plugin", TestPlugin("cleanup_fails").string(), "--root", "CleanupRoot",
                   "--default-retry-delay", "0", "--no-cleanup"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(LastLine(result.out), "Result: SUCCESS");
}

TEST(RunCommand, NoColourWhenStdoutIsAPipe) {
  // TERM names a colour terminal and NO_COLOR is unset: only the pipe decides.
  const ProcessResult result = RunMovie("WatchMovie", {"-v"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.out, Not(HasSubstr("\033")));
  EXPECT_THAT(result.err, Not(HasSubstr("\033")));
  EXPECT_THAT(result.out, HasSubstr("Result: FAILED (partial success)\n"));
}

// On a terminal (script(1) gives the run one), colour unless NO_COLOR holds
// a value; an empty NO_COLOR counts as unset (no-color.org).
TEST(RunCommand, ColourOnATerminalUnlessNoColorIsSet) {
  if (!std::filesystem::exists("/usr/bin/script")) GTEST_SKIP() << "no script(1)";
  const std::string command = DojobberBin().string() + " run --plugin movie --root ValidateMovie";
  for (const auto& [no_color, coloured] :
       {std::pair<std::optional<std::string>, bool>{std::nullopt, true},
        {"", true},
        {"1", false}}) {
    ProcessOptions options;
    options.env["NO_COLOR"] = no_color;
    options.env["DOJOBBER_PLUGIN_PATH"] = std::nullopt;
    options.env["TERM"] = "xterm-256color";
    const ProcessResult result =
        RunProcess({"/usr/bin/script", "-qec", command, "/dev/null"}, options);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.out.find("Result: \033[1;32mSUCCESS\033[0m") != std::string::npos, coloured)
        << "NO_COLOR=" << no_color.value_or("(unset)") << ":\n"
        << result.out;
  }
}

TEST(RunCommand, ParallelRunReachesTheSameStatuses) {
  const ProcessResult result = RunMovie("WatchMovie", {"-j", "4"});

  EXPECT_EQ(result.exit_code, 1) << result.err;
  const std::vector<StatusRow> rows = ParseStatusTable(result.out);
  EXPECT_EQ(StatusesOf(rows), DefaultMovieStatuses());
  EXPECT_EQ(FindRow(rows, "PopcornBowl").tries, 8);
  EXPECT_EQ(FindRow(rows, "Popcorn").tries, 5);
  EXPECT_EQ(FindRow(rows, "TurnOnTV").tries, 3);
  EXPECT_EQ(LastLine(result.out), "Result: FAILED (partial success)");
}

TEST(RunCommand, DefaultTriesAppliesToJobsWithoutTheirOwn) {
  const ProcessResult result = RunMovie("WatchMovie", {"--default-tries", "1"});

  EXPECT_EQ(result.exit_code, 1);
  const std::vector<StatusRow> rows = ParseStatusTable(result.out);
  EXPECT_EQ(FindRow(rows, "TurnOnTV").tries, 1);
  EXPECT_EQ(FindRow(rows, "SitOnCouch").tries, 1);
  // Jobs that set their own tries keep them.
  EXPECT_EQ(FindRow(rows, "PopcornBowl").tries, 8);
  EXPECT_EQ(FindRow(rows, "Popcorn").status, "changed");
  EXPECT_EQ(FindRow(rows, "Pizza").status, "changed");
}

}  // namespace
}  // namespace dojobber::e2e
