#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber {
namespace {

using testing::CheckThat;
using testing::Harness;

TEST(SmokeTest, RunThenPassAndBlocked) {
  Harness h;
  h.Add("Root").Deps({"Fixable", "Broken"});
  h.Add("Fixable", {CheckThat([](Context& c) { return c.local().contains("done"); }),
                    [](Context& c) { c.local()["done"] = true; }, {}});
  h.Add("Broken", {CheckThat([](Context&) { return false; }, "nope"), {}, {}});
  auto result = h.Run("Root");
  ASSERT_FALSE(h.failure) << *h.failure;
  EXPECT_EQ(h.Job(result, "Fixable").status, core::JobStatus::kChanged);
  EXPECT_EQ(h.Job(result, "Broken").status, core::JobStatus::kFailed);
  EXPECT_EQ(h.Job(result, "Broken").tries, 3);
  EXPECT_EQ(h.Job(result, "Root").status, core::JobStatus::kBlocked);
  for (auto& l : h.observer.lines()) std::cout << l << "\n";
}

}  // namespace
}  // namespace dojobber
