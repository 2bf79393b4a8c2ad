#include "core/log_tail.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/log_tail_observer.h"
#include "support/test_support.h"

namespace dojobber::core {
namespace {

std::vector<std::string> Texts(const LogTails& tails, JobId job) {
  std::vector<std::string> texts;
  for (const LogTails::Line* line : tails.Lines(job)) texts.push_back(line->text);
  return texts;
}

TEST(LogTailsTest, KeepsEveryLineUpToTheBoundInOrder) {
  LogTails tails(2);
  tails.Add(1, 1, "first");
  tails.Add(1, 2, "second");
  EXPECT_EQ(Texts(tails, 1), (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(tails.Lines(1)[1]->try_number, 2);
  EXPECT_EQ(tails.dropped(1), 0u);
  EXPECT_TRUE(tails.Lines(0).empty());
}

TEST(LogTailsTest, PastTheBoundDropsTheOldestAndCountsThem) {
  LogTails tails(1);
  const std::size_t total = LogTails::kKept * 3 + 7;
  for (std::size_t i = 0; i < total; ++i) tails.Add(0, static_cast<int>(i), std::to_string(i));
  const std::vector<std::string> texts = Texts(tails, 0);
  ASSERT_EQ(texts.size(), LogTails::kKept);
  EXPECT_EQ(texts.front(), std::to_string(total - LogTails::kKept));
  EXPECT_EQ(texts.back(), std::to_string(total - 1));
  EXPECT_EQ(tails.dropped(0), total - LogTails::kKept);
  EXPECT_EQ(tails.Lines(0).back()->try_number, static_cast<int>(total - 1));
}

TEST(LogTailsTest, IgnoresJobsBeyondItsSize) {
  LogTails tails(1);
  tails.Add(5, 1, "lost");
  EXPECT_TRUE(tails.Lines(5).empty());
  EXPECT_EQ(tails.dropped(5), 0u);
}

TEST(LogTailsTest, CopiesAreDeep) {
  LogTails tails(1);
  tails.Add(0, 1, "kept");
  LogTails copy = tails;
  tails.Add(0, 1, "later");
  EXPECT_EQ(Texts(copy, 0), (std::vector<std::string>{"kept"}));
}

TEST(LogTailObserverTest, KeepsLinesAndPassesEverythingOn) {
  testing::RecordingObserver next;
  LogTailObserver observer(next, 1);
  observer.OnJobLog(0, "Job", 3, "hello");
  EXPECT_EQ(next.logs(), (std::vector<std::string>{"Job: hello"}));
  EXPECT_EQ(next.log_tries(), (std::vector<int>{3}));
  LogTails taken = observer.Take();
  EXPECT_EQ(Texts(taken, 0), (std::vector<std::string>{"hello"}));
  observer.OnJobLog(0, "Job", 3, "after");  // No longer kept, still passed on.
  EXPECT_TRUE(observer.Take().Lines(0).empty());
  EXPECT_EQ(next.logs().size(), 2u);
}

}  // namespace
}  // namespace dojobber::core
