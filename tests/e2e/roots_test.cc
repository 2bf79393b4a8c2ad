// Several roots (`--root` repeated), as make takes several goals: the run,
// `list` and `graph` cover the union of the roots' graphs, in the order
// given, each job once; the report lists the roots.

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_support.h"

namespace dojobber::e2e {
namespace {

using Json = nlohmann::json;

std::vector<std::string> TableOrder(const std::string& out) {
  std::vector<std::string> names;
  for (const StatusRow& row : ParseStatusTable(out)) names.push_back(row.name);
  return names;
}

// The first word of each line after the header (job names without spaces).
std::vector<std::string> ListedJobs(const std::string& out) {
  std::vector<std::string> names;
  const std::vector<std::string> lines = Lines(out);
  for (std::size_t i = 1; i < lines.size(); ++i)
    names.push_back(lines[i].substr(0, lines[i].find(' ')));
  return names;
}

TEST(SeveralRoots, RunTheUnionInTheOrderGiven) {
  TempDir dir;
  const ProcessResult result = RunMovie(
      "Food", {"--root", "TurnOnTV", "--root", "Food", "--report", (dir / "r.json").string()});
  EXPECT_EQ(result.exit_code, 1) << result.err;  // TurnOnTV fails with its defaults.
  const std::vector<std::string> order = {"PopcornBowl", "Popcorn",      "Pizza",
                                          "Food",        "FindTVRemote", "TurnOnTV"};
  EXPECT_EQ(TableOrder(result.out), order);
  const Json report = ReadJsonReport(dir / "r.json");
  EXPECT_EQ(report["root"], "Food") << "root stays the first root";
  EXPECT_EQ(report["roots"], Json::parse(R"(["Food", "TurnOnTV"])")) << "each root once";
  const nlohmann::ordered_json in_file_order =
      nlohmann::ordered_json::parse(ReadFile(dir / "r.json"));
  std::vector<std::string> jobs;
  for (const auto& [name, job] : in_file_order["jobs"].items()) jobs.push_back(name);
  EXPECT_EQ(jobs, order);
}

TEST(SeveralRoots, AJobReachableFromTwoRootsRunsOnce) {
  TempDir dir;
  const ProcessResult result =
      RunMovie("WatchMovie", {"--root", "Food", "--arg", "battery_state=charged", "--arg",
                              "couch_space=true", "--report", (dir / "r.json").string(), "-v"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(TableOrder(result.out), MovieRunOrder()) << "Food adds nothing new";
  EXPECT_EQ(CountLines(result.err, "Pizza.run: pass"), 1) << "one try that succeeded, not two runs";
  EXPECT_EQ(CountLines(result.err, "Food.check: pass"), 1);
  const Json report = ReadJsonReport(dir / "r.json");
  EXPECT_EQ(report["roots"], Json::parse(R"(["WatchMovie", "Food"])"));
  EXPECT_EQ(report["jobs"]["Pizza"]["tries"], 3);
  EXPECT_EQ(report["counts"]["ok"].get<int>() + report["counts"]["changed"].get<int>(), 20);
}

TEST(SeveralRoots, ListAndGraphShowTheUnion) {
  const std::string plugin = MoviePlugin().string();
  const ProcessResult list = RunDojobber(
      {"list", "--plugin", plugin, "--root", "InsertDVD", "--root", "Popcorn", "-r", "InsertDVD"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(ListedJobs(list.out),
            (std::vector<std::string>{"ValidateMovie", "InsertDVD", "PopcornBowl", "Popcorn"}));
  const ProcessResult graph =
      RunDojobber({"graph", "--plugin", plugin, "--root", "InsertDVD", "--root", "Popcorn"});
  EXPECT_EQ(graph.exit_code, 0) << graph.err;
  for (const char* node :
       {"\"ValidateMovie\";", "\"InsertDVD\";", "\"PopcornBowl\";", "\"Popcorn\";",
        "\"InsertDVD\" -> \"ValidateMovie\";", "\"Popcorn\" -> \"PopcornBowl\";"}) {
    EXPECT_EQ(CountLines(graph.out, std::string("  ") + node), 1) << node << "\n" << graph.out;
  }
  EXPECT_EQ(graph.out.find("Pizza"), std::string::npos);
}

TEST(SeveralRoots, RefusesAnUnknownRootAndTwoNamesAfterOneOption) {
  EXPECT_TRUE(IsUsageError(RunMovie("Food", {"--root", "Nope"}), {"unknown root job 'Nope'"}));
  EXPECT_TRUE(IsUsageError(
      RunDojobber({"run", "--plugin", MoviePlugin().string(), "--root", "Food", "Pizza"}),
      {"Pizza"}));
  EXPECT_TRUE(IsUsageError(
      RunDojobber({"list", "--plugin", MoviePlugin().string(), "--root", "Food", "--root", "Nope"}),
      {"unknown root job 'Nope'"}));
}

}  // namespace
}  // namespace dojobber::e2e
