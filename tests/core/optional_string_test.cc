#include "core/optional_string.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <gtest/gtest.h>

namespace dojobber::core {
namespace {

TEST(OptionalStringTest, IsOnePointer) { EXPECT_EQ(sizeof(OptionalString), sizeof(void*)); }

TEST(OptionalStringTest, StartsAbsent) {
  const OptionalString text;
  EXPECT_FALSE(text.has_value());
  EXPECT_FALSE(text);
  EXPECT_EQ(text, std::nullopt);
  EXPECT_EQ(text.value_or("none"), "none");
}

TEST(OptionalStringTest, HoldsWhatItIsGiven) {
  OptionalString text = "disk full";
  EXPECT_TRUE(text.has_value());
  EXPECT_TRUE(text);
  EXPECT_EQ(*text, "disk full");
  EXPECT_EQ(text->size(), 9u);
  EXPECT_EQ(text.value_or("none"), "disk full");
  text = std::string("no space");
  EXPECT_EQ(*text, "no space");
  text = std::nullopt;
  EXPECT_FALSE(text);
}

TEST(OptionalStringTest, HoldsAnEmptyText) {
  const OptionalString text = "";
  EXPECT_TRUE(text.has_value());
  EXPECT_EQ(*text, "");
  EXPECT_NE(text, std::nullopt);
}

TEST(OptionalStringTest, TakesAStdOptional) {
  OptionalString text = std::optional<std::string>("refused");
  EXPECT_EQ(text, "refused");
  text = std::optional<std::string>();
  EXPECT_EQ(text, std::nullopt);
}

TEST(OptionalStringTest, ConvertsToAStdOptional) {
  const std::optional<std::string> present = OptionalString("refused");
  EXPECT_EQ(present, "refused");
  const std::optional<std::string> absent = OptionalString();
  EXPECT_EQ(absent, std::nullopt);
}

TEST(OptionalStringTest, ComparesAsStdOptionalDoes) {
  const OptionalString absent;
  const OptionalString a = "a";
  EXPECT_EQ(absent, OptionalString());
  EXPECT_EQ(a, OptionalString("a"));
  EXPECT_NE(a, OptionalString("b"));
  EXPECT_NE(a, absent);
  EXPECT_NE(absent, a);
  EXPECT_NE(a, std::nullopt);
  EXPECT_EQ(a, std::string("a"));
  EXPECT_EQ(a, std::string_view("a"));
  EXPECT_NE(a, "b");
  EXPECT_NE(absent, "");
  EXPECT_EQ("a", a);
}

// An absent one equals an absent std::optional, from either side (not
// std::optional's comparison with a value, which would say unequal).
TEST(OptionalStringTest, ComparesWithAStdOptional) {
  const std::optional<std::string> none;
  const std::optional<std::string> a = "a";
  EXPECT_TRUE(OptionalString() == none);
  EXPECT_TRUE(none == OptionalString());
  EXPECT_TRUE(OptionalString("a") == a);
  EXPECT_TRUE(a == OptionalString("a"));
  EXPECT_FALSE(OptionalString("b") == a);
  EXPECT_FALSE(OptionalString() == a);
  EXPECT_FALSE(a == OptionalString());
  EXPECT_FALSE(OptionalString("a") == none);
}

TEST(OptionalStringTest, CopiesAreDeep) {
  OptionalString original = "first";
  OptionalString copy = original;
  *original = "changed";
  EXPECT_EQ(copy, "first");
  OptionalString assigned;
  assigned = copy;
  *copy = "again";
  EXPECT_EQ(assigned, "first");
  const OptionalString absent;
  assigned = absent;
  EXPECT_EQ(assigned, std::nullopt);
}

TEST(OptionalStringTest, CopiesOntoItself) {
  OptionalString text = "same";
  OptionalString& alias = text;
  text = alias;
  EXPECT_EQ(text, "same");
}

TEST(OptionalStringTest, MovedFromIsAbsent) {
  OptionalString from = "moved";
  OptionalString to = std::move(from);
  EXPECT_EQ(to, "moved");
  EXPECT_EQ(from, std::nullopt);  // NOLINT(bugprone-use-after-move): the documented state.
  from = std::move(to);
  EXPECT_EQ(from, "moved");
  EXPECT_EQ(to, std::nullopt);  // NOLINT(bugprone-use-after-move)
}

TEST(OptionalStringTest, Resets) {
  OptionalString text = "gone";
  text.reset();
  EXPECT_FALSE(text);
}

}  // namespace
}  // namespace dojobber::core
