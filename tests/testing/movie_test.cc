// Tests of the movie plugin (plugins/movie/movie.cc, compiled into this test
// program), run in-process by the dojobber test kit on a fake clock.

#include <dojobber/testing.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

using dojobber::testing::JobSource;
using dojobber::testing::RunGraph;
using dojobber::testing::RunResult;
using dojobber::testing::Status;
using Names = std::vector<std::string>;

const dojobber::Arguments::Keywords kReady = {{"battery_state", "charged"},
                                              {"couch_space", "true"}};

TEST(Movie, NeedsChargedBatteriesAndSpaceOnTheCouch) {
  const RunResult run = RunGraph(JobSource::Linked(), {.roots = {"WatchMovie"}});
  ASSERT_FALSE(run.error) << *run.error;  // The plugin loaded, the graph is valid.
  EXPECT_FALSE(run.success);
  EXPECT_EQ(run.job("TurnOnTV").status, Status::kFailed);
  EXPECT_EQ(run.job("TurnOnTV").tries, 3);
  EXPECT_EQ(run.job("TurnOnTV").error, "Remote batteries are dead.");
  EXPECT_EQ(run.job("SitOnCouch").error, "No space on couch.");
  EXPECT_EQ(run.job("StartMovie").status, Status::kBlocked);
  EXPECT_EQ(run.job("StartMovie").blocked_by, (Names{"TurnOnTV", "SitOnCouch"}));
}

TEST(Movie, StartsWhenEverythingIsReady) {
  const RunResult run = RunGraph(JobSource::Linked(), {.roots = {"WatchMovie"}, .args = kReady});
  EXPECT_TRUE(run.success);
  EXPECT_EQ(run.job("WatchMovie").status, Status::kOk);
  // The flaky jobs succeed on their last try.
  EXPECT_EQ(run.job("PopcornBowl").tries, 8);
  EXPECT_EQ(run.job("Popcorn").tries, 5);
  EXPECT_EQ(run.job("Pizza").tries, 3);
  EXPECT_EQ(run.global["pizza_failcount"], 3);
}

TEST(Movie, WaitsForPopcornOnTheFakeClock) {
  // Five tries a minute apart: four minutes on the fake clock, no real time.
  const RunResult run =
      RunGraph(JobSource::Linked(), {.roots = {"Popcorn"}, .default_retry_delay = 60});
  EXPECT_EQ(run.job("Popcorn").status, Status::kChanged);
  EXPECT_EQ(run.job("Popcorn").tries, 5);
  EXPECT_NEAR(run.job("Popcorn").end_s - run.job("Popcorn").start_s, 240, 1e-6);
}

TEST(Movie, InvitesEachFriendForThePickedTime) {
  const RunResult run =
      RunGraph(JobSource::Linked(),
               {.roots = {"InviteFriends"}, .args = {{"friends", "Ann <ann@example.com>"}}});
  ASSERT_FALSE(run.error) << *run.error;
  const std::string start = run.global["Start-DateTime"];
  EXPECT_EQ(run.job("Invite Ann").result["message"],
            "Come and watch Noises Off at " + start + " with me!");
  EXPECT_THROW((void)run.job("Invite Lawyer Cat"), std::out_of_range);
}

TEST(Movie, DryRunOnlyChecks) {
  const RunResult run = RunGraph(JobSource::Linked(), {.roots = {"PrepareRoom"}, .dry_run = true});
  EXPECT_EQ(run.job("CleanCouch").status, Status::kFailed);    // Passes only after its Run.
  EXPECT_EQ(run.job("FluffPillows").status, Status::kFailed);  // Runonly: never in a dry run.
  EXPECT_EQ(run.job("PrepareRoom").status, Status::kBlocked);
  // What `dojobber run -n -v` prints: the Checks, then the cleanup.
  EXPECT_EQ(run.trace,
            (Names{"CleanCouch.check: fail", "FluffPillows.check: fail",
                   "[CleanCouch] Putting the feather duster away.", "CleanCouch.cleanup: pass"}));
}

TEST(Movie, RefusesABadFriendsList) {
  const RunResult run = RunGraph(JobSource::Linked(), {.args = {{"friends", "Ann"}}});
  ASSERT_TRUE(run.error);
  EXPECT_NE(run.error->find("registration failed: argument 'friends'"), std::string::npos);
}

}  // namespace
