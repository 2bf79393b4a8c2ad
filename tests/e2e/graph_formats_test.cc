// `graph -o FILE` and `run --graph FILE`: the graph in the format of the
// file name's extension, drawn in-process for .svg, .png and .pdf.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"
#include "tests/e2e/hardening_support.h"

namespace dojobber::e2e {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const std::string kPngMagic("\x89PNG\r\n\x1a\n", 8);

ProcessResult GraphMovieTo(const fs::path& file) {
  return RunDojobber({"graph", "--plugin", "movie", "--root", "WatchMovie", "-o", file.string()});
}

// The faults plugin's Survivor leaves a marker file when it runs: a refused
// command must not get that far.
std::vector<std::string> RunSurvivor(const TempDir& dir, std::vector<std::string> extra) {
  std::vector<std::string> args = {
      "run",      "--plugin", TestPlugin("faults").string(),        "--root",
      "Survivor", "--arg",    "marker=" + (dir / "marker").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TEST(GraphFormats, GraphCommandWritesEachFormat) {
  TempDir dir;
  for (const char* name : {"movie.svg", "movie.png", "movie.pdf", "movie.dot"}) {
    const ProcessResult result = GraphMovieTo(dir / name);
    EXPECT_EQ(result.exit_code, 0) << name << ": " << result.err;
    EXPECT_EQ(result.out, "") << name;
    EXPECT_EQ(result.err, "") << name << ": Graphviz prints nothing";
  }
  const std::string svg = ReadFile(dir / "movie.svg");
  EXPECT_THAT(svg, StartsWith("<?xml"));
  EXPECT_THAT(svg, HasSubstr("<svg"));
  for (const char* job : {"WatchMovie", "StartMovie", "Invite Lawyer Cat", "PopcornBowl"}) {
    EXPECT_THAT(svg, HasSubstr(std::string("<title>") + job + "</title>")) << job;
  }
  EXPECT_THAT(svg, HasSubstr("<title>StartMovie&#45;&gt;TurnOnTV</title>"));
  EXPECT_THAT(svg, Not(HasSubstr("cluster_legend"))) << "no run, no statuses, no legend";
  EXPECT_THAT(ReadFile(dir / "movie.png"), StartsWith(kPngMagic));
  EXPECT_THAT(ReadFile(dir / "movie.pdf"), StartsWith("%PDF-"));
  EXPECT_EQ(ReadFile(dir / "movie.dot"),
            RunDojobber({"graph", "--plugin", "movie", "--root", "WatchMovie"}).out);
  EXPECT_EQ(dir.Entries(),
            (std::vector<std::string>{"movie.dot", "movie.pdf", "movie.png", "movie.svg"}));
}

TEST(GraphFormats, ExtensionsAreReadWhateverTheirCase) {
  TempDir dir;
  const ProcessResult result = GraphMovieTo(dir / "Movie.SVG");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(ReadFile(dir / "Movie.SVG"), StartsWith("<?xml"));
  EXPECT_EQ(GraphMovieTo(dir / "movie.gv").exit_code, 0);
  EXPECT_THAT(ReadFile(dir / "movie.gv"), StartsWith("digraph dojobber {"));
}

// The movie example's failing run, drawn: the failed job's error as its
// tooltip, statuses as colours, the blocked jobs' root cause, the legend.
TEST(GraphFormats, RunGraphSvgShowsTheFailedJobsError) {
  TempDir dir;
  const ProcessResult result = RunMovie("WatchMovie", {"--graph", (dir / "run.svg").string()});
  ASSERT_EQ(result.exit_code, 1) << result.err;
  EXPECT_THAT(result.out, HasSubstr("TurnOnTV"));
  const std::string svg = ReadFile(dir / "run.svg");
  EXPECT_THAT(svg, StartsWith("<?xml"));
  EXPECT_THAT(svg, HasSubstr("xlink:title=\"TurnOnTV: failed, 3 tries: Remote batteries are "
                             "dead.\""))
      << svg;
  EXPECT_THAT(svg, HasSubstr(">Remote batteries are dead.</text>"));
  EXPECT_THAT(svg, HasSubstr("xlink:title=\"StartMovie: blocked: TurnOnTV failed (Remote "
                             "batteries are dead.)"));
  EXPECT_THAT(svg, HasSubstr("xlink:title=\"FindTVRemote: ok, 1 try\""));
  EXPECT_THAT(svg, HasSubstr("xlink:title=\"Invite Lawyer Cat: changed, 1 try\""));
  EXPECT_THAT(svg, HasSubstr("fill=\"red\""));
  EXPECT_THAT(svg, HasSubstr("fill=\"darkgreen\""));
  EXPECT_THAT(svg, HasSubstr("<title>cluster_legend</title>"));
  EXPECT_EQ(dir.Entries(), std::vector<std::string>{"run.svg"});
}

// What an SVG says, without where it says it: each element's title, tooltip,
// fill colour and text, in order. Coordinates depend on the fonts installed.
std::vector<std::string> SvgContent(const std::string& svg) {
  std::vector<std::string> content;
  for (const std::string_view start : {"<title>", "xlink:title=\"", "fill=\"", "\">"}) {
    for (std::size_t at = svg.find(start); at != std::string::npos; at = svg.find(start, at + 1)) {
      const std::size_t from = at + start.size();
      const std::size_t end = svg.find_first_of("<\"", from);
      content.push_back(std::string(start) + svg.substr(from, end - from));
    }
  }
  return content;
}

// The README shows docs/movie-graph.svg as what --graph draws.
TEST(GraphFormats, TheReadmePictureIsWhatRunGraphDraws) {
  TempDir dir;
  const ProcessResult result = RunMovie("WatchMovie", {"--graph", (dir / "movie.svg").string()});
  ASSERT_EQ(result.exit_code, 1) << result.err;
  const std::vector<std::string> drawn = SvgContent(ReadFile(dir / "movie.svg"));
  EXPECT_GT(drawn.size(), 100u);
  EXPECT_EQ(SvgContent(ReadFile(SourceDir() / "docs/movie-graph.svg")), drawn)
      << "make it again: dojobber run --plugin movie --root WatchMovie --graph "
         "docs/movie-graph.svg";
  EXPECT_NE(ReadFile(SourceDir() / "README.md").find("](docs/movie-graph.svg)"), std::string::npos);
}

TEST(GraphFormats, RunWritesDotAndADrawingTogether) {
  TempDir dir;
  const ProcessResult result = RunMovie("WatchMovie", {"--dot", (dir / "run.svg.txt").string(),
                                                       "--graph", (dir / "run.png").string()});
  ASSERT_EQ(result.exit_code, 1) << result.err;
  EXPECT_THAT(ReadFile(dir / "run.png"), StartsWith(kPngMagic));
  // --dot writes DOT whatever the name says.
  const std::string dot = ReadFile(dir / "run.svg.txt");
  EXPECT_THAT(dot, StartsWith("digraph dojobber {"));
  EXPECT_THAT(dot, HasSubstr("\"TurnOnTV\" [style=filled, fillcolor=red"));
  EXPECT_THAT(dot, HasSubstr("subgraph \"cluster_legend\""));
}

TEST(GraphFormats, UnknownExtensionIsRefusedBeforeAnyJobRuns) {
  for (const char* name : {"g.jpg", "g.svgz", "g.json"}) {
    SCOPED_TRACE(name);
    TempDir dir;
    const std::vector<std::string> before = dir.Entries();
    ProcessOptions options;
    options.cwd = dir.path();
    EXPECT_TRUE(IsRefusedLeavingNothing(RunDojobber(RunSurvivor(dir, {"--graph", name}), options),
                                        dir, before, {"--graph", name, "not a graph format"}));
    EXPECT_TRUE(
        IsRefusedLeavingNothing(RunDojobber({"graph", "--plugin", "movie", "-o", name}, options),
                                dir, before, {"--output", name, "not a graph format"}));
  }
}

TEST(GraphFormats, UnwritablePathIsRefusedBeforeAnyJobRuns) {
  TempDir dir;
  const std::vector<std::string> before = dir.Entries();
  ProcessOptions options;
  options.cwd = dir.path();
  EXPECT_TRUE(
      IsRefusedLeavingNothing(RunDojobber(RunSurvivor(dir, {"--graph", "missing/g.svg"}), options),
                              dir, before, {"missing/g.svg"}));
  EXPECT_TRUE(IsRefusedLeavingNothing(
      RunDojobber({"graph", "--plugin", "movie", "-o", "missing/g.png"}, options), dir, before,
      {"missing/g.png"}));
  fs::create_directory(dir / "g.pdf");
  EXPECT_TRUE(
      IsRefusedLeavingNothing(RunDojobber({"graph", "--plugin", "movie", "-o", "g.pdf"}, options),
                              dir, {"g.pdf"}, {"g.pdf"}));
}

TEST(GraphFormats, GraphAndReportNamingOneFileAreRefused) {
  TempDir dir;
  ProcessOptions options;
  options.cwd = dir.path();
  EXPECT_TRUE(IsRefusedLeavingNothing(
      RunDojobber(RunSurvivor(dir, {"--report", "out.svg", "--graph", "./out.svg"}), options), dir,
      {}, {"--report and --graph name the same file"}));
}

// Beyond the drawing limit (core/dot_render.h), a drawing is refused before
// anything runs, and DOT is still written.
TEST(GraphFormats, GraphTooLargeToDrawIsRefusedAndDotIsNot) {
  TempDir dir;
  ProcessOptions options;
  options.cwd = dir.path();
  const std::vector<std::string> synth = {"--plugin",   "synth", "--arg",
                                          "shape=wide", "--arg", "n=1000"};
  std::vector<std::string> graph = {"graph"};
  graph.insert(graph.end(), synth.begin(), synth.end());
  std::vector<std::string> run = {"run", "--root", "Root", "--report", "r.json"};
  run.insert(run.end(), synth.begin(), synth.end());

  graph.insert(graph.end(), {"-o", "big.svg"});
  EXPECT_TRUE(IsRefusedLeavingNothing(RunDojobber(graph, options), dir, {},
                                      {"big.svg", "1001 nodes", "at most 1000 nodes", ".dot"}));
  run.insert(run.end(), {"--graph", "big.png"});
  EXPECT_TRUE(IsRefusedLeavingNothing(RunDojobber(run, options), dir, {},
                                      {"big.png", "1005 nodes", "at most 1000 nodes"}))
      << "refused before the run: no report";

  graph.back() = "big.dot";
  const ProcessResult dot = RunDojobber(graph, options);
  EXPECT_EQ(dot.exit_code, 0) << dot.err;
  EXPECT_EQ(CountLines(ReadFile(dir / "big.dot"), "  \"Root\" -> \"J0\";"), 1);
}

}  // namespace
}  // namespace dojobber::e2e
