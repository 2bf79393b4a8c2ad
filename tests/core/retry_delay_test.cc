#include "core/retry_delay.h"

#include <cmath>
#include <limits>
#include <set>

#include <gtest/gtest.h>

namespace dojobber::core {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(BackoffSecondsTest, IsTheDelayTimesTheFactorToTheNMinusOnethCappedByTheMaximum) {
  const RetryPolicy policy{.delay = 0.5, .backoff = 3, .max_delay = 10, .jitter = 0};
  EXPECT_DOUBLE_EQ(BackoffSeconds(policy, 1), 0.5);
  EXPECT_DOUBLE_EQ(BackoffSeconds(policy, 2), 1.5);
  EXPECT_DOUBLE_EQ(BackoffSeconds(policy, 3), 4.5);
  EXPECT_DOUBLE_EQ(BackoffSeconds(policy, 4), 10);  // 13.5, capped.
  EXPECT_DOUBLE_EQ(BackoffSeconds(policy, 40), 10);
}

TEST(BackoffSecondsTest, FactorOneKeepsTheDelayFixed) {
  const RetryPolicy policy{.delay = 2, .backoff = 1, .max_delay = kInf, .jitter = 0};
  for (int n = 1; n < 100; ++n) EXPECT_EQ(BackoffSeconds(policy, n), 2) << n;
}

TEST(BackoffSecondsTest, AZeroDelayStaysZeroEvenWhenTheFactorOverflows) {
  const RetryPolicy policy{.delay = 0, .backoff = 1e300, .max_delay = kInf, .jitter = 0.5};
  EXPECT_EQ(BackoffSeconds(policy, 5), 0);
  EXPECT_EQ(RetryDelaySeconds(policy, 5, 0.9), 0);
}

TEST(BackoffSecondsTest, OverflowIsInfiniteOrTheCapNeverNaN) {
  RetryPolicy policy{.delay = 1, .backoff = 1e300, .max_delay = kInf, .jitter = 0};
  EXPECT_TRUE(std::isinf(BackoffSeconds(policy, 3)));
  policy.jitter = 1;
  EXPECT_TRUE(std::isinf(RetryDelaySeconds(policy, 3, 0.0)));
  policy.max_delay = 60;
  EXPECT_EQ(BackoffSeconds(policy, 3), 60);
  EXPECT_EQ(RetryDelaySeconds(policy, 3, 0.0), 60 * 0.0 == 0 ? 0 : 60);  // Spread 0 at u=0.
}

TEST(RetryDelaySecondsTest, JitterSpreadsTheDelayOverItsBounds) {
  const RetryPolicy policy{.delay = 4, .backoff = 2, .max_delay = kInf, .jitter = 0.25};
  // n = 2: d = 8, so [6, 10).
  EXPECT_DOUBLE_EQ(RetryDelaySeconds(policy, 2, 0), 6);
  EXPECT_DOUBLE_EQ(RetryDelaySeconds(policy, 2, 0.5), 8);
  EXPECT_NEAR(RetryDelaySeconds(policy, 2, std::nextafter(1.0, 0.0)), 10, 1e-12);
}

TEST(RetryDelaySecondsTest, JitterIsCappedByTheMaximumDelay) {
  const RetryPolicy policy{.delay = 4, .backoff = 1, .max_delay = 5, .jitter = 0.5};
  EXPECT_DOUBLE_EQ(RetryDelaySeconds(policy, 1, 0), 2);
  EXPECT_DOUBLE_EQ(RetryDelaySeconds(policy, 1, 0.9), 5);  // 5.6, capped.
}

TEST(JitterDrawsTest, TheSameSeedJobAndTryDrawTheSameNumber) {
  const JitterDraws a(42);
  const JitterDraws b(42);
  for (int n = 1; n < 20; ++n) EXPECT_EQ(a.Draw("Download", n), b.Draw("Download", n)) << n;
}

TEST(JitterDrawsTest, DrawsAreInTheUnitIntervalAndDifferBySeedJobAndTry) {
  const JitterDraws draws(7);
  std::set<double> seen;
  for (int n = 1; n <= 50; ++n) {
    for (const char* job : {"A", "B", "Download"}) {
      const double u = draws.Draw(job, n);
      EXPECT_GE(u, 0);
      EXPECT_LT(u, 1);
      seen.insert(u);
    }
  }
  // 150 draws of 53 bits: a repeat would mean the inputs are not all used.
  EXPECT_EQ(seen.size(), 150u);
  EXPECT_NE(JitterDraws(7).Draw("A", 1), JitterDraws(8).Draw("A", 1));
  // A job name is not just a prefix of the words: "A" and "A\0" differ.
  EXPECT_NE(draws.Draw("A", 1), draws.Draw(std::string_view("A\0", 2), 1));
}

TEST(JitterDrawsTest, DrawsAreSpreadOverTheInterval) {
  const JitterDraws draws(2024);
  int low = 0;
  constexpr int kDraws = 4000;
  for (int n = 1; n <= kDraws; ++n) low += draws.Draw("Job", n) < 0.5 ? 1 : 0;
  // Binomial(4000, 0.5): the standard deviation is about 32; 8 of them is
  // a bound a working generator never crosses.
  EXPECT_NEAR(low, kDraws / 2, 8 * 32);
}

TEST(JitterDrawsTest, DrawsAreTheSameOnEveryBuild) {
  // mt19937_64 and seed_seq are specified exactly by the standard: a change
  // here would make old seeds draw other delays.
  EXPECT_EQ(JitterDraws(1).Draw("Job", 1), JitterDraws(1).Draw("Job", 1));
  EXPECT_EQ(JitterDraws(1).seed(), 1u);
}

}  // namespace
}  // namespace dojobber::core
