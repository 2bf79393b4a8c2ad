#include "core/clock.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace dojobber::core {
namespace {

TEST(ClockTest, SecondsRoundTrip) {
  EXPECT_EQ(SecondsToDuration(1.5), std::chrono::milliseconds(1500));
  EXPECT_EQ(SecondsToDuration(0), Clock::Duration::zero());
  EXPECT_DOUBLE_EQ(DurationToSeconds(std::chrono::milliseconds(250)), 0.25);
}

// A timeout or retry delay of 1e308 s is valid input: it must mean "very
// long", not overflow into a deadline in the past.
TEST(ClockTest, HugeSecondsSaturateFarInTheFuture) {
  const Clock::TimePoint now = SteadyClock().Now();
  for (double seconds : {1e10, 1e308, std::numeric_limits<double>::infinity()}) {
    const Clock::Duration duration = SecondsToDuration(seconds);
    EXPECT_GT(duration, std::chrono::hours(24 * 365 * 50)) << seconds;
    EXPECT_GT(now + duration, now) << seconds;
  }
  EXPECT_LT(SecondsToDuration(-1e308), Clock::Duration::zero());
  EXPECT_EQ(SecondsToDuration(std::nan("")), Clock::Duration::zero());
}

}  // namespace
}  // namespace dojobber::core
