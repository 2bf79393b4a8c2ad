#include "core/name_index.h"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace dojobber::core {
namespace {

class NameIndexTest : public ::testing::Test {
 protected:
  std::uint32_t Add(const std::string& name) {
    const auto next = static_cast<std::uint32_t>(names_.size());
    const std::uint32_t got = index_.Insert(name, next);
    if (got == next) {
      storage_.push_back(std::make_unique<std::string>(name));
      names_.push_back(storage_.back().get());
    }
    return got;
  }

  std::vector<std::unique_ptr<std::string>> storage_;
  std::vector<const std::string*> names_;
  NameIndex index_{names_};
};

TEST_F(NameIndexTest, FindsWhatWasInserted) {
  EXPECT_EQ(Add("alpha"), 0u);
  EXPECT_EQ(Add("beta"), 1u);
  EXPECT_EQ(index_.Find("alpha"), 0u);
  EXPECT_EQ(index_.Find("beta"), 1u);
  EXPECT_EQ(index_.Find("gamma"), std::nullopt);
  EXPECT_EQ(index_.size(), 2u);
}

TEST_F(NameIndexTest, EmptyIndexFindsNothing) { EXPECT_EQ(index_.Find("x"), std::nullopt); }

TEST_F(NameIndexTest, InsertingAgainReturnsTheFirstIndex) {
  Add("same");
  Add("other");
  EXPECT_EQ(Add("same"), 0u);
  EXPECT_EQ(index_.size(), 2u);
}

TEST_F(NameIndexTest, SurvivesGrowingToManyNames) {
  constexpr std::uint32_t kCount = 100000;
  for (std::uint32_t i = 0; i < kCount; ++i) ASSERT_EQ(Add("J" + std::to_string(i)), i);
  for (std::uint32_t i = 0; i < kCount; ++i) {
    ASSERT_EQ(index_.Find("J" + std::to_string(i)), i) << i;
  }
  EXPECT_EQ(index_.Find("J" + std::to_string(kCount)), std::nullopt);
}

TEST_F(NameIndexTest, TellsApartNamesThatDifferOnlyAtTheEnd) {
  Add("Invite Lawyer Cat");
  Add("Invite Lawyer Cab");
  Add("");
  EXPECT_EQ(index_.Find("Invite Lawyer Cab"), 1u);
  EXPECT_EQ(index_.Find(""), 2u);
  EXPECT_EQ(index_.Find("Invite Lawyer Ca"), std::nullopt);
}

}  // namespace
}  // namespace dojobber::core
