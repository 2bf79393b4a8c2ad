#include "core/dot_render.h"

#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/dot_writer.h"
#include "support/test_support.h"

namespace dojobber::core {
namespace {

using testing::Fails;
using testing::Harness;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::string_view kSmall = "digraph { node [shape=box]; \"A\" -> \"B\"; }";

std::string Drawn(std::string_view dot, RenderFormat format) {
  auto drawn = RenderDot(dot, format);
  EXPECT_TRUE(drawn.ok()) << drawn.message();
  return drawn.ok() ? *drawn : "";
}

TEST(DotRenderTest, DrawsSvg) {
  const std::string svg = Drawn(kSmall, RenderFormat::kSvg);
  EXPECT_THAT(svg, StartsWith("<?xml"));
  EXPECT_THAT(svg, HasSubstr("<svg"));
  EXPECT_THAT(svg, HasSubstr("<title>A</title>"));
  EXPECT_THAT(svg, HasSubstr("<title>A&#45;&gt;B</title>"));
}

TEST(DotRenderTest, DrawsPng) {
  const std::string png = Drawn(kSmall, RenderFormat::kPng);
  EXPECT_THAT(png, StartsWith(std::string("\x89PNG\r\n\x1a\n", 8)));
  EXPECT_GT(png.size(), 100u);
}

TEST(DotRenderTest, DrawsPdf) {
  const std::string pdf = Drawn(kSmall, RenderFormat::kPdf);
  EXPECT_THAT(pdf, StartsWith("%PDF-"));
  EXPECT_THAT(pdf, HasSubstr("%%EOF"));
}

// The run's graph as WriteDot writes it, drawn: statuses as fill colours, a
// failed job's error as its tooltip, the legend.
TEST(DotRenderTest, SvgOfARunShowsStatusesErrorsAndTheLegend) {
  Harness h;
  h.Add("Root").Deps({"Ok", "Broken"});
  h.Add("Ok");
  h.Add("Broken", {Fails("disk <full> & gone"), Fails("disk <full> & gone"), {}});
  RunResult result = h.Run("Root");
  std::ostringstream dot;
  WriteDot(dot, *h.graph, &result);
  const std::string svg = Drawn(dot.str(), RenderFormat::kSvg);

  EXPECT_THAT(svg, HasSubstr("xlink:title=\"Broken: failed, 3 tries: disk &lt;full&gt; &amp; "
                             "gone\""))
      << svg;
  EXPECT_THAT(svg, HasSubstr(">disk &lt;full&gt; &amp; gone</text>")) << "the label's second line";
  EXPECT_THAT(svg, HasSubstr("xlink:title=\"Root: blocked: Broken failed"));
  EXPECT_THAT(svg, HasSubstr("fill=\"red\""));
  EXPECT_THAT(svg, HasSubstr("fill=\"green\""));
  EXPECT_THAT(svg, HasSubstr("fill=\"darkgreen\"")) << "in the legend";
  EXPECT_THAT(svg, HasSubstr("stroke-dasharray")) << "blocked: dashed";
  EXPECT_THAT(svg, HasSubstr("<title>cluster_legend</title>"));
  for (const char* status :
       {">ok</text>", ">changed</text>", ">failed</text>", ">blocked</text>"}) {
    EXPECT_THAT(svg, HasSubstr(status));
  }
}

TEST(DotRenderTest, TextThatIsNotDotIsAnErrorValueAndPrintsNothing) {
  ::testing::internal::CaptureStderr();
  auto drawn = RenderDot("digraph { A -> ; }", RenderFormat::kSvg);
  const std::string printed = ::testing::internal::GetCapturedStderr();
  ASSERT_FALSE(drawn.ok());
  EXPECT_THAT(drawn.message(), StartsWith("Graphviz: syntax error in line 1"));
  EXPECT_EQ(drawn.message().find('\n'), std::string::npos) << drawn.message();
  EXPECT_EQ(printed, "");
  // Graphviz's parser is fine after the error.
  EXPECT_THAT(Drawn(kSmall, RenderFormat::kSvg), HasSubstr("<svg"));
}

TEST(DotRenderTest, EmptyAndNulTextAreErrors) {
  EXPECT_FALSE(RenderDot("", RenderFormat::kPng).ok());
  auto nul = RenderDot(std::string("digraph { A; }\0 B", 18), RenderFormat::kSvg);
  ASSERT_FALSE(nul.ok());
  EXPECT_THAT(nul.message(), HasSubstr("NUL"));
}

TEST(DotRenderTest, RefusesAGraphBeyondTheLimitBeforeLayingItOut) {
  std::string many = "digraph {\n";
  for (std::size_t i = 0; i <= kMaxRenderedNodes; ++i) many += "  n" + std::to_string(i) + ";\n";
  many += "}\n";
  auto drawn = RenderDot(many, RenderFormat::kSvg);
  ASSERT_FALSE(drawn.ok());
  EXPECT_THAT(drawn.message(),
              HasSubstr("the graph has " + std::to_string(kMaxRenderedNodes + 1) + " nodes"));
  EXPECT_THAT(drawn.message(), HasSubstr("at most " + std::to_string(kMaxRenderedNodes)));

  EXPECT_TRUE(CheckRenderedSize(kMaxRenderedNodes, kMaxRenderedEdges).ok());
  EXPECT_FALSE(CheckRenderedSize(kMaxRenderedNodes, kMaxRenderedEdges + 1).ok());
  EXPECT_FALSE(CheckRenderedSize(kMaxRenderedNodes + 1, 0).ok());
}

// Graphviz is not thread-safe: RenderDot takes turns.
TEST(DotRenderTest, CallsFromSeveralThreadsEachGetTheirDrawing) {
  std::vector<std::string> drawings(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < drawings.size(); ++i) {
    threads.emplace_back([&drawings, i] {
      const std::string dot = "digraph { \"T" + std::to_string(i) + "\" -> \"X\"; }";
      auto drawn = RenderDot(dot, i % 2 == 0 ? RenderFormat::kSvg : RenderFormat::kPng);
      if (drawn) drawings[i] = *drawn;
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (std::size_t i = 0; i < drawings.size(); i += 2) {
    EXPECT_THAT(drawings[i], HasSubstr("<title>T" + std::to_string(i) + "</title>"));
  }
  for (std::size_t i = 1; i < drawings.size(); i += 2) {
    EXPECT_THAT(drawings[i], StartsWith("\x89PNG"));
  }
}

}  // namespace
}  // namespace dojobber::core
