// SEMANTICS.md, "Jobs": local storage lives for one try; global storage for
// the whole run, shared by every job.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber {
namespace {

using core::JobStatus;
using testing::CheckThat;
using testing::Harness;
using Lines = std::vector<std::string>;

TEST(StorageTest, LocalStorageIsSharedByCheckRunAndRecheck) {
  Harness h;
  Lines seen;
  h.Add("Oven", {[&](Context& c) {
                   seen.push_back(std::string(PhaseName(c.phase())) + " " + c.local().dump());
                   if (!c.local().contains("preheated")) throw Error("cold");
                 },
                 [](Context& c) { c.local()["preheated"] = 180; },
                 {}});
  core::RunResult result = h.Run("Oven");
  EXPECT_EQ(h.Job(result, "Oven").status, JobStatus::kChanged);
  EXPECT_EQ(seen, (Lines{"check {}", "recheck {\"preheated\":180}"}));
}

TEST(StorageTest, LocalStorageIsGoneAtTheNextTry) {
  Harness h;
  Lines seen;
  h.Add("Oven", {[&](Context& c) {
                   if (c.is_recheck()) throw Error("still cold");
                   seen.push_back(c.local().dump());
                   c.local()["try"] = c.try_number();
                   throw Error("cold");
                 },
                 {},
                 {}});
  (void)h.Run("Oven");
  EXPECT_EQ(seen, (Lines{"{}", "{}", "{}"}));
}

TEST(StorageTest, LocalStorageOfAJobWithCleanupIsAlsoPerTry) {
  Harness h;
  Lines seen;
  h.Add("Oven", {[&](Context& c) {
                   seen.push_back(c.local().dump());
                   c.local()["try"] = c.try_number();
                   throw Error("cold");
                 },
                 {},
                 [](Context&) {}})
      .Tries(2);
  (void)h.Run("Oven");
  EXPECT_EQ(seen, (Lines{"{}", R"({"try":1})", "{}", R"({"try":2})"}));
}

TEST(StorageTest, LocalStorageIsNotSharedBetweenJobs) {
  Harness h;
  Lines seen;
  h.Add("Root", {[&](Context& c) { seen.push_back(c.local().dump()); }, {}, {}}).Deps({"First"});
  h.Add("First", {[](Context& c) { c.local()["mine"] = true; }, {}, {}});
  (void)h.Run("Root");
  EXPECT_EQ(seen, (Lines{"{}"}));
}

TEST(StorageTest, GlobalStorageLastsAcrossTries) {
  // The pizza of the original example: it arrives on the third order.
  Harness h;
  h.Add("Pizza", {CheckThat([](Context& c) { return c.global().Value<int>("orders", 0) >= 3; },
                            "no pizza yet"),
                  [](Context& c) { c.global().Add("orders", 1); },
                  {}});
  core::RunResult result = h.Run("Pizza");
  EXPECT_EQ(h.Job(result, "Pizza").status, JobStatus::kChanged);
  EXPECT_EQ(h.Job(result, "Pizza").tries, 3);
  EXPECT_EQ(h.engine->global().Get("orders"), 3);
}

TEST(StorageTest, GlobalStorageIsSharedByAllJobs) {
  Harness h;
  std::string seen;
  h.Add("Root",
        {[&](Context& c) { seen = c.global().Get("Start-DateTime").get<std::string>(); }, {}, {}})
      .Deps({"PickDate"});
  h.Add("PickDate", {CheckThat([](Context& c) { return c.global().Contains("Start-DateTime"); }),
                     [](Context& c) { c.global().Set("Start-DateTime", "2099-09-14 16:57 UTC"); },
                     {}});
  core::RunResult result = h.Run("Root");
  EXPECT_TRUE(result.success);
  EXPECT_EQ(seen, "2099-09-14 16:57 UTC");
}

TEST(StorageTest, GlobalStorageStartsEmptyForEachEngine) {
  Harness h;
  Lines seen;
  h.Add("A", {[&](Context& c) {
                seen.push_back(c.global().Snapshot().dump());
                c.global().Set("left", 1);
              },
              {},
              {}});
  (void)h.Run("A");
  (void)h.Run("A");
  EXPECT_EQ(seen, (Lines{"{}", "{}"}));
}

TEST(StorageTest, TypeErrorFromStorageFailsTheJob) {
  Harness h;
  h.Add("Root").Deps({"Writer", "Reader"});
  h.Add("Writer", {[](Context& c) { c.global().Set("count", "three"); }, {}, {}});
  h.Add("Reader", {[](Context& c) { (void)c.global().Value<int>("count", 0); }, {}, {}}).Tries(1);
  core::RunResult result = h.Run("Root");
  EXPECT_EQ(h.Job(result, "Reader").status, JobStatus::kFailed);
  EXPECT_NE(h.Job(result, "Reader").error->find("type must be number"), std::string::npos)
      << *h.Job(result, "Reader").error;
}

}  // namespace
}  // namespace dojobber
