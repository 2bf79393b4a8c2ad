// The verbose (-v) and debug (-d) trace on stderr, which users grep: its
// lines and their order are a contract (SEMANTICS.md, "Output" and "One run").

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"

namespace dojobber::e2e {
namespace {

using ::testing::HasSubstr;

// Builds the expected phase lines of a run, one job's try at a time.
class Trace {
 public:
  /// Check passes.
  Trace& Ok(const std::string& job) { return Add(job + ".check: pass"); }
  /// Check fails, Run passes, recheck passes.
  Trace& Changed(const std::string& job) {
    return Add(job + ".check: fail").Add(job + ".run: pass").Add(job + ".recheck: pass");
  }
  /// Check fails, Run passes, recheck fails with `error`.
  Trace& Failed(const std::string& job, const std::string& error) {
    return Add(job + ".check: fail")
        .Add(job + ".run: pass")
        .Add(job + ".recheck: fail \"" + error + "\"");
  }
  /// Check fails, Run fails, recheck fails with `error` (a runonly job).
  Trace& RunFailed(const std::string& job, const std::string& error) {
    return Add(job + ".check: fail")
        .Add(job + ".run: fail")
        .Add(job + ".recheck: fail \"" + error + "\"");
  }
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  Trace& Add(std::string line) {
    lines_.push_back(std::move(line));
    return *this;
  }
  std::vector<std::string> lines_;
};

constexpr const char* kBatteries = "Remote batteries are dead.";
constexpr const char* kCouch = "No space on couch.";
constexpr const char* kBowl = "Dishwasher cycle not done yet.";
constexpr const char* kPizza = "Giordano's did not arrive yet.";
constexpr const char* kPopping = "Still popping...";

TEST(RunTrace, VerboseFollowsPassesInPostOrderRoundRobin) {
  const ProcessResult result = RunMovie("WatchMovie", {"-v"});
  ASSERT_EQ(result.exit_code, 1) << result.err;

  Trace expected;
  // Pass 1: every job in depth-first post-order from WatchMovie; Popcorn,
  // Food, StartMovie and WatchMovie are blocked.
  expected.Ok("ValidateMovie").Changed("PickTimeAndDate").Ok("DetermineDetails");
  expected.Changed("Invite Wendell Bagg").Changed("Invite Lawyer Cat");
  expected.Ok("InviteFriends").Ok("FriendsArrive");
  expected.Changed("CleanCouch").Changed("FluffPillows").Ok("PrepareRoom");
  expected.Ok("FindTVRemote").Failed("TurnOnTV", kBatteries).Ok("InsertDVD");
  expected.Failed("SitOnCouch", kCouch).Failed("PopcornBowl", kBowl).RunFailed("Pizza", kPizza);
  // Pass 2: only the failed jobs, in the same order.
  expected.Failed("TurnOnTV", kBatteries).Failed("SitOnCouch", kCouch);
  expected.Failed("PopcornBowl", kBowl).RunFailed("Pizza", kPizza);
  // Pass 3: TurnOnTV and SitOnCouch use their last try; Pizza succeeds.
  expected.Failed("TurnOnTV", kBatteries).Failed("SitOnCouch", kCouch);
  expected.Failed("PopcornBowl", kBowl).Changed("Pizza");
  // Passes 4-7: PopcornBowl alone; pass 8 it succeeds and Popcorn starts.
  for (int pass = 4; pass <= 7; ++pass) expected.Failed("PopcornBowl", kBowl);
  expected.Changed("PopcornBowl").Failed("Popcorn", kPopping);
  // Passes 9-11: Popcorn alone; pass 12 it succeeds and Food follows.
  for (int pass = 9; pass <= 11; ++pass) expected.Failed("Popcorn", kPopping);
  expected.Changed("Popcorn").Ok("Food");

  EXPECT_EQ(PhaseLines(result.err), expected.lines());
}

TEST(RunTrace, VerboseShowsEachTurnOnTVPhaseOncePerTry) {
  const ProcessResult result = RunMovie("WatchMovie", {"-v"});

  EXPECT_EQ(CountLines(result.err, "TurnOnTV.check: fail"), 3);
  EXPECT_EQ(CountLines(result.err, "TurnOnTV.run: pass"), 3);
  EXPECT_EQ(CountLines(result.err, "TurnOnTV.recheck: fail \"Remote batteries are dead.\""), 3);
  EXPECT_EQ(CountLines(result.err, "TurnOnTV.recheck: pass"), 0);
  EXPECT_EQ(CountLines(result.err, "StartMovie.check: pass"), 0) << "StartMovie is blocked";
  EXPECT_EQ(result.out.find(".check: "), std::string::npos) << "the trace goes to stderr only";
}

TEST(RunTrace, NoPhaseLinesWithoutVerbose) {
  const ProcessResult result = RunMovie("WatchMovie");

  EXPECT_EQ(PhaseLines(result.err), std::vector<std::string>{});
  EXPECT_THAT(result.err, HasSubstr("[FluffPillows] Pillows fluffed.\n"));
}

// The line after the first occurrence of `line` in `lines`.
std::string LineAfter(const std::vector<std::string>& lines, const std::string& line) {
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    if (lines[i] == line) return lines[i + 1];
  }
  ADD_FAILURE() << "no line \"" << line << "\" followed by another";
  return "";
}

TEST(RunTrace, DebugIndentsEachFailuresTypeAndMessage) {
  const ProcessResult result = RunMovie("WatchMovie", {"-d"});
  ASSERT_EQ(result.exit_code, 1) << result.err;
  const std::vector<std::string> lines = Lines(result.err);

  EXPECT_EQ(LineAfter(lines, "TurnOnTV.check: fail"),
            "    dojobber::Error: Remote batteries are dead.");
  EXPECT_EQ(LineAfter(lines, "TurnOnTV.recheck: fail \"Remote batteries are dead.\""),
            "    dojobber::Error: Remote batteries are dead.");
  EXPECT_EQ(LineAfter(lines, "Pizza.run: fail"),
            "    dojobber::Error: Giordano's did not arrive yet.");
  EXPECT_EQ(LineAfter(lines, "FluffPillows.check: fail"),
            "    dojobber::Error: Runonly node check intentionally fails first time.");
  // Passing phases get no detail, and -d traces like -v.
  EXPECT_EQ(LineAfter(lines, "TurnOnTV.run: pass"),
            "TurnOnTV.recheck: fail \"Remote batteries are dead.\"");
  EXPECT_EQ(CountLines(result.err, "    dojobber::Error: Remote batteries are dead."), 6);
  const ProcessResult verbose = RunMovie("WatchMovie", {"-v"});
  EXPECT_EQ(PhaseLines(result.err), PhaseLines(verbose.err));
}

TEST(RunTrace, DebugNamesTypesOtherThanStdException) {
  const ProcessResult result =
      RunDojobber({"run", "--plugin", TestPlugin("report_jobs").string(), "--root", "ThrowsInt",
                   "--default-retry-delay", "0", "-d"});

  EXPECT_EQ(result.exit_code, 1);
  const std::vector<std::string> lines = Lines(result.err);
  EXPECT_EQ(LineAfter(lines, "ThrowsInt.check: fail"), "    int: exception of type 'int'");
}

TEST(RunTrace, ThrowingConstructorFailsLikeACheck) {
  const ProcessResult result =
      RunDojobber({"run", "--plugin", TestPlugin("report_jobs").string(), "--root",
                   "BadConstructor", "--default-retry-delay", "0", "-d"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(Lines(result.err), (std::vector<std::string>{
                                   "BadConstructor.check: fail",
                                   "    dojobber::Error: cannot create the job: no licence",
                               }));
}

TEST(RunTrace, MultiLineErrorStaysOnOneLine) {
  const ProcessResult result =
      RunDojobber({"run", "--plugin", TestPlugin("report_jobs").string(), "--root", "Broken",
                   "--default-retry-delay", "0", "-d"});

  EXPECT_EQ(result.exit_code, 1);
  const std::vector<std::string> lines = Lines(result.err);
  ASSERT_EQ(lines.size(), 5u) << result.err;
  EXPECT_EQ(lines[0], "Broken.check: fail");
  EXPECT_EQ(lines[1], R"(    dojobber::Error: line one\nsaid "two")");
  EXPECT_EQ(lines[2], "Broken.run: pass");
  EXPECT_THAT(lines[3], ::testing::StartsWith(R"(Broken.recheck: fail "line one\nsaid )"));
  EXPECT_EQ(lines[4], R"(    dojobber::Error: line one\nsaid "two")");
}

}  // namespace
}  // namespace dojobber::e2e
