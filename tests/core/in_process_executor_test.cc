#include "core/in_process_executor.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/global_storage.h"
#include "support/test_support.h"

namespace dojobber::core {
namespace {

using testing::Harness;

// Jobs here really sleep, for fractions of a second: a thread cannot be
// timed out on a fake clock.
class InProcessExecutorTest : public ::testing::Test {
 protected:
  const RunScope& Scope() {
    if (!graph_) graph_.emplace(std::move(h_.Build(std::nullopt).value()));
    if (!scope_) scope_.emplace(RunScope{*graph_, env_, cleanups_, working_directory_});
    return *scope_;
  }
  TryOutcome Try(double timeout) { return executor_.RunTry(Scope(), {0, 1, timeout}); }
  CleanupReport Cleanups() { return cleanups_.RunAll(Scope(), executor_); }

  Harness h_;
  std::optional<Graph> graph_;
  LockedGlobalStorage global_;
  std::stop_source stop_;
  RunEnvironment env_{h_.registry.args(), global_, h_.observer, false, stop_.get_token(), {}};
  WorkingDirectory working_directory_;
  CleanupStack cleanups_;
  std::optional<RunScope> scope_;
  InProcessExecutor executor_;
};

TEST_F(InProcessExecutorTest, ATryWithoutATimeoutRunsOnTheCallingThread) {
  std::thread::id ran_on;
  h_.Add("Here", {[&](Context&) { ran_on = std::this_thread::get_id(); }, {}, {}});
  EXPECT_EQ(Try(0).status, JobStatus::kOk);
  EXPECT_EQ(ran_on, std::this_thread::get_id());
}

TEST_F(InProcessExecutorTest, ATryWithinItsTimeoutKeepsItsOutcome) {
  h_.Add("Quick", {testing::CheckThat([](Context& c) { return c.is_recheck(); }), {}, {}});
  TryOutcome outcome = Try(30);
  EXPECT_EQ(outcome.status, JobStatus::kChanged);
  EXPECT_EQ(executor_.abandoned(), 0);
  EXPECT_FALSE(outcome.timed_out);
  EXPECT_EQ(outcome.phases.check, PhaseResult::kFailed);
  EXPECT_EQ(outcome.phases.run, PhaseResult::kPassed);
  EXPECT_EQ(outcome.phases.recheck, PhaseResult::kPassed);
}

TEST_F(InProcessExecutorTest, NamesTheCallingThreadAsTheWorker) {
  h_.Add("Here");
  const std::string here = Try(0).worker;
  EXPECT_TRUE(here.starts_with("thread ")) << here;
  EXPECT_EQ(Try(30).worker, here) << "a timed try is named by the thread waiting for it";
  std::string there;
  std::thread([&] { there = Try(0).worker; }).join();
  EXPECT_TRUE(there.starts_with("thread ")) << there;
  EXPECT_NE(there, here);
}

TEST_F(InProcessExecutorTest, AfterAStopAFailedCheckDoesNotGoOnToRun) {
  bool ran = false;
  h_.Add("Stops", {[&](Context& c) {
                     stop_.request_stop();  // Arrives while the Check runs.
                     EXPECT_TRUE(c.stop_requested());
                     EXPECT_TRUE(c.stop_token().stop_requested());
                     throw Error("not yet");
                   },
                   [&](Context&) { ran = true; },
                   {}});
  TryOutcome outcome = Try(0);
  EXPECT_EQ(outcome.status, JobStatus::kFailed);
  EXPECT_EQ(outcome.error, "interrupted: stopped after the Check failed, before Run");
  EXPECT_FALSE(ran);
  EXPECT_EQ(h_.observer.lines(), std::vector<std::string>{"Stops.check: fail"});
}

TEST_F(InProcessExecutorTest, ARunThatWasRunningWhenTheStopCameIsRechecked) {
  bool ran = false;
  h_.Add("Stops", {testing::CheckThat([&](Context&) { return ran; }),
                   [&](Context&) {
                     stop_.request_stop();
                     ran = true;
                   },
                   {}});
  TryOutcome outcome = Try(0);
  EXPECT_EQ(outcome.status, JobStatus::kChanged);
  EXPECT_EQ(h_.observer.lines(), (std::vector<std::string>{"Stops.check: fail", "Stops.run: pass",
                                                           "Stops.recheck: pass"}));
}

TEST_F(InProcessExecutorTest, ACleanupOfATryWithoutAnObjectFails) {
  h_.Add("Job");
  (void)Scope();
  RetainedTry kept{0, 1, nullptr, nullptr, nullptr};
  CallOutcome outcome = executor_.RunCleanup(Scope(), kept);
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error, "the try's job object is not in this process");
}

TEST_F(InProcessExecutorTest, ATryPastItsTimeoutIsAbandoned) {
  std::atomic<bool> release{false};
  std::atomic<bool> ran{false};
  h_.Add("Stuck", {[&](Context& c) {
                     c.log() << "before\n";
                     while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
                     c.log() << "after\n";
                     throw Error("not yet");
                   },
                   [&](Context&) { ran = true; }, [](Context&) {}});
  TryOutcome outcome = Try(0.05);
  EXPECT_EQ(outcome.status, JobStatus::kFailed);
  EXPECT_EQ(outcome.error, "timed out after 0.05 s");
  EXPECT_EQ(executor_.abandoned(), 1);
  EXPECT_TRUE(outcome.timed_out);
  EXPECT_EQ(outcome.phases.check, PhaseResult::kFailed);  // The phase it was in.
  EXPECT_EQ(outcome.phases.run, PhaseResult::kNotReached);

  // Still running: its Cleanup is skipped, not called beside it.
  CleanupReport report = Cleanups();
  EXPECT_EQ(report.skipped, 1u);
  EXPECT_EQ(report.ran, 0u);

  // The waiter traced the phase the try was in as failed, with the cause.
  EXPECT_EQ(h_.observer.lines(), std::vector<std::string>{"Stuck.check: fail"});
  ASSERT_EQ(h_.observer.events().size(), 1u);
  EXPECT_EQ(h_.observer.events()[0].error, "timed out after 0.05 s");

  release = true;  // Let it finish: it stops before Run, and says nothing more.
  for (int i = 0; i < 2000 && executor_.abandoned() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(executor_.abandoned(), 0);
  EXPECT_FALSE(ran);
  EXPECT_EQ(h_.observer.logs(), (std::vector<std::string>{"Stuck: before"}));
  EXPECT_EQ(h_.observer.lines(), std::vector<std::string>{"Stuck.check: fail"});
}

// A job whose Check waits for `release`, counting the Checks that started
// and noting any that started while another was still inside.
struct HeldCheck {
  std::atomic<bool> release{false};
  std::atomic<int> started{0};
  std::atomic<int> inside{0};
  std::atomic<bool> overlapped{false};

  void operator()(Context&) {
    ++started;
    if (inside.fetch_add(1) != 0) overlapped = true;
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    --inside;
  }
};

// Waits (boundedly) until no abandoned try's thread runs any more.
void WaitForAbandonedThreads(const InProcessExecutor& executor) {
  for (int i = 0; i < 6000 && executor.abandoned() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(executor.abandoned(), 0);
}

// The tries of one job never overlap: while try 1's abandoned thread is
// still in its Check, try 2 waits for it within its own time limit, and
// when that is up fails without calling any job code. Try 1 is held until
// the test releases it, so this does not depend on timing.
TEST_F(InProcessExecutorTest, TheNextTryWaitsForAnAbandonedOneAndFailsIfItStillRuns) {
  HeldCheck check;
  h_.Add("Stuck", {std::ref(check), {}, {}});
  EXPECT_EQ(executor_.RunTry(Scope(), {0, 1, 0.05}).error, "timed out after 0.05 s");
  ASSERT_EQ(executor_.abandoned(), 1);

  const std::string not_started =
      "timed out after 0.05 s waiting for try 1 (abandoned at its time limit) to end; not started";
  TryOutcome second = executor_.RunTry(Scope(), {0, 2, 0.05});
  EXPECT_EQ(second.status, JobStatus::kFailed);
  EXPECT_EQ(second.error, not_started);
  EXPECT_TRUE(second.timed_out);
  EXPECT_EQ(check.started, 1) << "try 2 called job code beside try 1";
  EXPECT_EQ(h_.observer.lines(),
            (std::vector<std::string>{"Stuck.check: fail", "Stuck.check: fail"}));
  ASSERT_EQ(h_.observer.events().size(), 2u);
  EXPECT_EQ(h_.observer.events()[1].error, not_started);

  // Once try 1's thread has ended, the next try runs as usual.
  check.release = true;
  WaitForAbandonedThreads(executor_);
  EXPECT_EQ(executor_.RunTry(Scope(), {0, 3, 30}).status, JobStatus::kOk);
  EXPECT_EQ(check.started, 2);
  EXPECT_FALSE(check.overlapped);
}

// A try that waits for its job's abandoned try starts once that one ends,
// whenever within its time limit that is. Try 1 is released once try 2's
// Check has started (which would be an overlap) or after 0.2 s: the outcome
// is the same either way, only an overlap would show sooner.
TEST_F(InProcessExecutorTest, TheNextTryStartsOnceTheAbandonedOneHasEnded) {
  HeldCheck check;
  h_.Add("Stuck", {std::ref(check), {}, {}});
  EXPECT_EQ(executor_.RunTry(Scope(), {0, 1, 0.05}).error, "timed out after 0.05 s");
  TryOutcome second;
  std::thread try_two([&] { second = executor_.RunTry(Scope(), {0, 2, 60}); });
  for (int i = 0; i < 200 && check.started < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  check.release = true;
  try_two.join();
  EXPECT_EQ(second.status, JobStatus::kOk) << second.error.value_or("");
  EXPECT_EQ(check.started, 2);
  EXPECT_FALSE(check.overlapped) << "try 2's Check started while try 1's ran";
  WaitForAbandonedThreads(executor_);
}

}  // namespace
}  // namespace dojobber::core
