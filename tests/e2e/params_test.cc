// Declared parameters through the command line: the checks made before any
// job runs (unknown key with "did you mean", missing required key, a value
// that does not convert or is not allowed), `dojobber params` and
// `run --help`, plugins that declare nothing, and the report's `arguments`.
// The plugins: movie.so, tests/plugins/greeter.cc (the README's example),
// param_clash.cc, and motd.cc, which declares nothing.

#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"

namespace dojobber::e2e {
namespace {

using Json = nlohmann::json;

ProcessResult Greeter(std::vector<std::string> extra, const TempDir& dir) {
  std::vector<std::string> args = {
      "run",       "--plugin", TestPlugin("greeter").string(), "--root",
      "Greetings", "--arg",    "dir=" + dir.path().string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunDojobber(args);
}

// A table row cut at its runs of two or more spaces, the column gaps (no
// value of these plugins holds two spaces in a row).
std::vector<std::string> Cells(const std::string& row) {
  std::vector<std::string> cells;
  std::size_t start = 0;
  while (start < row.size()) {
    std::size_t gap = row.find("  ", start);
    if (gap == std::string::npos) gap = row.size();
    cells.push_back(row.substr(start, gap - start));
    start = row.find_first_not_of(' ', gap);
    if (start == std::string::npos) break;
  }
  return cells;
}

// `dojobber params` rows by name: {type, default, allowed, help}.
std::map<std::string, std::vector<std::string>> ParamRows(const std::string& out) {
  std::map<std::string, std::vector<std::string>> rows;
  const std::vector<std::string> lines = Lines(out);
  EXPECT_FALSE(lines.empty());
  if (lines.empty()) return rows;
  EXPECT_EQ(Cells(lines[0]),
            (std::vector<std::string>{"NAME", "TYPE", "DEFAULT", "ALLOWED", "HELP"}));
  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> cells = Cells(lines[i]);
    EXPECT_GE(cells.size(), 4u) << lines[i];
    if (cells.size() < 4) continue;
    const std::string name = cells[0];
    cells.erase(cells.begin());
    rows[name] = cells;
  }
  return rows;
}

TEST(DeclaredParams, TypoedKeyIsRefusedWithTheNearestName) {
  TempDir dir;
  EXPECT_TRUE(IsUsageError(RunMovie("WatchMovie", {"--arg", "pizza_sucess_try=4", "--report",
                                                   (dir / "r.json").string()}),
                           {"'pizza_sucess_try'", "did you mean 'pizza_success_try'?"}));
  EXPECT_FALSE(std::filesystem::exists(dir / "r.json"));
  for (const char* command : {"graph", "list"}) {
    EXPECT_TRUE(IsUsageError(RunDojobber({command, "--plugin", "movie", "--arg", "couch_spcae=1"}),
                             {"'couch_spcae'", "did you mean 'couch_space'?"}))
        << command;
  }
  EXPECT_TRUE(IsUsageError(Greeter({"--arg", "greting=Hi"}, dir),
                           {"'greting'", "did you mean 'greeting'?"}));
  // Nothing near: the line says where the names are listed.
  EXPECT_TRUE(IsUsageError(RunMovie("WatchMovie", {"--arg", "volume=11"}),
                           {"'volume'", "not declared", "dojobber params"}));
}

TEST(DeclaredParams, MissingRequiredKeyIsRefusedByRunOnly) {
  const ProcessResult run =
      RunDojobber({"run", "--plugin", TestPlugin("greeter").string(), "--root", "Greetings"});
  EXPECT_TRUE(IsUsageError(run, {"'dir'", "required", "--arg dir=VALUE"}));
  // Showing the jobs needs no values.
  const ProcessResult list = RunDojobber({"list", "--plugin", TestPlugin("greeter").string()});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("Greet world"), std::string::npos) << list.out;
}

TEST(DeclaredParams, ValueThatDoesNotConvertIsRefused) {
  TempDir dir;
  EXPECT_TRUE(IsUsageError(RunMovie("WatchMovie", {"--arg", "couch_space=maybe"}),
                           {"'couch_space'", "\"maybe\" is not a boolean"}));
  EXPECT_TRUE(IsUsageError(RunMovie("WatchMovie", {"--arg", "bowl_success_try=eight"}),
                           {"'bowl_success_try'", "\"eight\" is not an integer"}));
  EXPECT_TRUE(IsUsageError(Greeter({"--arg", "excitement=lots"}, dir),
                           {"'excitement'", "\"lots\" is not an integer"}));
  EXPECT_TRUE(dir.Entries().empty());  // No job ran.
}

TEST(DeclaredParams, ValueOutsideTheAllowedSetIsRefused) {
  TempDir dir;
  EXPECT_TRUE(IsUsageError(Greeter({"--arg", "greeting=Helo"}, dir),
                           {"'greeting'", "\"Helo\" is not one of \"Hello\", \"Hi\", \"Howdy\"",
                            "did you mean \"Hello\"?"}));
  EXPECT_TRUE(IsUsageError(Greeter({"--arg", "excitement=4"}, dir), {"'excitement'", "\"4\""}));
  EXPECT_TRUE(dir.Entries().empty());
}

TEST(DeclaredParams, DeclaredValuesReachTheJobs) {
  TempDir dir;
  const ProcessResult result = Greeter({"--arg", "names=Ann, Bob", "--arg", "greeting=Hi", "--arg",
                                        "excitement=+2", "--arg", "shout=yes"},
                                       dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(ReadFile(dir / "Ann"), "HI, ANN!!\n");
  EXPECT_EQ(ReadFile(dir / "Bob"), "HI, BOB!!\n");
  // The defaults, from the declarations alone.
  TempDir other;
  ASSERT_EQ(Greeter({}, other).exit_code, 0);
  EXPECT_EQ(ReadFile(other / "world"), "Hello, world!\n");
}

TEST(DeclaredParams, PluginDeclaringNothingAcceptsAnyKey) {
  TempDir dir;
  const ProcessResult motd =
      RunDojobber({"run", "--plugin", TestPlugin("motd").string(), "--root", "Motd", "--arg",
                   "dir=" + (dir / "d").string(), "--arg", "message=hi", "--arg", "anything=1"});
  EXPECT_EQ(motd.exit_code, 0) << motd.err;
  // Loaded beside movie, it keeps every key acceptable: it may read any.
  const ProcessResult both =
      RunDojobber({"list", "--plugin", "movie", "--plugin", TestPlugin("report_jobs").string(),
                   "--arg", "volume=11"});
  EXPECT_EQ(both.exit_code, 0) << both.err;
  // The values of the keys movie declares are still checked.
  EXPECT_TRUE(
      IsUsageError(RunDojobber({"list", "--plugin", "movie", "--plugin",
                                TestPlugin("report_jobs").string(), "--arg", "couch_space=maybe"}),
                   {"'couch_space'"}));
  const ProcessResult params = RunDojobber({"params", "--plugin", TestPlugin("motd").string()});
  EXPECT_EQ(params.exit_code, 0) << params.err;
  EXPECT_EQ(params.out,
            TestPlugin("motd").string() + " declares no parameters (any --arg key is accepted)\n");
}

TEST(DeclaredParams, SeveralDeclaringPluginsAcceptTheUnionOfTheirKeys) {
  TempDir dir;
  const std::vector<std::string> both = {
      "list",  "--plugin",  "movie", "--plugin",        TestPlugin("greeter").string(),
      "--arg", "names=Ann", "--arg", "couch_space=true"};
  const ProcessResult listed = RunDojobber(both);
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  std::vector<std::string> typo = both;
  typo.insert(typo.end(), {"--arg", "nmaes=Bob"});
  EXPECT_TRUE(IsUsageError(RunDojobber(typo), {"'nmaes'", "did you mean 'names'?"}));
}

TEST(DeclaredParams, KeyDeclaredWithAnotherTypeIsRefusedAtLoad) {
  const std::string clash = TestPlugin("param_clash").string();
  EXPECT_TRUE(IsUsageError(RunDojobber({"list", "--plugin", "movie", "--plugin", clash}),
                           {"'couch_space'", MoviePlugin().string(), clash, "types"}));
  EXPECT_TRUE(IsUsageError(RunDojobber({"params", "--plugin", "movie", "--plugin", clash}),
                           {"'couch_space'", "types"}));
}

// What `params` lists for movie is what a run uses: the names and types are
// the original example's arguments, and each default is the value the
// report records for a run that gives none.
TEST(DeclaredParams, ParamsListsMovieDeclarations) {
  const ProcessResult params = RunDojobber({"params", "--plugin", "movie"});
  ASSERT_EQ(params.exit_code, 0) << params.err;
  EXPECT_EQ(params.err, "");
  const auto rows = ParamRows(params.out);
  const std::map<std::string, std::string> types = {{"movie", "string"},
                                                    {"battery_state", "string"},
                                                    {"couch_space", "boolean"},
                                                    {"bowl_success_try", "integer"},
                                                    {"pop_success_try", "integer"},
                                                    {"pizza_success_try", "integer"},
                                                    {"friends", "list \",\""},
                                                    {"cleanup_log", "string"}};
  ASSERT_EQ(rows.size(), types.size()) << params.out;

  TempDir dir;
  ASSERT_EQ(RunMovie("WatchMovie", {"--report", (dir / "r.json").string()}).exit_code, 1);
  const Json used = ReadJsonReport(dir / "r.json")["arguments"];
  ASSERT_EQ(used.size(), types.size()) << used;
  for (const auto& [name, type] : types) {
    ASSERT_EQ(rows.count(name), 1u) << name;
    const std::vector<std::string>& row = rows.at(name);
    EXPECT_EQ(row[0], type) << name;
    const std::string value = used[name]["value"];
    EXPECT_EQ(row[1], '"' + value + '"') << name;
    EXPECT_EQ(used[name]["given"], false) << name;
    EXPECT_EQ(row[2], "-") << name;  // No allowed values: the jobs judge.
    EXPECT_EQ(row.size(), 4u) << name << ": no help";
  }
}

TEST(DeclaredParams, RunHelpEndsWithTheParameters) {
  const ProcessResult help = RunDojobber({"run", "--plugin", "movie", "--help"});
  ASSERT_EQ(help.exit_code, 0) << help.err;
  const ProcessResult params = RunDojobber({"params", "--plugin", "movie"});
  const std::string tail = "\nKeyword arguments (--arg KEY=VALUE):\n" + params.out;
  EXPECT_NE(help.out.find("--root"), std::string::npos) << help.out;
  ASSERT_GE(help.out.size(), tail.size());
  EXPECT_EQ(help.out.substr(help.out.size() - tail.size()), tail) << help.out;
  // Without a plugin, the usual help alone.
  const ProcessResult plain = RunDojobber({"run", "--help"});
  EXPECT_EQ(plain.exit_code, 0);
  EXPECT_EQ(plain.out.find("Keyword arguments"), std::string::npos);
}

// A plugin that makes its jobs from a Required() argument stops registering
// at the read when the argument is not given: params and run --help list
// what it declared up to there, and --arg lets it register in full.
TEST(DeclaredParams, ParamsListsAPluginThatReadsARequiredArgumentAtRegistration) {
  const std::string plugin = TestPlugin("folder_jobs").string();
  const ProcessResult params = RunDojobber({"params", "--plugin", plugin});
  ASSERT_EQ(params.exit_code, 0) << params.err;
  EXPECT_EQ(params.err, "");
  auto rows = ParamRows(params.out);
  EXPECT_EQ(rows, (std::map<std::string, std::vector<std::string>>{
                      {"dir", {"string", "required", "-", "the folder to work in"}},
                      {"depth", {"integer", "\"1\"", "-", "how deep"}}}))
      << params.out;

  const ProcessResult given = RunDojobber({"params", "--plugin", plugin, "--arg", "dir=/tmp"});
  ASSERT_EQ(given.exit_code, 0) << given.err;
  rows = ParamRows(given.out);
  EXPECT_EQ(rows.count("late"), 1u) << given.out;  // Registration ran to its end.
  EXPECT_EQ(rows.size(), 3u) << given.out;

  const ProcessResult help = RunDojobber({"run", "--plugin", plugin, "--help"});
  ASSERT_EQ(help.exit_code, 0) << help.err;
  EXPECT_NE(help.out.find("\nKeyword arguments (--arg KEY=VALUE):\n" + params.out),
            std::string::npos)
      << help.out;

  // Run and list still need the value; with it, the job is there.
  EXPECT_TRUE(IsUsageError(RunDojobber({"list", "--plugin", plugin}),
                           {"'dir'", "required", "--arg dir=VALUE"}));
  const ProcessResult list = RunDojobber({"list", "--plugin", plugin, "--arg", "dir=/srv"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("In /srv"), std::string::npos) << list.out;
}

// A registration that fails for another cause is still an error for params.
TEST(DeclaredParams, ParamsKeepsOtherRegistrationFailures) {
  EXPECT_TRUE(IsUsageError(
      RunDojobber({"params", "--plugin", TestPlugin("throwing_registration").string()}),
      {"registration failed", "cannot reach inventory"}));
}

TEST(DeclaredParams, ReportRecordsGivenAndDefaultedArguments) {
  TempDir dir;
  const ProcessResult result = RunMovie(
      "WatchMovie",
      {"--arg", "couch_space=yes", "--arg", "movie=MST3K", "--report", (dir / "r.json").string()});
  ASSERT_EQ(result.exit_code, 1) << result.err;
  const Json arguments = ReadJsonReport(dir / "r.json")["arguments"];
  EXPECT_EQ(arguments["couch_space"], Json::parse(R"({"value": "yes", "given": true})"));
  EXPECT_EQ(arguments["movie"], Json::parse(R"({"value": "MST3K", "given": true})"));
  EXPECT_EQ(arguments["battery_state"], Json::parse(R"({"value": "dead", "given": false})"));
  EXPECT_EQ(arguments["pizza_success_try"], Json::parse(R"({"value": "3", "given": false})"));

  // A plugin that declares nothing: only what was given.
  const ProcessResult motd = RunDojobber({"run", "--plugin", TestPlugin("motd").string(), "--root",
                                          "Motd", "--arg", "dir=" + (dir / "d").string(), "--arg",
                                          "message=hi", "--report", (dir / "m.json").string()});
  ASSERT_EQ(motd.exit_code, 0) << motd.err;
  EXPECT_EQ(ReadJsonReport(dir / "m.json")["arguments"],
            Json({{"dir", {{"value", (dir / "d").string()}, {"given", true}}},
                  {"message", {{"value", "hi"}, {"given", true}}}}));
}

}  // namespace
}  // namespace dojobber::e2e
