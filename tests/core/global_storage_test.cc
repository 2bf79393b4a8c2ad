#include "core/global_storage.h"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace dojobber::core {
namespace {

using nlohmann::json;

TEST(LockedGlobalStorageTest, StartsAsAnEmptyObject) {
  LockedGlobalStorage storage;
  EXPECT_EQ(storage.Snapshot(), json::object());
  EXPECT_FALSE(storage.Contains("anything"));
  EXPECT_TRUE(storage.Get("anything").is_null());
}

TEST(LockedGlobalStorageTest, SetThenGet) {
  LockedGlobalStorage storage;
  storage.Set("Start-DateTime", "2099-09-14 16:57 UTC");
  storage.Set("guests", json::array({"alice", "bob"}));
  EXPECT_TRUE(storage.Contains("Start-DateTime"));
  EXPECT_EQ(storage.Get("Start-DateTime"), "2099-09-14 16:57 UTC");
  EXPECT_EQ(storage.Get("guests"), json::array({"alice", "bob"}));
  storage.Set("guests", 2);
  EXPECT_EQ(storage.Get("guests"), 2);
}

TEST(LockedGlobalStorageTest, GetReturnsACopy) {
  LockedGlobalStorage storage;
  storage.Set("list", json::array({1}));
  json copy = storage.Get("list");
  copy.push_back(2);
  EXPECT_EQ(storage.Get("list"), json::array({1}));
}

TEST(LockedGlobalStorageTest, ValueConvertsOrFallsBack) {
  LockedGlobalStorage storage;
  storage.Set("count", 4);
  storage.Set("name", "pizza");
  EXPECT_EQ(storage.Value<int>("count", 0), 4);
  EXPECT_EQ(storage.Value<std::string>("name", "none"), "pizza");
  EXPECT_EQ(storage.Value<int>("missing", 9), 9);
  EXPECT_EQ(storage.Value<std::string>("missing", "none"), "none");
}

TEST(LockedGlobalStorageTest, ValueOfTheWrongTypeThrows) {
  LockedGlobalStorage storage;
  storage.Set("name", "pizza");
  EXPECT_THROW((void)storage.Value<int>("name", 0), json::type_error);
}

TEST(LockedGlobalStorageTest, NullValueCountsAsSetButReadsAsFallback) {
  LockedGlobalStorage storage;
  storage.Set("nothing", nullptr);
  EXPECT_TRUE(storage.Contains("nothing"));
  EXPECT_EQ(storage.Value<int>("nothing", 5), 5);
}

TEST(LockedGlobalStorageTest, AddStartsFromZeroAndReturnsTheSum) {
  LockedGlobalStorage storage;
  EXPECT_EQ(storage.Add("pizza_failcount", 1), 1);
  EXPECT_EQ(storage.Add("pizza_failcount", 1), 2);
  EXPECT_EQ(storage.Add("pizza_failcount", -5), -3);
  EXPECT_EQ(storage.Get("pizza_failcount"), -3);
}

TEST(LockedGlobalStorageTest, AddToANonNumberThrowsAndKeepsTheValue) {
  LockedGlobalStorage storage;
  storage.Set("name", "pizza");
  EXPECT_THROW(storage.Add("name", 1), json::type_error);
  EXPECT_EQ(storage.Get("name"), "pizza");
}

TEST(LockedGlobalStorageTest, EraseSaysWhetherTheKeyWasSet) {
  LockedGlobalStorage storage;
  storage.Set("k", 1);
  EXPECT_TRUE(storage.Erase("k"));
  EXPECT_FALSE(storage.Contains("k"));
  EXPECT_FALSE(storage.Erase("k"));
}

TEST(LockedGlobalStorageTest, SnapshotIsACopyOfEverything) {
  LockedGlobalStorage storage;
  storage.Set("a", 1);
  storage.Set("b", "two");
  json snapshot = storage.Snapshot();
  storage.Set("c", 3);
  EXPECT_EQ(snapshot, (json{{"a", 1}, {"b", "two"}}));
}

TEST(LockedGlobalStorageTest, UpdateAndReadSeeTheWholeObject) {
  LockedGlobalStorage storage;
  storage.Update([](json& all) { all["seen"].push_back("me"); });
  storage.Update([](json& all) { all["seen"].push_back("you"); });
  std::string seen;
  storage.Read([&](const json& all) { seen = all.dump(); });
  EXPECT_EQ(seen, R"({"seen":["me","you"]})");
}

TEST(LockedGlobalStorageTest, ReplacingTheWholeValueKeepsAnObject) {
  LockedGlobalStorage storage;
  storage.Set("k", 1);
  storage.Update([](json& all) { all = 42; });
  EXPECT_EQ(storage.Snapshot(), json::object());
  storage.Set("k", 2);  // Still usable.
  EXPECT_EQ(storage.Get("k"), 2);
}

TEST(LockedGlobalStorageTest, UpdateThatThrowsStillLeavesAnObject) {
  LockedGlobalStorage storage;
  EXPECT_THROW(storage.Update([](json& all) {
    all = "not an object";
    throw std::runtime_error("job gave up half way");
  }),
               std::runtime_error);
  EXPECT_TRUE(storage.Snapshot().is_object());
  storage.Set("k", 1);
  EXPECT_EQ(storage.Get("k"), 1);
}

// All or nothing, as for a try in its own process (ProcessExecutorTest).
TEST(LockedGlobalStorageTest, UpdateThatThrowsChangesNothing) {
  LockedGlobalStorage storage;
  storage.Set("a", 1);
  EXPECT_THROW(storage.Update([](json& all) {
    all["a"] = 2;
    all["b"] = 3;
    throw std::runtime_error("boom in update");
  }),
               std::runtime_error);
  EXPECT_EQ(storage.Snapshot(), (json{{"a", 1}}));
}

TEST(LockedGlobalStorageTest, ConcurrentAddsGiveTheExactSum) {
  constexpr int kThreads = 8;
  constexpr int kAddsPerThread = 5000;
  LockedGlobalStorage storage;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&storage] {
      for (int i = 0; i < kAddsPerThread; ++i) {
        storage.Add("counter", 1);
        (void)storage.Get("counter");  // Readers interleave with writers.
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(storage.Value<std::int64_t>("counter", 0), std::int64_t{kThreads} * kAddsPerThread);
}

TEST(LockedGlobalStorageTest, ConcurrentSetsOfDifferentKeysAreAllKept) {
  constexpr int kThreads = 8;
  LockedGlobalStorage storage;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&storage, t] {
      for (int i = 0; i < 200; ++i)
        storage.Set("t" + std::to_string(t) + "_" + std::to_string(i), i);
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(storage.Snapshot().size(), std::size_t{kThreads} * 200);
}

}  // namespace
}  // namespace dojobber::core
