// SEMANTICS.md, "Cleanup": every created job object is cleaned up, newest
// first; a throwing Cleanup stops the rest.

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber {
namespace {

using testing::CheckThat;
using testing::Fails;
using testing::Harness;
using testing::Hook;
using Lines = std::vector<std::string>;

// A Cleanup that records "Name#try".
Hook Record(Lines& calls) {
  return [&calls](Context& c) {
    calls.push_back(c.job_name() + "#" + std::to_string(c.try_number()));
  };
}

TEST(CleanupTest, RunsNewestFirstAcrossJobsAndTries) {
  Harness h;
  Lines calls;
  h.Add("Root", {{}, {}, Record(calls)}).Deps({"Flaky", "Steady"});
  h.Add("Flaky", {CheckThat([](Context& c) { return c.try_number() == 3; }), {}, Record(calls)});
  h.Add("Steady", {{}, {}, Record(calls)});
  core::RunResult result = h.Run("Root");
  EXPECT_TRUE(result.success);
  // Created: Flaky#1 Steady#1 Flaky#2 Flaky#3 Root#1.
  EXPECT_EQ(calls, (Lines{"Root#1", "Flaky#3", "Flaky#2", "Steady#1", "Flaky#1"}));
  ASSERT_TRUE(result.cleanup);
  EXPECT_TRUE(result.cleanup->ok());
  EXPECT_EQ(result.cleanup->ran, 5u);
}

TEST(CleanupTest, FailedAndBlockedRunsAreCleanedUpToo) {
  Harness h;
  Lines calls;
  h.Add("Root", {{}, {}, Record(calls)}).Deps({"Broken"});
  h.Add("Broken", {Fails("no"), {}, Record(calls)}).Tries(2);
  (void)h.Run("Root");
  EXPECT_EQ(calls, (Lines{"Broken#2", "Broken#1"}));  // Root was never created.
}

TEST(CleanupTest, CleanupLinesFollowTheRun) {
  Harness h;
  Lines calls;
  h.Add("Root", {{}, {}, Record(calls)}).Deps({"A"});
  h.Add("A", {{}, {}, Record(calls)});
  (void)h.Run("Root");
  EXPECT_EQ(h.observer.lines(),
            (Lines{"A.check: pass", "Root.check: pass", "Root.cleanup: pass", "A.cleanup: pass"}));
}

TEST(CleanupTest, ThrowingCleanupStopsTheRestAndIsReported) {
  Harness h;
  Lines calls;
  h.Add("Root", {{}, {}, Record(calls)}).Deps({"Mount", "Unmountable"});
  h.Add("Mount", {{}, {}, Record(calls)});
  h.Add("Unmountable", {{}, {}, [&calls](Context& c) {
                          Record(calls)(c);
                          throw Error("device busy");
                        }});
  core::RunResult result = h.Run("Root");
  EXPECT_TRUE(result.success);  // Statuses stay; the cleanup report tells.
  EXPECT_EQ(calls, (Lines{"Root#1", "Unmountable#1"}));
  ASSERT_TRUE(result.cleanup);
  ASSERT_FALSE(result.cleanup->ok());
  EXPECT_EQ(h.graph->name(result.cleanup->failure->job), "Unmountable");
  EXPECT_EQ(result.cleanup->failure->try_number, 1);
  EXPECT_EQ(result.cleanup->failure->error, "device busy");
  EXPECT_EQ(result.cleanup->ran, 2u);
  EXPECT_EQ(result.cleanup->pending, 1u);
  EXPECT_EQ(h.observer.lines().back(), "Unmountable.cleanup: fail \"device busy\"");
}

TEST(CleanupTest, DisabledCleanupCanBeCalledLater) {
  Harness h;
  Lines calls;
  h.Add("Root", {{}, {}, Record(calls)}).Deps({"A"});
  h.Add("A", {{}, {}, Record(calls)});
  core::RunResult result = h.Run("Root", {.no_act = false, .cleanup = false});
  EXPECT_TRUE(result.success);
  EXPECT_FALSE(result.cleanup);
  EXPECT_TRUE(calls.empty());
  core::CleanupReport report = h.engine->Cleanup();
  EXPECT_EQ(calls, (Lines{"Root#1", "A#1"}));
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.ran, 2u);
}

TEST(CleanupTest, CallingCleanupAgainGoesOnAfterAFailure) {
  Harness h;
  Lines calls;
  bool fail_once = true;
  h.Add("Root", {{}, {}, Record(calls)}).Deps({"A"});
  h.Add("A", {{}, {}, Record(calls)});
  h.Add("Shaky", {{}, {}, [&](Context& c) {
                    Record(calls)(c);
                    if (fail_once) {
                      fail_once = false;
                      throw Error("later");
                    }
                  }});
  h.Add("All").Deps({"Root", "Shaky"});
  core::RunResult result = h.Run("All");
  ASSERT_TRUE(result.cleanup);
  EXPECT_FALSE(result.cleanup->ok());
  EXPECT_EQ(result.cleanup->pending, 2u);
  core::CleanupReport again = h.engine->Cleanup();
  EXPECT_TRUE(again.ok());
  EXPECT_EQ(again.ran, 2u);
  EXPECT_EQ(calls, (Lines{"Shaky#1", "Root#1", "A#1"}));
}

TEST(CleanupTest, CleanupSeesItsTrysStorage) {
  Harness h;
  Lines seen;
  h.Add("Temp", {[](Context& c) {
                   if (!c.is_recheck())
                     c.local()["file"] = "/tmp/try" + std::to_string(c.try_number());
                   if (c.try_number() == 1) throw Error("retry");
                 },
                 [](Context& c) { c.global().Add("runs", 1); },
                 [&seen](Context& c) {
                   seen.push_back(c.local().value("file", "?") +
                                  " runs=" + std::to_string(c.global().Value<int>("runs", 0)));
                 }});
  (void)h.Run("Temp");
  EXPECT_EQ(seen, (Lines{"/tmp/try2 runs=1", "/tmp/try1 runs=1"}));
}

TEST(CleanupTest, ObjectsWithoutCleanupAreNotKept) {
  Harness h;
  h.Add("Plain");
  core::RunResult result = h.Run("Plain");
  ASSERT_TRUE(result.cleanup);
  EXPECT_EQ(result.cleanup->ran, 0u);
  EXPECT_EQ(h.observer.lines(), (Lines{"Plain.check: pass"}));
}

TEST(CleanupTest, JobMadeThroughABasePointerIsCleanedUp) {
  Harness h;
  Lines calls;
  h.registry.Add("Erased", [&calls]() -> std::unique_ptr<Job> {
    return std::make_unique<testing::ScriptedJob>(testing::Hooks{{}, {}, Record(calls)});
  });
  (void)h.Run("Erased");
  EXPECT_EQ(calls, (Lines{"Erased#1"}));
}

}  // namespace
}  // namespace dojobber
