#include "core/lost_thread.h"

#include <pthread.h>

#include <stdexcept>

#include <gtest/gtest.h>

#include "core/invoker.h"
#include "core/job_registry.h"

namespace dojobber::core {
namespace {

TEST(RunOnSpareThreadTest, TellsABodyThatReturnedFromOneThatEndedItsThread) {
  int calls = 0;
  EXPECT_TRUE(RunOnSpareThread([&] { ++calls; }));
  EXPECT_FALSE(RunOnSpareThread([&] {
    ++calls;
    ::pthread_exit(nullptr);
  }));
  EXPECT_EQ(calls, 2);
}

TEST(RunOnSpareThreadTest, RethrowsWhatTheBodyThrew) {
  EXPECT_THROW(RunOnSpareThread([] { throw std::runtime_error("ours"); }), std::runtime_error);
}

TEST(UnwindGuardTest, RunsOnlyWhenTheScopeIsUnwound) {
  int lost = 0;
  EXPECT_TRUE(RunOnSpareThread([&] {
    UnwindGuard guard([&] { ++lost; });
    guard.Dismiss();
  }));
  EXPECT_EQ(lost, 0);
  EXPECT_FALSE(RunOnSpareThread([&] {
    UnwindGuard guard([&] { ++lost; });
    ::pthread_exit(nullptr);
  }));
  EXPECT_EQ(lost, 1);
}

// The invoker lets a forced unwind through (catching it for good would
// abort the process), and the guard above it sees it.
TEST(UnwindGuardTest, SeesAForcedUnwindThroughTheInvoker) {
  bool lost = false;
  JobRegistry registry;
  EXPECT_FALSE(RunOnSpareThread([&] {
    UnwindGuard guard([&] { lost = true; });
    (void)CallRegistration([](Registry&) { ::pthread_exit(nullptr); }, registry);
  }));
  EXPECT_TRUE(lost);
}

}  // namespace
}  // namespace dojobber::core
