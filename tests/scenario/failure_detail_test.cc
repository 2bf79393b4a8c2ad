// SEMANTICS.md, "Fatal failures" and "Run's error": what a job's report says
// about why it failed, and a failure that is never retried.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/fork_server.h"
#include "support/test_support.h"

namespace dojobber {
namespace {

using core::JobStatus;
using testing::Fails;
using testing::Harness;
using Lines = std::vector<std::string>;

// A job that has five tries a minute apart: were a fatal failure retried,
// the fake clock would show the waits and the report five tries.
JobBuilder& FiveTries(JobBuilder& job) { return job.Tries(5).RetryDelay(60); }

class FatalTest : public ::testing::TestWithParam<int> {
 protected:
  core::RunResult Run(Harness& h, std::string_view root) {
    return h.Run(root, core::RunOptions{.jobs = GetParam()});
  }
  // The job failed at its first try, marked fatal, and no delay was waited.
  static void ExpectFatal(Harness& h, const core::RunResult& result, std::string_view name,
                          const std::string& error) {
    ASSERT_FALSE(h.failure) << *h.failure;
    const core::JobReport& job = h.Job(result, name);
    EXPECT_EQ(job.status, JobStatus::kFailed);
    EXPECT_EQ(job.tries, 1);
    EXPECT_TRUE(job.fatal);
    EXPECT_EQ(job.error, error);
    EXPECT_EQ(h.clock.seconds(), 0);
  }
};

TEST_P(FatalTest, FatalInCheckEndsTheJobBeforeRun) {
  Harness h;
  bool ran = false;
  FiveTries(h.Add(
      "Job",
      {[](Context&) { throw Fatal("malformed argument"); }, [&](Context&) { ran = true; }, {}}));
  const core::RunResult result = Run(h, "Job");
  ExpectFatal(h, result, "Job", "malformed argument");
  EXPECT_FALSE(ran);
  EXPECT_EQ(h.observer.lines(), (Lines{"Job.check: fail"}));
}

TEST_P(FatalTest, FatalInRunEndsTheTryWithoutRecheck) {
  Harness h;
  FiveTries(
      h.Add("Job", {Fails("not there"), [](Context&) { throw Fatal("licence refused"); }, {}}));
  const core::RunResult result = Run(h, "Job");
  ExpectFatal(h, result, "Job", "licence refused");
  EXPECT_EQ(h.Job(result, "Job").run_error, "licence refused");
  EXPECT_EQ(h.observer.lines(), (Lines{"Job.check: fail", "Job.run: fail"}));
}

TEST_P(FatalTest, FatalInRecheckEndsTheJob) {
  Harness h;
  FiveTries(h.Add("Job", {[](Context& c) {
                            if (c.is_recheck()) throw Fatal("wrong version");
                            throw Error("not there");
                          },
                          {},
                          {}}));
  const core::RunResult result = Run(h, "Job");
  ExpectFatal(h, result, "Job", "wrong version");
  EXPECT_EQ(h.Job(result, "Job").run_error, std::nullopt);
}

TEST_P(FatalTest, FatalInTheConstructorEndsTheJob) {
  struct Unmakeable final : Job {
    Unmakeable() { throw Fatal("no such account"); }
    void Check(Context&) override {}
    void Run(Context&) override {}
  };
  Harness h;
  FiveTries(h.AddType<Unmakeable>("Job"));
  const core::RunResult result = Run(h, "Job");
  ExpectFatal(h, result, "Job", "cannot create the job: no such account");
}

TEST_P(FatalTest, FailFatalIsFatalWithoutAnException) {
  Harness h;
  FiveTries(h.Add("Job", {[](Context& c) { return c.FailFatal("bad name"); }, {}, {}}));
  const core::RunResult result = Run(h, "Job");
  ExpectFatal(h, result, "Job", "bad name");
}

TEST_P(FatalTest, FatalCaughtAsAnErrorIsNotFatal) {
  // Job code that catches its own Fatal decides: here it fails plainly.
  Harness h;
  h.Add("Job", {[](Context&) {
                  try {
                    throw Fatal("first");
                  } catch (const Error& e) {
                    throw Error(std::string("retry after ") + e.what());
                  }
                },
                {},
                {}})
      .Tries(3)
      .RetryDelay(1);
  const core::RunResult result = Run(h, "Job");
  EXPECT_EQ(h.Job(result, "Job").tries, 3);
  EXPECT_FALSE(h.Job(result, "Job").fatal);
}

TEST_P(FatalTest, AFatalJobBlocksItsDependentsAndIsNotInterrupted) {
  Harness h;
  FiveTries(h.Add("Base", {[](Context&) { throw Fatal("never"); }, {}, {}}));
  h.Add("Top").Deps({"Base"});
  const core::RunResult result = Run(h, "Top");
  EXPECT_EQ(h.Job(result, "Top").status, JobStatus::kBlocked);
  EXPECT_FALSE(h.Job(result, "Base").interrupted);
}

INSTANTIATE_TEST_SUITE_P(Workers, FatalTest, ::testing::Values(1, 4),
                         [](const ::testing::TestParamInfo<int>& workers) {
                           return "j" + std::to_string(workers.param);
                         });

TEST(FatalOnceTest, ANoActRunReportsAFatalCheckToo) {
  Harness h;
  FiveTries(h.Add("Job", {[](Context&) { throw Fatal("never"); }, {}, {}}));
  const core::RunResult result = h.Run("Job", core::RunOptions{.no_act = true});
  EXPECT_TRUE(h.Job(result, "Job").fatal);
  EXPECT_EQ(h.Job(result, "Job").tries, 1);
}

TEST(FatalOnceTest, FatalCrossesToAndFromATrysOwnProcess) {
  Harness h;
  h.executor = core::MakeIsolatedExecutor();
  FiveTries(
      h.Add("Job", {Fails("not there"), [](Context&) { throw Fatal("licence refused"); }, {}}));
  const core::RunResult result = h.Run("Job");
  const core::JobReport& job = h.Job(result, "Job");
  EXPECT_EQ(job.tries, 1);
  EXPECT_TRUE(job.fatal);
  EXPECT_EQ(job.error, "licence refused");
  EXPECT_EQ(job.run_error, "licence refused");
  EXPECT_EQ(h.clock.seconds(), 0);
}

TEST(RunErrorTest, TheRechecksErrorAndRunsAreBothKept) {
  Harness h;
  h.Add("Job", {Fails("no /x/etc"), [](Context&) { throw Error("cannot create directories"); }, {}})
      .Tries(2);
  const core::RunResult result = h.Run("Job");
  const core::JobReport& job = h.Job(result, "Job");
  EXPECT_EQ(job.error, "no /x/etc");
  EXPECT_EQ(job.run_error, "cannot create directories");
  EXPECT_FALSE(job.fatal);
  // The trace is as it always was: the recheck's message only.
  EXPECT_EQ(h.observer.lines(),
            (Lines{"Job.check: fail", "Job.run: fail", "Job.recheck: fail \"no /x/etc\"",
                   "Job.check: fail", "Job.run: fail", "Job.recheck: fail \"no /x/etc\""}));
}

TEST(RunErrorTest, ARunThatReturnedLeavesNoRunError) {
  Harness h;
  h.Add("Job", {Fails("no /x/etc"), {}, {}}).Tries(1);
  const core::RunResult result = h.Run("Job");
  EXPECT_EQ(h.Job(result, "Job").error, "no /x/etc");
  EXPECT_EQ(h.Job(result, "Job").run_error, std::nullopt);
}

TEST(RunErrorTest, RunsErrorCrossesFromATrysOwnProcess) {
  Harness h;
  h.executor = core::MakeIsolatedExecutor();
  h.Add("Job", {Fails("no /x/etc"), [](Context&) { throw Error("cannot create directories"); }, {}})
      .Tries(1);
  const core::RunResult result = h.Run("Job");
  EXPECT_EQ(h.Job(result, "Job").error, "no /x/etc");
  EXPECT_EQ(h.Job(result, "Job").run_error, "cannot create directories");
}

TEST(HistoryTest, EveryTryButTheLastIsKeptInOrderWithItsErrors) {
  Harness h;
  int tries = 0;
  h.Add("Job", {[&](Context& c) {
                  if (c.is_recheck() && tries == 3) return;
                  if (!c.is_recheck()) ++tries;
                  throw Error("check " + std::to_string(tries));
                },
                [&](Context&) {
                  h.clock.Advance(std::chrono::seconds(1));
                  if (tries == 1) throw Error("run 1");
                },
                {}})
      .Tries(3)
      .RetryDelay(5);
  const core::RunResult result = h.Run("Job");
  const core::JobReport& job = h.Job(result, "Job");
  EXPECT_EQ(job.status, JobStatus::kChanged);
  ASSERT_EQ(job.earlier_tries.size(), 2u);
  EXPECT_EQ(job.earlier_tries[0].start_s, 0);
  EXPECT_EQ(job.earlier_tries[0].end_s, 1);
  EXPECT_EQ(job.earlier_tries[0].error, "check 1");
  EXPECT_EQ(job.earlier_tries[0].run_error, "run 1");
  EXPECT_EQ(job.earlier_tries[1].start_s, 5);
  EXPECT_EQ(job.earlier_tries[1].end_s, 6);
  EXPECT_EQ(job.earlier_tries[1].error, "check 2");
  EXPECT_EQ(job.earlier_tries[1].run_error, std::nullopt);
  EXPECT_EQ(job.last_start_s, 10);
  EXPECT_EQ(job.end_s, 11);
  EXPECT_EQ(job.error, std::nullopt);
}

TEST(HistoryTest, AJobTriedOnceHasNoEarlierTries) {
  Harness h;
  h.Add("Job");
  const core::RunResult result = h.Run("Job");
  EXPECT_TRUE(h.Job(result, "Job").earlier_tries.empty());
}

}  // namespace
}  // namespace dojobber
