#include "core/near_miss.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace dojobber::core {
namespace {

TEST(EditDistanceTest, CountsEachKindOfEditOnce) {
  EXPECT_EQ(EditDistance("account", "account"), 0u);
  EXPECT_EQ(EditDistance("acount", "account"), 1u);    // insertion
  EXPECT_EQ(EditDistance("accoount", "account"), 1u);  // deletion
  EXPECT_EQ(EditDistance("accaunt", "account"), 1u);   // substitution
  EXPECT_EQ(EditDistance("acocunt", "account"), 1u);   // two neighbours swapped
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("abc", ""), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
}

TEST(NearMissTest, NamesTheClosestCandidateWithinTheLimit) {
  const std::vector<std::string> names = {"couch_space", "pizza_success_try", "pop_success_try"};
  EXPECT_EQ(NearMiss("pizza_sucess_try", names), "pizza_success_try");
  EXPECT_EQ(NearMiss("couch_spcae", names), "couch_space");
  EXPECT_EQ(NearMiss("pop_succes_try", names), "pop_success_try");
  EXPECT_EQ(NearMiss("battery", names), std::nullopt);
}

TEST(NearMissTest, ShortWordsAllowFewerEdits) {
  const std::vector<std::string> names = {"dir", "mode"};
  EXPECT_EQ(NearMiss("dri", names), "dir");
  EXPECT_EQ(NearMiss("xyz", names), std::nullopt);  // 3 edits from "dir"
  EXPECT_EQ(NearMiss("mdoe", names), "mode");
  EXPECT_EQ(NearMiss("made", names), "mode");
  EXPECT_EQ(NearMiss("mud", names), std::nullopt);  // 2 edits: too many for 3 bytes
}

TEST(NearMissTest, ReplacingEveryByteIsNoTypo) {
  EXPECT_EQ(NearMiss("5", std::vector<std::string>{"0", "1"}), std::nullopt);
  EXPECT_EQ(NearMiss("ab", std::vector<std::string>{"b"}), std::nullopt);
  EXPECT_EQ(NearMiss("ab", std::vector<std::string>{"abc"}), "abc");
}

TEST(NearMissTest, AnExactMatchIsNoNearMissAndTiesGoToTheFirst) {
  EXPECT_EQ(NearMiss("dir", std::vector<std::string>{"dir"}), std::nullopt);
  EXPECT_EQ(NearMiss("cat", std::vector<std::string>{"bat", "car"}), "bat");
  EXPECT_EQ(NearMiss("cat", std::vector<std::string>{}), std::nullopt);
}

TEST(NearMissTest, ADifferenceOnlyInCaseIsTheLikeliestTypo) {
  const std::vector<std::string> allowed = {"dev", "staging", "prod", "Prod"};
  EXPECT_EQ(NearMiss("PROD", allowed), "prod");  // 4 edits, yet the same word
  EXPECT_EQ(NearMiss("Staging", allowed), "staging");
  EXPECT_EQ(NearMiss("Prod", allowed), "prod");  // an exact match is not offered
  EXPECT_EQ(NearMiss("DEVS", allowed), std::nullopt);
}

}  // namespace
}  // namespace dojobber::core
