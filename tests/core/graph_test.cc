#include "core/graph.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber::core {
namespace {

using testing::Harness;

std::vector<std::string> Order(const Graph& graph) {
  std::vector<std::string> names;
  for (JobId id = 0; id < graph.size(); ++id) names.push_back(graph.name(id));
  return names;
}

std::vector<std::string> Names(const Graph& graph, std::span<const JobId> ids) {
  std::vector<std::string> names;
  for (JobId id : ids) names.push_back(graph.name(id));
  return names;
}

TEST(GraphTest, IdsFollowDepthFirstPostOrderInDeclarationOrder) {
  Harness h;
  h.Add("Root").Deps({"B", "A"});
  h.Add("A").Deps({"C"});
  h.Add("B").Deps({"C", "D"});
  h.Add("C");
  h.Add("D");
  h.Add("Unreached").Deps({"A"});
  auto graph = h.Build("Root");
  ASSERT_TRUE(graph.ok()) << graph.message();
  EXPECT_EQ(Order(*graph), (std::vector<std::string>{"C", "D", "B", "A", "Root"}));
  EXPECT_EQ(graph->root(), JobId{4});
  EXPECT_FALSE(graph->Find("Unreached"));
}

TEST(GraphTest, DepsKeepDeclarationOrderAndDropDuplicates) {
  Harness h;
  h.Add("Root").Deps({"B", "A", "B"}).Deps({"A", "C"});
  h.Add("A");
  h.Add("B");
  h.Add("C");
  auto graph = h.Build("Root");
  ASSERT_TRUE(graph.ok());
  const JobId root = *graph->root();
  EXPECT_EQ(Names(*graph, graph->deps(root)), (std::vector<std::string>{"B", "A", "C"}));
  EXPECT_EQ(Names(*graph, graph->dependents(*graph->Find("A"))),
            (std::vector<std::string>{"Root"}));
}

TEST(GraphTest, DependentsAreListedInPostOrder) {
  Harness h;
  h.Add("Root").Deps({"X", "Y"});
  h.Add("X").Deps({"Base"});
  h.Add("Y").Deps({"Base"});
  h.Add("Base");
  auto graph = h.Build("Root");
  ASSERT_TRUE(graph.ok());
  EXPECT_EQ(Names(*graph, graph->dependents(*graph->Find("Base"))),
            (std::vector<std::string>{"X", "Y"}));
}

TEST(GraphTest, WithoutRootTakesEveryJobInRegistrationOrder) {
  Harness h;
  h.Add("B").Deps({"A"});
  h.Add("A");
  h.Add("Lone");
  auto graph = h.Build(std::nullopt);
  ASSERT_TRUE(graph.ok());
  EXPECT_EQ(Order(*graph), (std::vector<std::string>{"A", "B", "Lone"}));
  EXPECT_FALSE(graph->root());
}

TEST(GraphTest, SeveralRootsTakeTheUnionInTheOrderGiven) {
  Harness h;
  h.Add("First").Deps({"Shared", "A"});
  h.Add("Second").Deps({"B", "Shared"});
  h.Add("Shared").Deps({"Base"});
  h.Add("A");
  h.Add("B");
  h.Add("Base");
  h.Add("Unreached");
  const std::vector<std::string> roots = {"First", "Second", "First"};
  auto graph = Graph::BuildFromRoots(h.registry, roots, h.defaults);
  ASSERT_TRUE(graph.ok()) << graph.message();
  // Post-order from First, then what is new from Second; Shared once.
  EXPECT_EQ(Order(*graph),
            (std::vector<std::string>{"Base", "Shared", "A", "First", "B", "Second"}));
  EXPECT_EQ(Names(*graph, graph->roots()), (std::vector<std::string>{"First", "Second"}));
  EXPECT_EQ(graph->root(), graph->Find("First"));
  EXPECT_FALSE(graph->Find("Unreached"));

  const std::vector<std::string> reversed = {"Second", "First"};
  auto other = Graph::BuildFromRoots(h.registry, reversed, h.defaults);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(Order(*other),
            (std::vector<std::string>{"B", "Base", "Shared", "Second", "A", "First"}));
  const std::vector<std::string> unknown = {"First", "Nope"};
  auto refused = Graph::BuildFromRoots(h.registry, unknown, h.defaults);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.message(), "unknown root job 'Nope'");
}

TEST(GraphTest, RefusesUnknownRoot) {
  Harness h;
  h.Add("A");
  auto graph = h.Build("Nope");
  ASSERT_FALSE(graph.ok());
  EXPECT_EQ(graph.message(), "unknown root job 'Nope'");
}

TEST(GraphTest, RefusesUnknownDependency) {
  Harness h;
  h.Add("Root").Deps({"A"});
  h.Add("A").Deps({"Ghost"});
  auto graph = h.Build("Root");
  ASSERT_FALSE(graph.ok());
  EXPECT_EQ(graph.message(), "job 'A' depends on unknown job 'Ghost'");
}

TEST(GraphTest, IgnoresProblemsOutsideTheRootsGraph) {
  Harness h;
  h.Add("Root");
  h.Add("Other").Deps({"Ghost"}).Tries(0);
  EXPECT_TRUE(h.Build("Root").ok());
  EXPECT_FALSE(h.Build(std::nullopt).ok());
}

TEST(GraphTest, PrintsTheCycle) {
  Harness h;
  h.Add("Root").Deps({"A"});
  h.Add("A").Deps({"B"});
  h.Add("B").Deps({"C"});
  h.Add("C").Deps({"A"});
  auto graph = h.Build("Root");
  ASSERT_FALSE(graph.ok());
  EXPECT_EQ(graph.message(), "dependency cycle: A -> B -> C -> A");
}

TEST(GraphTest, SelfDependencyIsACycle) {
  Harness h;
  h.Add("A").Deps({"A"});
  auto graph = h.Build("A");
  ASSERT_FALSE(graph.ok());
  EXPECT_EQ(graph.message(), "dependency cycle: A -> A");
}

TEST(GraphTest, RefusesDuplicateNames) {
  Harness h;
  h.Add("A");
  h.Add("A");
  auto graph = h.Build("A");
  ASSERT_FALSE(graph.ok());
  EXPECT_EQ(graph.message(), "duplicate job name 'A': registered twice by the program");
}

TEST(GraphTest, AppliesDefaultsToUnsetOptions) {
  Harness h;
  h.defaults = {5, 0.25};
  h.Add("Root").Deps({"Set"});
  h.Add("Set").Tries(8).RetryDelay(0.001);
  auto graph = h.Build("Root");
  ASSERT_TRUE(graph.ok());
  EXPECT_EQ(graph->tries(*graph->root()), 5);
  EXPECT_DOUBLE_EQ(graph->retry_delay(*graph->root()), 0.25);
  EXPECT_EQ(graph->tries(*graph->Find("Set")), 8);
  EXPECT_DOUBLE_EQ(graph->retry_delay(*graph->Find("Set")), 0.001);
}

TEST(GraphTest, RefusesTriesBelowOne) {
  Harness h;
  h.Add("A").Tries(0);
  auto graph = h.Build("A");
  ASSERT_FALSE(graph.ok());
  EXPECT_EQ(graph.message(), "job 'A': tries must be at least 1 (got 0)");
}

TEST(GraphTest, RefusesNegativeOrNonFiniteRetryDelay) {
  for (double bad : {-1.0, std::nan(""), std::numeric_limits<double>::infinity()}) {
    Harness h;
    h.Add("A").RetryDelay(bad);
    auto graph = h.Build("A");
    ASSERT_FALSE(graph.ok()) << bad;
    EXPECT_NE(graph.message().find("job 'A': retry delay must be a finite number of seconds >= 0"),
              std::string::npos)
        << graph.message();
  }
}

TEST(GraphTest, DeepChainsDoNotRecurse) {
  // Far deeper than any call stack would survive if building recursed.
  constexpr int kDepth = 200000;
  Harness h;
  for (int i = 0; i < kDepth; ++i) {
    auto& job = h.Add("J" + std::to_string(i));
    if (i > 0) job.Deps({"J" + std::to_string(i - 1)});
  }
  auto graph = h.Build("J" + std::to_string(kDepth - 1));
  ASSERT_TRUE(graph.ok());
  EXPECT_EQ(graph->size(), std::size_t{kDepth});
  EXPECT_EQ(graph->name(0), "J0");
}

TEST(GraphTest, CycleInADeepChainIsFound) {
  constexpr int kDepth = 100000;
  Harness h;
  for (int i = 0; i < kDepth; ++i) {
    h.Add("J" + std::to_string(i)).Deps({"J" + std::to_string((i + 1) % kDepth)});
  }
  auto graph = h.Build("J0");
  ASSERT_FALSE(graph.ok());
  EXPECT_EQ(graph.message().rfind("dependency cycle: J0 -> J1 -> ", 0), 0u);
  EXPECT_TRUE(graph.message().ends_with("J99999 -> J0"));
}

}  // namespace
}  // namespace dojobber::core

namespace dojobber::core {
namespace {

TEST(GraphTimeoutTest, JobsGetTheirOwnTimeoutOrTheDefault) {
  testing::Harness h;
  h.defaults.timeout = 5;
  h.Add("Root").Deps({"Quick"});
  h.Add("Quick").Timeout(0.5);
  auto graph = h.Build("Root");
  ASSERT_TRUE(graph.ok());
  EXPECT_DOUBLE_EQ(graph->timeout(*graph->Find("Quick")), 0.5);
  EXPECT_DOUBLE_EQ(graph->timeout(*graph->Find("Root")), 5);
}

TEST(GraphTimeoutTest, NoTimeoutAnywhereIsZero) {
  testing::Harness h;
  h.Add("A");
  auto graph = h.Build("A");
  ASSERT_TRUE(graph.ok());
  EXPECT_EQ(graph->timeout(0), 0);
}

TEST(GraphTimeoutTest, RefusesATimeoutThatIsNotAPositiveNumber) {
  for (double bad : {0.0, -1.0, std::nan(""), std::numeric_limits<double>::infinity()}) {
    testing::Harness h;
    h.Add("A").Timeout(bad);
    auto graph = h.Build("A");
    ASSERT_FALSE(graph.ok()) << bad;
    EXPECT_NE(graph.message().find("job 'A': timeout must be a finite number of seconds > 0"),
              std::string::npos)
        << graph.message();
  }
}

TEST(GraphResourceTest, RefusesCpusOrMemoryBelowOne) {
  testing::Harness cpus;
  cpus.Add("A").Cpus(0);
  auto graph = cpus.Build("A");
  ASSERT_FALSE(graph.ok());
  EXPECT_EQ(graph.message(), "job 'A': cpus must be at least 1 (got 0)");
  testing::Harness memory;
  memory.Add("A").MemoryMiB(-5);
  graph = memory.Build("A");
  ASSERT_FALSE(graph.ok());
  EXPECT_EQ(graph.message(), "job 'A': memory must be at least 1 MiB (got -5)");
}

}  // namespace
}  // namespace dojobber::core
