// Graphs the engine refuses before any job executes (SEMANTICS.md, "The
// graph"): a cycle, an unknown dependency, tries below 1, a negative or NaN
// retry delay, a timeout not above 0 or not finite. Only the jobs the root
// reaches count.

#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"

namespace dojobber::e2e {
namespace {

class GraphErrors : public ::testing::Test {
 protected:
  // `dojobber run` on the bad_graph plugin from `root`, writing a report into
  // an output folder that must stay empty when the run is refused.
  ProcessResult Run(const std::string& root) {
    return RunDojobber({"run", "--plugin", TestPlugin("bad_graph").string(), "--root", root,
                        "--default-retry-delay", "0", "--report", (output_ / "r.json").string()});
  }

  TempDir output_;
};

TEST_F(GraphErrors, CycleIsPrintedAsAPath) {
  EXPECT_TRUE(IsUsageError(Run("CycleA"), {"cycle", "CycleA -> CycleB -> CycleC -> CycleA"}));
  EXPECT_EQ(output_.Entries(), std::vector<std::string>{});
}

TEST_F(GraphErrors, UnknownDependency) {
  EXPECT_TRUE(IsUsageError(Run("NeedsMissing"), {"'NeedsMissing'", "'Missing'"}));
  EXPECT_EQ(output_.Entries(), std::vector<std::string>{});
}

TEST_F(GraphErrors, TriesBelowOne) {
  EXPECT_TRUE(IsUsageError(Run("ZeroTries"), {"'ZeroTries'", "tries"}));
  EXPECT_EQ(output_.Entries(), std::vector<std::string>{});
}

TEST_F(GraphErrors, NegativeRetryDelay) {
  EXPECT_TRUE(IsUsageError(Run("NegativeDelay"), {"'NegativeDelay'", "-0.5"}));
  EXPECT_EQ(output_.Entries(), std::vector<std::string>{});
}

TEST_F(GraphErrors, NanRetryDelay) {
  EXPECT_TRUE(IsUsageError(Run("NanDelay"), {"'NanDelay'", "nan"}));
  EXPECT_EQ(output_.Entries(), std::vector<std::string>{});
}

TEST_F(GraphErrors, TimeoutNotAboveZeroOrNotFinite) {
  for (const auto& [root, shown] :
       {std::pair{"ZeroTimeout", "(got 0)"}, std::pair{"NegativeTimeout", "(got -1)"},
        std::pair{"NanTimeout", "(got nan)"}}) {
    EXPECT_TRUE(IsUsageError(Run(root), {"'" + std::string(root) + "'", "timeout", shown})) << root;
    EXPECT_EQ(output_.Entries(), std::vector<std::string>{}) << root;
  }
}

TEST_F(GraphErrors, JobsTheRootDoesNotReachDoNotMatter) {
  const ProcessResult result = Run("Fine");

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, ::testing::HasSubstr("Result: SUCCESS\n"));
  EXPECT_EQ(output_.Entries(), std::vector<std::string>{"r.json"});
}

TEST_F(GraphErrors, GraphWithoutRootRefusesTheCycle) {
  EXPECT_TRUE(IsUsageError(RunDojobber({"graph", "--plugin", TestPlugin("bad_graph").string()}),
                           {"CycleA -> CycleB -> CycleC -> CycleA"}));
}

}  // namespace
}  // namespace dojobber::e2e
