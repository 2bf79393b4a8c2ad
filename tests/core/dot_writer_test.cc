#include "core/dot_writer.h"

#include <sstream>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber::core {
namespace {

using testing::CheckThat;
using testing::Harness;

TEST(DotWriterTest, WritesNodesInRunOrderAndEdgesToDependencies) {
  Harness h;
  h.Add("Root").Deps({"B", "A"});
  h.Add("A");
  h.Add("B").Deps({"A"});
  auto graph = h.Build("Root");
  ASSERT_TRUE(graph.ok());
  std::ostringstream out;
  WriteDot(out, *graph);
  EXPECT_EQ(out.str(),
            "digraph dojobber {\n"
            "  node [shape=box];\n"
            "  \"A\";\n"
            "  \"B\";\n"
            "  \"B\" -> \"A\";\n"
            "  \"Root\";\n"
            "  \"Root\" -> \"B\";\n"
            "  \"Root\" -> \"A\";\n"
            "}\n");
}

TEST(DotWriterTest, QuotesAwkwardNames) {
  Harness h;
  h.Add("say \"hi\"\\now");
  auto graph = h.Build(std::nullopt);
  ASSERT_TRUE(graph.ok());
  std::ostringstream out;
  WriteDot(out, *graph);
  EXPECT_NE(out.str().find("  \"say \\\"hi\\\"\\\\now\";\n"), std::string::npos) << out.str();
}

TEST(DotWriterTest, FillsNodesByFinalStatus) {
  Harness h;
  h.Add("Root").Deps({"Ok", "Changed", "Failed"});
  h.Add("Ok");
  h.Add("Changed", {CheckThat([](Context& c) { return c.is_recheck(); }), {}, {}});
  h.Add("Failed", {CheckThat([](Context&) { return false; }), {}, {}});
  RunResult result = h.Run("Root");
  std::ostringstream out;
  WriteDot(out, *h.graph, &result);
  const std::string dot = out.str();
  EXPECT_NE(dot.find("  \"Ok\" [style=filled, fillcolor=green];\n"), std::string::npos) << dot;
  EXPECT_NE(dot.find("  \"Changed\" [style=filled, fillcolor=darkgreen, fontcolor=white];\n"),
            std::string::npos);
  EXPECT_NE(dot.find("  \"Failed\" [style=filled, fillcolor=red];\n"), std::string::npos);
  EXPECT_NE(dot.find("  \"Root\";\n"), std::string::npos) << "blocked jobs are not filled";
}

}  // namespace
}  // namespace dojobber::core
