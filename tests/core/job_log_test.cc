#include "core/job_log.h"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber::core {
namespace {

using testing::RecordingObserver;
using Lines = std::vector<std::string>;

class JobLogTest : public ::testing::Test {
 protected:
  Lines Logged() const { return observer_.logs(); }

  RecordingObserver observer_;
  std::string name_ = "Popcorn";
  std::optional<JobLog> buffer_{std::in_place, observer_, 3, name_, 2};
  std::ostream out_{&*buffer_};
};

TEST_F(JobLogTest, PassesEachCompleteLine) {
  out_ << "first\nsecond\n";
  EXPECT_EQ(Logged(), (Lines{"Popcorn: first", "Popcorn: second"}));
}

TEST_F(JobLogTest, PassesTheTryNumberWithEachLine) {
  out_ << "first\nsecond\n";
  EXPECT_EQ(observer_.log_tries(), (std::vector<int>{2, 2}));
}

TEST_F(JobLogTest, HoldsALineUntilItsNewline) {
  out_ << "kernels: " << 12;
  out_.put(',');
  out_ << " popped: " << 1.5;
  EXPECT_TRUE(Logged().empty());
  out_ << '\n';
  EXPECT_EQ(Logged(), (Lines{"Popcorn: kernels: 12, popped: 1.5"}));
}

TEST_F(JobLogTest, SplitsWritesThatSpanLines) {
  out_ << "a";
  out_ << "b\nc";
  out_ << "d\ne\n";
  EXPECT_EQ(Logged(), (Lines{"Popcorn: ab", "Popcorn: cd", "Popcorn: e"}));
}

TEST_F(JobLogTest, EmptyLinesArePassedOn) {
  out_ << "\n\nend\n";
  EXPECT_EQ(Logged(), (Lines{"Popcorn: ", "Popcorn: ", "Popcorn: end"}));
}

TEST_F(JobLogTest, EndlIsANewline) {
  out_ << "line" << std::endl;
  EXPECT_EQ(Logged(), (Lines{"Popcorn: line"}));
}

TEST_F(JobLogTest, FlushPartialLinePassesTheUnfinishedLine) {
  out_ << "done\nhalf";
  buffer_->FlushPartialLine();
  EXPECT_EQ(Logged(), (Lines{"Popcorn: done", "Popcorn: half"}));
  buffer_->FlushPartialLine();  // Nothing left: no empty line.
  out_ << "next\n";
  EXPECT_EQ(Logged(), (Lines{"Popcorn: done", "Popcorn: half", "Popcorn: next"}));
}

TEST_F(JobLogTest, DestructionFlushesThePartialLine) {
  out_ << "last words";
  buffer_.reset();
  EXPECT_EQ(Logged(), (Lines{"Popcorn: last words"}));
}

TEST_F(JobLogTest, DestructionAfterACompleteLineAddsNothing) {
  out_ << "whole\n";
  buffer_.reset();
  EXPECT_EQ(Logged(), (Lines{"Popcorn: whole"}));
}

TEST_F(JobLogTest, LongLinesArriveWhole) {
  const std::string long_line(100000, 'x');
  for (char c : long_line) out_.put(c);
  out_ << '\n';
  EXPECT_EQ(Logged(), (Lines{"Popcorn: " + long_line}));
}

}  // namespace
}  // namespace dojobber::core
