#include "core/compact_vector.h"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace dojobber::core {
namespace {

std::vector<std::string> Items(const CompactVector<std::string>& items) {
  std::vector<std::string> out;
  for (const std::string& item : items) out.push_back(item);
  return out;
}

TEST(CompactVectorTest, IsOnePointer) {
  EXPECT_EQ(sizeof(CompactVector<std::string>), sizeof(void*));
}

TEST(CompactVectorTest, StartsEmpty) {
  const CompactVector<std::string> items;
  EXPECT_TRUE(items.empty());
  EXPECT_EQ(items.size(), 0u);
  EXPECT_EQ(items.begin(), items.end());
  EXPECT_TRUE(Items(items).empty());
}

TEST(CompactVectorTest, KeepsItemsInOrder) {
  CompactVector<std::string> items;
  items.push_back("first");
  std::string second = "second";
  items.push_back(second);
  items.push_back("third");
  EXPECT_FALSE(items.empty());
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0], "first");
  EXPECT_EQ(items[1], "second");
  EXPECT_EQ(items[2], "third");
  EXPECT_EQ(Items(items), (std::vector<std::string>{"first", "second", "third"}));
  items[1] = "changed";
  for (std::string& item : items) item += "!";
  EXPECT_EQ(Items(items), (std::vector<std::string>{"first!", "changed!", "third!"}));
}

TEST(CompactVectorTest, CopiesAreDeep) {
  CompactVector<std::string> original;
  original.push_back("a");
  CompactVector<std::string> copy = original;
  original[0] = "changed";
  original.push_back("b");
  EXPECT_EQ(Items(copy), std::vector<std::string>{"a"});
  CompactVector<std::string> assigned;
  assigned = copy;
  copy[0] = "again";
  EXPECT_EQ(Items(assigned), std::vector<std::string>{"a"});
  assigned = CompactVector<std::string>();
  EXPECT_TRUE(assigned.empty());
}

TEST(CompactVectorTest, CopiesOntoItself) {
  CompactVector<std::string> items;
  items.push_back("same");
  CompactVector<std::string>& alias = items;
  items = alias;
  EXPECT_EQ(Items(items), std::vector<std::string>{"same"});
}

TEST(CompactVectorTest, MovedFromIsEmpty) {
  CompactVector<std::string> from;
  from.push_back("moved");
  CompactVector<std::string> to = std::move(from);
  EXPECT_EQ(Items(to), std::vector<std::string>{"moved"});
  EXPECT_TRUE(from.empty());  // NOLINT(bugprone-use-after-move): the documented state.
  from = std::move(to);
  EXPECT_EQ(Items(from), std::vector<std::string>{"moved"});
  EXPECT_TRUE(to.empty());  // NOLINT(bugprone-use-after-move)
}

}  // namespace
}  // namespace dojobber::core
