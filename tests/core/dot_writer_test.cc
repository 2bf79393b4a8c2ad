#include "core/dot_writer.h"

#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber::core {
namespace {

using testing::CheckThat;
using testing::Fails;
using testing::Harness;
using ::testing::HasSubstr;
using ::testing::StartsWith;

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

// The attribute list of `name`'s node statement in `dot`, or "" if it has
// none; fails the test when there is no such statement.
std::string NodeAttributes(const std::string& dot, const std::string& name) {
  const std::string start = "\n  \"" + name + "\"";
  std::size_t at = dot.find(start + " [");
  if (at == std::string::npos) {
    EXPECT_NE(dot.find(start + ";\n"), std::string::npos) << name << " has no node in\n" << dot;
    return "";
  }
  at += start.size() + 2;
  return dot.substr(at, dot.find("];\n", at) - at);
}

// Runs `root` and returns the graph coloured by the result.
std::string DotOfRun(Harness& h, std::string_view root) {
  RunResult result = h.Run(root);
  std::ostringstream out;
  WriteDot(out, *h.graph, &result);
  return out.str();
}

TEST(DotWriterTest, FillsNodesByFinalStatus) {
  Harness h;
  h.Add("Root").Deps({"Ok", "Changed", "Failed"});
  h.Add("Ok");
  h.Add("Changed", {CheckThat([](Context& c) { return c.is_recheck(); }), {}, {}});
  h.Add("Failed", {CheckThat([](Context&) { return false; }), {}, {}});
  const std::string dot = DotOfRun(h, "Root");
  EXPECT_THAT(NodeAttributes(dot, "Ok"),
              StartsWith("style=filled, fillcolor=green, tooltip=\"Ok: ok, 1 try\""));
  EXPECT_THAT(NodeAttributes(dot, "Changed"),
              StartsWith("style=filled, fillcolor=darkgreen, fontcolor=white, tooltip=\"Changed: "
                         "changed, 1 try\""));
  EXPECT_THAT(NodeAttributes(dot, "Failed"), StartsWith("style=filled, fillcolor=red, label="));
  EXPECT_THAT(NodeAttributes(dot, "Root"), StartsWith("style=dashed, label="))
      << "blocked jobs are dashed, not filled";
}

TEST(DotWriterTest, FailedJobsShowTheirErrorInLabelAndTooltip) {
  Harness h;
  h.Add("Broken", {Fails("the disk is full"), Fails("the disk is full"), {}});
  RunResult result = h.Run("Broken");
  ASSERT_EQ(result.jobs[0].status, JobStatus::kFailed);
  std::ostringstream out;
  WriteDot(out, *h.graph, &result);
  const std::string attributes = NodeAttributes(out.str(), "Broken");
  EXPECT_THAT(attributes, HasSubstr("label=\"\\N\\nthe disk is full\"")) << attributes;
  EXPECT_THAT(attributes, HasSubstr("tooltip=\"Broken: failed, 3 tries: the disk is full\""))
      << attributes;
}

TEST(DotWriterTest, LongErrorsAreCutInTheLabelAndKeptInTheTooltip) {
  // 60 characters, some of two bytes: the cut falls between characters.
  std::string error;
  for (int i = 0; i < 30; ++i) error += "aé";
  Harness h;
  h.Add("Broken", {Fails(error), Fails(error), {}});
  const std::string attributes = NodeAttributes(DotOfRun(h, "Broken"), "Broken");
  std::string cut;
  for (int i = 0; i < 39; ++i) cut += i % 2 == 0 ? "a" : "é";
  EXPECT_THAT(attributes, HasSubstr("label=\"\\N\\n" + cut + "…\"")) << attributes;
  EXPECT_THAT(attributes, HasSubstr(": " + error + "\"")) << attributes;
}

TEST(DotWriterTest, EscapesErrorTextForDotAndGraphvizEntities) {
  Harness h;
  const std::string error = "say \"a & b\"\\\nthen \x1b[31m";
  h.Add("Broken", {Fails(error), Fails(error), {}});
  const std::string dot = DotOfRun(h, "Broken");
  // One line, quotes and backslashes escaped, `&` an entity, the newline and
  // the escape character shown as core::Printable shows them.
  EXPECT_THAT(dot, HasSubstr("label=\"\\N\\nsay \\\"a &amp; b\\\"\\\\\\\\nthen \\\\x1b[31m\""))
      << dot;
  EXPECT_EQ(NodeAttributes(dot, "Broken").find('\n'), std::string::npos) << dot;
}

TEST(DotWriterTest, BlockedJobsShowTheirRootCause) {
  Harness h;
  h.Add("Root").Deps({"Middle"});
  h.Add("Middle").Deps({"Broken"});
  h.Add("Broken", {Fails("no network"), Fails("no network"), {}});
  const std::string attributes = NodeAttributes(DotOfRun(h, "Root"), "Root");
  EXPECT_THAT(attributes, HasSubstr("label=\"\\N\\nblocked: Broken failed (no network)\""))
      << attributes;
  EXPECT_THAT(attributes, HasSubstr("tooltip=\"Root: blocked: Broken failed (no network)\""))
      << attributes;
}

TEST(DotWriterTest, LegendListsEveryStatusInItsStyle) {
  Harness h;
  h.Add("Root");
  const std::string dot = DotOfRun(h, "Root");
  EXPECT_THAT(dot, HasSubstr("  subgraph \"cluster_legend\" {\n    label=\"status\";\n")) << dot;
  EXPECT_THAT(dot, HasSubstr("\"legend: ok\" [label=\"ok\", style=filled, fillcolor=green];"));
  EXPECT_THAT(dot, HasSubstr("\"legend: changed\" [label=\"changed\", style=filled, "
                             "fillcolor=darkgreen, fontcolor=white];"));
  EXPECT_THAT(dot, HasSubstr("\"legend: failed\" [label=\"failed\", style=filled, "
                             "fillcolor=red];"));
  EXPECT_THAT(dot, HasSubstr("\"legend: blocked\" [label=\"blocked\", style=dashed];"));
  EXPECT_THAT(dot, HasSubstr("\"legend: ok\" -> \"legend: changed\" -> \"legend: failed\" -> "
                             "\"legend: blocked\" [style=invis];"))
      << "kept in that order";
  EXPECT_TRUE(dot.ends_with("  }\n}\n")) << dot;
  const DotSize size = DotSizeOf(*h.graph, true);
  EXPECT_EQ(size.nodes, 5u);
  EXPECT_EQ(size.edges, 3u) << "the legend's invisible edges";
}

TEST(DotWriterTest, LegendNodesNeverTakeAJobsName) {
  Harness h;
  h.Add("Root").Deps({"legend: ok"});
  h.Add("legend: ok");
  const std::string dot = DotOfRun(h, "Root");
  EXPECT_THAT(dot, HasSubstr("\"legend:: ok\" [label=\"ok\"")) << dot;
  EXPECT_THAT(NodeAttributes(dot, "legend: ok"), HasSubstr("tooltip=\"legend: ok: ok, 1 try\""));
}

TEST(DotWriterTest, WithoutAResultThereIsNoLegend) {
  Harness h;
  h.Add("Root").Deps({"A"});
  h.Add("A");
  auto graph = h.Build("Root");
  ASSERT_TRUE(graph.ok());
  std::ostringstream out;
  WriteDot(out, *graph);
  EXPECT_EQ(out.str().find("legend"), std::string::npos) << out.str();
  const DotSize size = DotSizeOf(*graph, false);
  EXPECT_EQ(size.nodes, 2u);
  EXPECT_EQ(size.edges, 1u);
}

}  // namespace
}  // namespace dojobber::core
