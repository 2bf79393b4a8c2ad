#include "core/timed_tries.h"

#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "core/global_storage.h"
#include "support/test_support.h"

namespace dojobber::core {
namespace {

using testing::Harness;

// Jobs here really sleep, for fractions of a second: a thread cannot be
// timed out on a fake clock.
class TimedTriesTest : public ::testing::Test {
 protected:
  TryRunner& Runner() {
    if (!graph_) graph_.emplace(std::move(h_.Build(std::nullopt).value()));
    if (!runner_) runner_.emplace(*graph_, env_, working_directory_, cleanups_);
    return *runner_;
  }

  Harness h_;
  std::optional<Graph> graph_;
  LockedGlobalStorage global_;
  RunEnvironment env_{h_.registry.args(), global_, h_.observer, false};
  WorkingDirectory working_directory_;
  CleanupStack cleanups_;
  std::optional<TryRunner> runner_;
};

TEST_F(TimedTriesTest, ATryWithinItsTimeoutKeepsItsOutcome) {
  h_.Add("Quick", {testing::CheckThat([](Context& c) { return c.is_recheck(); }), {}, {}});
  TimedTries timed(Runner());
  TryOutcome outcome = timed.Run(0, 1, 30);
  EXPECT_EQ(outcome.status, JobStatus::kChanged);
  EXPECT_EQ(timed.abandoned(), 0);
}

TEST_F(TimedTriesTest, ATryPastItsTimeoutIsAbandoned) {
  std::atomic<bool> release{false};
  std::atomic<bool> ran{false};
  h_.Add("Stuck", {[&](Context& c) {
                     c.log() << "before\n";
                     while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
                     c.log() << "after\n";
                     throw Error("not yet");
                   },
                   [&](Context&) { ran = true; }, [](Context&) {}});
  TimedTries timed(Runner());
  TryOutcome outcome = timed.Run(0, 1, 0.05);
  EXPECT_EQ(outcome.status, JobStatus::kFailed);
  EXPECT_EQ(outcome.error, "timed out after 0.05 s");
  EXPECT_EQ(timed.abandoned(), 1);

  // Still running: its Cleanup is skipped, not called beside it.
  CleanupReport report = cleanups_.RunAll(*graph_, env_, working_directory_);
  EXPECT_EQ(report.skipped, 1u);
  EXPECT_EQ(report.ran, 0u);

  // The waiter traced the phase the try was in as failed, with the cause.
  EXPECT_EQ(h_.observer.lines(), std::vector<std::string>{"Stuck.check: fail"});
  ASSERT_EQ(h_.observer.events().size(), 1u);
  EXPECT_EQ(h_.observer.events()[0].error, "timed out after 0.05 s");

  release = true;  // Let it finish: it stops before Run, and says nothing more.
  for (int i = 0; i < 2000 && timed.abandoned() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(timed.abandoned(), 0);
  EXPECT_FALSE(ran);
  EXPECT_EQ(h_.observer.logs(), (std::vector<std::string>{"Stuck: before"}));
  EXPECT_EQ(h_.observer.lines(), std::vector<std::string>{"Stuck.check: fail"});
}

}  // namespace
}  // namespace dojobber::core
