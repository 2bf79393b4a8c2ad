// `dojobber graph`: the job graph in Graphviz DOT, edges from each job to its
// dependencies in declaration order.

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
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
using Deps = std::map<std::string, std::vector<std::string>>;

// Every movie job's dependencies, in order (EXAMPLE-movie.md).
const Deps& MovieDeps() {
  static const Deps kDeps = {
      {"CleanCouch", {}},
      {"FindTVRemote", {}},
      {"FluffPillows", {}},
      {"PickTimeAndDate", {}},
      {"ValidateMovie", {}},
      {"InsertDVD", {"ValidateMovie"}},
      {"PrepareRoom", {"CleanCouch", "FluffPillows"}},
      {"PopcornBowl", {}},
      {"Pizza", {}},
      {"Popcorn", {"PopcornBowl"}},
      {"Food", {"Popcorn", "Pizza"}},
      {"SitOnCouch", {"PrepareRoom"}},
      {"DetermineDetails", {"ValidateMovie", "PickTimeAndDate"}},
      {"InviteFriends", {"DetermineDetails", "Invite Wendell Bagg", "Invite Lawyer Cat"}},
      {"Invite Wendell Bagg", {"DetermineDetails"}},
      {"Invite Lawyer Cat", {"DetermineDetails"}},
      {"FriendsArrive", {"InviteFriends"}},
      {"TurnOnTV", {"FindTVRemote"}},
      {"StartMovie",
       {"FriendsArrive", "PrepareRoom", "TurnOnTV", "InsertDVD", "SitOnCouch", "Food"}},
      {"WatchMovie", {"StartMovie"}}};
  return kDeps;
}

// The quoted name at the start of `text`; advances `text` past it.
std::string TakeQuoted(std::string_view& text) {
  std::string name;
  if (text.empty() || text.front() != '"') return name;
  std::size_t i = 1;
  for (; i < text.size() && text[i] != '"'; ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) ++i;
    name += text[i];
  }
  text.remove_prefix(std::min(i + 1, text.size()));
  return name;
}

struct ParsedDot {
  std::vector<std::string> nodes;  ///< In order of their node statements.
  Deps edges;                      ///< Each node's edge targets, in order.
  int edge_count = 0;
};

// Reads the subset of DOT that `dojobber graph` writes: one statement a line.
ParsedDot ParseDot(const std::string& dot) {
  ParsedDot parsed;
  const std::vector<std::string> lines = Lines(dot);
  EXPECT_GE(lines.size(), 3u) << dot;
  if (lines.size() < 3) return parsed;
  EXPECT_EQ(lines.front(), "digraph dojobber {");
  EXPECT_EQ(lines.back(), "}");
  for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
    std::string_view text = lines[i];
    if (!text.starts_with("  \"")) continue;  // Defaults such as `node [shape=box];`.
    text.remove_prefix(2);
    const std::string from = TakeQuoted(text);
    if (text.starts_with(" -> ")) {
      text.remove_prefix(4);
      parsed.edges[from].push_back(TakeQuoted(text));
      ++parsed.edge_count;
      EXPECT_EQ(text, ";") << lines[i];
    } else {
      parsed.nodes.push_back(from);
      parsed.edges.try_emplace(from);
    }
  }
  return parsed;
}

// The full path of `program` in PATH, or empty.
fs::path FindInPath(std::string_view program) {
  const char* path = std::getenv("PATH");
  std::string_view rest = path != nullptr ? path : "";
  while (!rest.empty()) {
    const std::size_t colon = rest.find(':');
    const fs::path candidate = fs::path(rest.substr(0, colon)) / program;
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec)) return candidate;
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
  }
  return {};
}

ProcessResult GraphMovie(std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"graph", "--plugin", "movie"};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunDojobber(std::move(args));
}

TEST(GraphCommand, PrintsOneEdgePerDependencyInDeclarationOrder) {
  const ProcessResult result = GraphMovie({"--root", "WatchMovie"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  const ParsedDot dot = ParseDot(result.out);
  EXPECT_EQ(dot.edges, MovieDeps());
  EXPECT_EQ(dot.edge_count, 23);
  EXPECT_EQ(dot.nodes.size(), 20u);
  EXPECT_EQ(std::set<std::string>(dot.nodes.begin(), dot.nodes.end()).size(), 20u)
      << "one node statement per job";
  EXPECT_THAT(result.out, HasSubstr("  \"StartMovie\" -> \"FriendsArrive\";\n"
                                    "  \"StartMovie\" -> \"PrepareRoom\";\n"
                                    "  \"StartMovie\" -> \"TurnOnTV\";\n"
                                    "  \"StartMovie\" -> \"InsertDVD\";\n"
                                    "  \"StartMovie\" -> \"SitOnCouch\";\n"
                                    "  \"StartMovie\" -> \"Food\";\n"));
  EXPECT_THAT(result.out, ::testing::Not(HasSubstr("fillcolor"))) << "nothing has run";
}

TEST(GraphCommand, OutputIsStable) {
  const ProcessResult first = GraphMovie({"--root", "WatchMovie"});
  const ProcessResult second = GraphMovie({"--root", "WatchMovie"});

  EXPECT_EQ(first.exit_code, 0);
  EXPECT_EQ(first.out, second.out);
  // Without a root the jobs come in registration order, with the same edges:
  // every movie job is below WatchMovie.
  const ProcessResult all = GraphMovie();
  EXPECT_EQ(all.out, GraphMovie().out);
  EXPECT_EQ(ParseDot(all.out).edges, ParseDot(first.out).edges);
}

TEST(GraphCommand, GraphvizAcceptsTheOutput) {
  const fs::path dot_program = FindInPath("dot");
  // scripts/install-deps.sh installs Graphviz, so a missing `dot` is a broken
  // setup, not a reason to skip.
  ASSERT_FALSE(dot_program.empty()) << "Graphviz `dot` is not in PATH; run scripts/install-deps.sh";
  TempDir dir;
  for (const std::string& plugin : {MoviePlugin().string(), TestPlugin("report_jobs").string()}) {
    const ProcessResult graph = RunDojobber({"graph", "--plugin", plugin});
    ASSERT_EQ(graph.exit_code, 0) << graph.err;
    WriteFile(dir / "graph.dot", graph.out);

    const ProcessResult svg =
        RunProcess({dot_program.string(), "-Tsvg", (dir / "graph.dot").string()});
    EXPECT_EQ(svg.exit_code, 0) << svg.err;
    EXPECT_EQ(svg.err, "");
    EXPECT_THAT(svg.out, HasSubstr("<svg"));
  }
}

TEST(GraphCommand, RootLimitsTheGraphToWhatItDependsOn) {
  const ProcessResult result = GraphMovie({"--root", "FriendsArrive"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  const ParsedDot dot = ParseDot(result.out);
  EXPECT_EQ(
      std::set<std::string>(dot.nodes.begin(), dot.nodes.end()),
      (std::set<std::string>{"FriendsArrive", "InviteFriends", "DetermineDetails", "ValidateMovie",
                             "PickTimeAndDate", "Invite Wendell Bagg", "Invite Lawyer Cat"}));
  for (const auto& [job, deps] : dot.edges) EXPECT_EQ(deps, MovieDeps().at(job)) << job;
}

TEST(GraphCommand, WithoutRootShowsEveryJobOfEveryPlugin) {
  const ProcessResult result =
      GraphMovie({"--plugin", TestPlugin("report_jobs").string(), "--arg", "friends="});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  const ParsedDot dot = ParseDot(result.out);
  // With no friends the movie has no Invite jobs: 18 movie jobs, 9 others.
  EXPECT_EQ(dot.nodes.size(), 27u) << result.out;
  EXPECT_EQ(dot.edges.at("InviteFriends"), std::vector<std::string>{"DetermineDetails"});
  EXPECT_EQ(dot.edges.at("Downstream"), std::vector<std::string>{"Broken"});
  EXPECT_EQ(dot.edges.at("Twice"), (std::vector<std::string>{"Answer", "Flaky"}))
      << "a dependency declared twice is one edge";
  EXPECT_EQ(dot.edges.at("TurnOnTV"), std::vector<std::string>{"FindTVRemote"});
}

TEST(GraphCommand, OutputOptionWritesTheFile) {
  TempDir dir;
  const ProcessResult result =
      GraphMovie({"--root", "WatchMovie", "-o", (dir / "movie.dot").string()});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(ReadFile(dir / "movie.dot"), GraphMovie({"--root", "WatchMovie"}).out);
  EXPECT_EQ(dir.Entries(), std::vector<std::string>{"movie.dot"});
}

TEST(GraphCommand, QuotesNamesWithSpacesAndQuotes) {
  const ProcessResult result = GraphMovie(
      {"--root", "InviteFriends", "--arg", R"(friends=Ann "the Cat" B <ann@example.com>)"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr(R"(  "InviteFriends" -> "Invite Ann \"the Cat\" B";)"));
  const ParsedDot dot = ParseDot(result.out);
  EXPECT_EQ(dot.edges.at(R"(Invite Ann "the Cat" B)"),
            std::vector<std::string>{"DetermineDetails"});
}

// The file opened fine, but the disk takes no byte by the end.
TEST(GraphCommand, OutputFileWriteFailureExitsFour) {
  TempDir dir;
  const ProcessResult result = RunDojobberUnder(
      NoFileCanGrow(), {"graph", "--plugin", "movie", "-o", (dir / "g.dot").string()});

  EXPECT_EQ(result.exit_code, 4);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(Lines(result.err).size(), 1u) << result.err;
  EXPECT_THAT(result.err, ::testing::StartsWith("dojobber: "));
  EXPECT_THAT(result.err, HasSubstr((dir / "g.dot").string()));
  EXPECT_EQ(dir.Entries(), std::vector<std::string>{});
}

TEST(GraphCommand, StdoutWriteFailureExitsFour) {
  ProcessOptions options;
  options.stdout_path = "/dev/full";
  EXPECT_EQ(RunDojobber({"graph", "--plugin", "movie"}, options).exit_code, 4);
}

// The binary exits 4 but prints nothing: the user cannot tell why.
TEST(GraphCommand, StdoutWriteFailureSaysSo) {
  ProcessOptions options;
  options.stdout_path = "/dev/full";
  const ProcessResult result = RunDojobber({"graph", "--plugin", "movie"}, options);

  EXPECT_EQ(result.exit_code, 4);
  EXPECT_EQ(Lines(result.err).size(), 1u) << result.err;
  EXPECT_THAT(result.err, ::testing::StartsWith("dojobber: "));
}

}  // namespace
}  // namespace dojobber::e2e
