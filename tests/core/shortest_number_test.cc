#include "core/shortest_number.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "core/clock.h"

namespace dojobber::core {
namespace {

std::string Shortest(double value) {
  char text[kShortestNumberSize];
  return std::string(text, WriteShortest(text, value));
}

std::string ToChars(double value) {
  char text[kShortestNumberSize];
  return std::string(text, std::to_chars(text, text + sizeof text, value).ptr);
}

double Nanoseconds(std::int64_t count) {
  return DurationToSeconds(std::chrono::nanoseconds(count));
}

TEST(ShortestNumberTest, WritesClockTimesInTheirShortestForm) {
  EXPECT_EQ(Shortest(Nanoseconds(6017480762)), "6.017480762");
  EXPECT_EQ(Shortest(Nanoseconds(15411)), "1.5411e-05");
  EXPECT_EQ(Shortest(Nanoseconds(213707)), "0.000213707");  // A tie: fixed.
  EXPECT_EQ(Shortest(Nanoseconds(2656)), "2.656e-06");
  EXPECT_EQ(Shortest(Nanoseconds(1)), "1e-09");
  EXPECT_EQ(Shortest(Nanoseconds(1000000)), "0.001");
  EXPECT_EQ(Shortest(Nanoseconds(100000)), "1e-04");
  EXPECT_EQ(Shortest(Nanoseconds(2000000000)), "2");
  EXPECT_EQ(Shortest(Nanoseconds(100000000000000)), "1e+05");
  EXPECT_EQ(Shortest(Nanoseconds(10000000000000)), "10000");
  EXPECT_EQ(Shortest(0.0), "0");
}

// Every form must be std::to_chars's, byte for byte: over clock times of
// every size (the fast path), and over values it does not take.
TEST(ShortestNumberTest, WritesWhatToCharsWrites) {
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> exponent(0, 16.5);
  for (int i = 0; i < 200000; ++i) {
    const auto nanos = static_cast<std::int64_t>(std::pow(10.0, exponent(random)));
    for (double value : {Nanoseconds(nanos), Nanoseconds(nanos / 1000 * 1000),
                         Nanoseconds(nanos) + Nanoseconds(nanos / 3), static_cast<double>(nanos),
                         Nanoseconds(nanos) * 1.000000001}) {
      ASSERT_EQ(Shortest(value), ToChars(value)) << nanos;
    }
  }
  for (std::int64_t nanos = 0; nanos < 200000; ++nanos) {
    ASSERT_EQ(Shortest(Nanoseconds(nanos)), ToChars(Nanoseconds(nanos))) << nanos;
  }
  for (int i = 0; i < 200000; ++i) {
    const std::uint64_t bits = random();
    double value;
    std::memcpy(&value, &bits, sizeof value);
    ASSERT_EQ(Shortest(value), ToChars(value)) << bits;
  }
}

TEST(ShortestNumberTest, WritesEdgeValuesAsToCharsDoes) {
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  const double fast_limit = 4194304.0;
  for (double value :
       {fast_limit, std::nextafter(fast_limit, 0.0), 4194303.999999999, 99999.0, 100000.0, 100000.5,
        -0.0, -1.5, 1e300, 5e-324, kInfinity, -kInfinity, std::numeric_limits<double>::quiet_NaN(),
        -std::numeric_limits<double>::max()}) {
    EXPECT_EQ(Shortest(value), ToChars(value)) << value;
  }
  for (int power = -12; power <= 12; ++power) {
    const double value = std::pow(10.0, power);
    for (double near : {value, 2 * value, 1.5 * value, std::nextafter(value, 0.0)}) {
      EXPECT_EQ(Shortest(near), ToChars(near)) << near;
    }
  }
}

}  // namespace
}  // namespace dojobber::core
