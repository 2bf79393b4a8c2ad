// `dojobber run --report FILE` (the JSON report, see core/json_report.cc) and
// `--dot FILE` (the graph coloured by final status).

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_support.h"
#include "tests/e2e/hardening_support.h"

namespace dojobber::e2e {
namespace {

namespace fs = std::filesystem;
using ::testing::AnyOf;
using ::testing::HasSubstr;
using Json = nlohmann::json;

// The names in `dir`, sorted.
std::vector<std::string> EntriesOf(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

// `text` parsed; an empty object (so that lookups give null) when it is not
// JSON, which fails the test.
Json ParseJson(const std::string& text) {
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_discarded()) return json;
  ADD_FAILURE() << "not JSON:\n" << text;
  return Json::object();
}

TEST(RunReport, MovieReportHoldsEveryJob) {
  TempDir dir;
  const ProcessResult result = RunMovie("WatchMovie", {"--report", (dir / "r.json").string()});
  ASSERT_EQ(result.exit_code, 1) << result.err;
  const Json report = ParseJson(ReadFile(dir / "r.json"));

  EXPECT_EQ(report["version"], 2);
  EXPECT_EQ(report["schema"], 2);
  EXPECT_EQ(report["root"], "WatchMovie");
  EXPECT_EQ(report["success"], false);
  EXPECT_EQ(report["partial_success"], true);
  EXPECT_EQ(report["no_act"], false);
  EXPECT_EQ(report["exit_code"], 1);
  EXPECT_TRUE(report["duration_s"].is_number()) << report["duration_s"];
  EXPECT_EQ(report["counts"], Json::parse(R"({"ok":8,"changed":8,"failed":2,"blocked":2})"));
  // CleanCouch's Cleanup ran; other jobs' default Cleanups may count too.
  EXPECT_GE(report["cleanup"]["ran"].get<int>(), 1) << report["cleanup"];
  EXPECT_EQ(report["cleanup"]["pending"], 0);
  EXPECT_EQ(report["cleanup"]["failed_job"], nullptr);
  EXPECT_EQ(report["cleanup"]["error"], nullptr);
  ASSERT_EQ(report["jobs"].size(), 20u);
  for (const auto& [name, job] : report["jobs"].items()) {
    EXPECT_TRUE(job["duration_s"].is_number()) << name;
    EXPECT_GE(job["duration_s"].get<double>(), 0.0) << name;
  }

  const Json& tv = report["jobs"]["TurnOnTV"];
  EXPECT_EQ(tv["status"], "failed");
  EXPECT_EQ(tv["tries"], 3);
  EXPECT_EQ(tv["error"], "Remote batteries are dead.");
  EXPECT_EQ(tv["result"], nullptr);
  EXPECT_EQ(tv["deps"], Json::parse(R"(["FindTVRemote"])"));
  const Json& start = report["jobs"]["StartMovie"];
  EXPECT_EQ(start["status"], "blocked");
  EXPECT_EQ(start["tries"], 0);
  EXPECT_EQ(start["error"], nullptr);
  EXPECT_EQ(start["duration_s"], 0);
  EXPECT_EQ(start["deps"], Json::parse(R"(["FriendsArrive", "PrepareRoom", "TurnOnTV",
                                            "InsertDVD", "SitOnCouch", "Food"])"));
  EXPECT_EQ(report["jobs"]["InviteFriends"]["deps"],
            Json::parse(R"(["DetermineDetails", "Invite Wendell Bagg", "Invite Lawyer Cat"])"));
  EXPECT_EQ(report["jobs"]["PopcornBowl"]["status"], "changed");
  EXPECT_EQ(report["jobs"]["PopcornBowl"]["tries"], 8);
  EXPECT_EQ(report["jobs"]["PopcornBowl"]["error"], nullptr);
  EXPECT_EQ(report["jobs"]["FindTVRemote"]["status"], "ok");
  EXPECT_EQ(report["jobs"]["FindTVRemote"]["deps"], Json::array());
}

TEST(RunReport, IsOneLineWithJobsInRunOrder) {
  TempDir dir;
  const ProcessResult result = RunMovie("WatchMovie", {"--report", (dir / "r.json").string()});
  ASSERT_EQ(result.exit_code, 1) << result.err;
  const std::string text = ReadFile(dir / "r.json");

  EXPECT_EQ(Lines(text).size(), 1u);
  EXPECT_TRUE(text.ends_with("}\n"));
  const nlohmann::ordered_json report = nlohmann::ordered_json::parse(text);
  std::vector<std::string> order;
  for (const auto& [name, job] : report["jobs"].items()) order.push_back(name);
  EXPECT_EQ(order, MovieRunOrder());
}

TEST(RunReport, InviteResultsNameTheFriendAndThePickedTime) {
  TempDir dir;
  const ProcessResult result = RunMovie(
      "InviteFriends", {"--report", (dir / "r.json").string(), "--arg", "movie=Babylon 5"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const Json report = ParseJson(ReadFile(dir / "r.json"));
  const Json& jobs = report["jobs"];

  const Json& bagg = jobs["Invite Wendell Bagg"]["result"];
  EXPECT_EQ(bagg["to"], "Wendell Bagg <bagg@example.com>");
  EXPECT_THAT(bagg["message"].get<std::string>(),
              AnyOf("Come and watch Babylon 5 at 2024-04-08 18:18 UTC with me!",
                    "Come and watch Babylon 5 at 2099-09-14 16:57 UTC with me!"));
  const Json& cat = jobs["Invite Lawyer Cat"]["result"];
  EXPECT_EQ(cat["to"], "Lawyer Cat <lawyercat@example.com>");
  EXPECT_EQ(cat["message"], bagg["message"]) << "both read the same global Start-DateTime";
  EXPECT_EQ(jobs["InviteFriends"]["result"], nullptr);
  EXPECT_EQ(report["success"], true);
  EXPECT_EQ(report["exit_code"], 0);
}

TEST(RunReport, RecordsResultsErrorsAndBlockedJobs) {
  TempDir dir;
  const ProcessResult result = RunDojobber(
      {"run", "--plugin", TestPlugin("report_jobs").string(), "--root", "ReportRoot",
       "--default-retry-delay", "0", "--report", (dir / "r.json").string(), "--", "a", "b c"});
  ASSERT_EQ(result.exit_code, 1) << result.err;
  const Json report = ParseJson(ReadFile(dir / "r.json"));
  const Json& jobs = report["jobs"];

  EXPECT_EQ(jobs["Echo"]["result"], Json::parse(R"({"positional":["a","b c"],"keywords":{}})"));
  EXPECT_EQ(jobs["Answer"]["status"], "ok");
  EXPECT_EQ(jobs["Answer"]["result"], 42);
  EXPECT_EQ(jobs["Flaky"]["status"], "changed");
  EXPECT_EQ(jobs["Flaky"]["tries"], 2);
  EXPECT_EQ(jobs["Flaky"]["error"], nullptr) << "a succeeded job has no error";
  EXPECT_EQ(jobs["Flaky"]["result"], Json::parse(R"({"try":2})")) << "the last try's result";
  EXPECT_EQ(jobs["Broken"]["status"], "failed");
  EXPECT_EQ(jobs["Broken"]["tries"], 1);
  EXPECT_EQ(jobs["Broken"]["error"], "line one\nsaid \"two\"") << "the full message";
  EXPECT_EQ(jobs["ThrowsInt"]["status"], "failed");
  EXPECT_THAT(jobs["ThrowsInt"]["error"].get<std::string>(), HasSubstr("int"));
  EXPECT_EQ(jobs["BadConstructor"]["status"], "failed");
  EXPECT_EQ(jobs["BadConstructor"]["tries"], 1);
  EXPECT_EQ(jobs["BadConstructor"]["error"], "cannot create the job: no licence");
  EXPECT_EQ(jobs["Twice"]["status"], "ok");
  EXPECT_EQ(jobs["Twice"]["deps"], Json::parse(R"(["Answer", "Flaky"])")) << "each once";
  EXPECT_EQ(jobs["Downstream"]["status"], "blocked");
  EXPECT_EQ(jobs["Downstream"]["tries"], 0);
  EXPECT_EQ(jobs["ReportRoot"]["deps"],
            Json::parse(R"(["Echo", "Answer", "Flaky", "Broken", "ThrowsInt", "BadConstructor",
                            "Twice", "Downstream"])"));
  EXPECT_EQ(report["counts"], Json::parse(R"({"ok":2,"changed":2,"failed":3,"blocked":2})"));
}

TEST(RunReport, DryRunReportSaysNoAct) {
  TempDir dir;
  const ProcessResult result =
      RunMovie("WatchMovie", {"--no-act", "--report", (dir / "r.json").string()});
  ASSERT_EQ(result.exit_code, 1) << result.err;
  const Json report = ParseJson(ReadFile(dir / "r.json"));

  EXPECT_EQ(report["no_act"], true);
  EXPECT_EQ(report["exit_code"], 1);
  EXPECT_EQ(report["jobs"]["FluffPillows"]["error"],
            "Runonly node check intentionally fails first time.");
}

TEST(RunReport, SuccessfulRunReportsSuccess) {
  TempDir dir;
  const ProcessResult result =
      RunMovie("WatchMovie", {"--arg", "battery_state=charged", "--arg", "couch_space=yes",
                              "--report", (dir / "r.json").string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const Json report = ParseJson(ReadFile(dir / "r.json"));

  EXPECT_EQ(report["success"], true);
  EXPECT_EQ(report["partial_success"], true);
  EXPECT_EQ(report["exit_code"], 0);
  EXPECT_EQ(report["counts"], Json::parse(R"({"ok":12,"changed":8,"failed":0,"blocked":0})"));
}

TEST(RunReport, CleanupFailureIsInTheReport) {
  TempDir dir;
  const ProcessResult result =
      RunDojobber({"run", "--plugin", TestPlugin("cleanup_fails").string(), "--root", "CleanupRoot",
                   "--report", (dir / "r.json").string()});
  ASSERT_EQ(result.exit_code, 3) << result.err;
  const Json report = ParseJson(ReadFile(dir / "r.json"));

  EXPECT_EQ(report["exit_code"], 3);
  EXPECT_EQ(report["success"], true);
  EXPECT_EQ(report["cleanup"]["failed_job"], "Leaky");
  EXPECT_EQ(report["cleanup"]["error"], "cannot unmount /mnt/scratch");
  EXPECT_EQ(report["cleanup"]["pending"], 1);
}

TEST(RunReport, ReplacesAnExistingFileAndLeavesNoTempFile) {
  TempDir dir;
  WriteFile(dir / "r.json", "old contents that are not JSON");
  const ProcessResult result = RunMovie("WatchMovie", {"--report", (dir / "r.json").string()});

  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(ParseJson(ReadFile(dir / "r.json"))["root"], "WatchMovie");
  EXPECT_EQ(dir.Entries(), std::vector<std::string>{"r.json"});
}

// A dojobber killed between naming its temporary file and renaming it
// leaves `.dojobber-PID-XXXXXX.tmp`; the next run that writes into that
// folder removes it, since no process has that PID any more. One whose PID
// lives stays (it may be a run writing now).
TEST(RunReport, RemovesTheTemporaryFileOfAKilledRun) {
  TempDir dir;
  const pid_t gone = ::fork();
  if (gone == 0) ::_exit(0);
  ASSERT_GT(gone, 0);
  ASSERT_EQ(::waitpid(gone, nullptr, 0), gone);
  const std::string left = ".dojobber-" + std::to_string(gone) + "-Ab12Cd.tmp";
  const std::string live = ".dojobber-" + std::to_string(::getpid()) + "-Ab12Cd.tmp";
  WriteFile(dir / left, "a whole report of a killed run");
  WriteFile(dir / live, "a report being written");
  const ProcessResult result = RunMovie("Food", {"--report", (dir / "r.json").string()});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(dir.Entries(), (std::vector<std::string>{live, "r.json"}));
}

TEST(RunReport, NewFileGetsTheUsualPermissions) {
  TempDir dir;
  const mode_t old_mask = ::umask(022);  // The child inherits it.
  const ProcessResult result = RunMovie("Food", {"--report", (dir / "r.json").string()});
  ::umask(old_mask);

  EXPECT_EQ(result.exit_code, 0) << result.err;
  const fs::perms perms = fs::status(dir / "r.json").permissions();
  EXPECT_EQ(perms, fs::perms(0644)) << "0666 minus the umask";
}

TEST(RunReport, SpecialFileIsWrittenDirectly) {
  // The child's stderr is a pipe. (/proc/self/fd/2 rather than /dev/stderr:
  // see SymlinkToRedirectedStdoutIsWrittenThrough.)
  const ProcessResult result = RunMovie("Food", {"--report", "/proc/self/fd/2", "-q"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  const Json report = ParseJson(result.err);
  EXPECT_EQ(report["root"], "Food");
  EXPECT_EQ(report["jobs"].size(), 4u);
}

// `--report /dev/stdout > out.json` with stdout a regular file: /dev/stdout
// is then a symlink to a regular file, so the binary writes a temporary file
// beside it, in /dev, and renames it over the /dev/stdout symlink (as root,
// replacing /dev/stdout for the whole machine; otherwise failing with
// "Permission denied"). A symlink in a temporary folder stands in for
// /dev/stdout here, so the damage stays in that folder.
TEST(RunReport, SymlinkToRedirectedStdoutIsWrittenThrough) {
  TempDir dir;
  fs::create_symlink("/proc/self/fd/1", dir / "stdout");
  WriteFile(dir / "out.txt", "");
  ProcessOptions options;
  options.stdout_path = dir / "out.txt";
  const ProcessResult result =
      RunMovie("Food", {"-q", "--report", (dir / "stdout").string()}, options);

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(fs::is_symlink(dir / "stdout")) << "the link was replaced";
  std::string json;
  for (const std::string& line : Lines(ReadFile(dir / "out.txt"))) {
    if (line.starts_with("{")) json = line;
  }
  EXPECT_EQ(ParseJson(json)["root"], "Food");
}

TEST(RunReport, RelativePathIsRelativeToTheWorkingDirectory) {
  TempDir dir;
  ProcessOptions options;
  options.cwd = dir.path();
  const ProcessResult result = RunMovie("Food", {"--report", "r.json"}, options);

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(ParseJson(ReadFile(dir / "r.json"))["root"], "Food");
  EXPECT_EQ(dir.Entries(), std::vector<std::string>{"r.json"});
}

// Relative output paths name files in the directory dojobber started in, the
// directory itself rather than its path: a job that renames it moves the
// reports with it (the faults plugin's RenamesStartDir), with one worker or
// several, in-process or isolated.
class RenamedStartDirectory : public testing::TestWithParam<bool> {};

TEST_P(RenamedStartDirectory, StillGetsTheReportAndTheDotFile) {
  TempDir dir;
  fs::create_directory(dir / "start");
  ProcessOptions options;
  options.cwd = dir / "start";
  std::vector<std::string> args = {"run",
                                   "--plugin",
                                   TestPlugin("faults").string(),
                                   "--root",
                                   "RenamesStartDir",
                                   "--arg",
                                   "rename_to=" + (dir / "renamed").string(),
                                   "--report",
                                   "r.json",
                                   "--dot",
                                   "g.dot"};
  if (GetParam()) args.insert(args.end(), {"--isolate", "-j", "4"});
  const ProcessResult result = RunDojobber(args, options);

  EXPECT_EQ(result.exit_code, 0) << result.err;  // Not 4: both files were written.
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(dir.Entries(), std::vector<std::string>{"renamed"});
  // Whole files, and no temporary file left beside them.
  EXPECT_EQ(EntriesOf(dir / "renamed"), (std::vector<std::string>{"g.dot", "r.json"}));
  const Json report = ParseJson(ReadFile(dir / "renamed" / "r.json"));
  EXPECT_EQ(report["root"], "RenamesStartDir");
  EXPECT_EQ(report["exit_code"], 0);
  EXPECT_EQ(report["jobs"]["RenamesStartDir"]["status"], "changed");
  const std::string dot = ReadFile(dir / "renamed" / "g.dot");
  EXPECT_TRUE(dot.starts_with("digraph dojobber {")) << dot;
  EXPECT_TRUE(dot.ends_with("}\n")) << dot;
  EXPECT_THAT(dot, HasSubstr("\"RenamesStartDir\""));
}

INSTANTIATE_TEST_SUITE_P(Modes, RenamedStartDirectory, testing::Bool(),
                         [](const testing::TestParamInfo<bool>& param) {
                           return std::string(param.param ? "Isolated_j4" : "InProcess_j1");
                         });

// A file that opens but cannot be written: the run happens, its status report
// is printed, and only then does writing the file fail.
// The report opened fine, but the disk takes no byte by the end.
TEST(RunReport, WriteFailureAfterTheRunExitsFour) {
  TempDir dir;
  const ProcessResult result = RunDojobberUnder(
      NoFileCanGrow(), {"run", "--plugin", "movie", "--root", "Food", "--default-retry-delay", "0",
                        "--report", (dir / "r.json").string()});

  EXPECT_EQ(result.exit_code, 4);
  EXPECT_THAT(result.out, HasSubstr("Result: SUCCESS\n"));
  EXPECT_EQ(Lines(result.err).size(), 1u) << result.err;
  EXPECT_THAT(result.err, ::testing::StartsWith("dojobber: "));
  EXPECT_THAT(result.err, HasSubstr((dir / "r.json").string()));
  EXPECT_EQ(dir.Entries(), std::vector<std::string>{}) << "no report, no temporary file";
}

// The fill colour of each node statement in `dot`; "" for a node without one.
std::map<std::string, std::string> NodeFills(const std::string& dot) {
  std::map<std::string, std::string> fills;
  for (const std::string& line : Lines(dot)) {
    if (!line.starts_with("  \"") || line.find("->") != std::string::npos) continue;
    const std::size_t end = line.find('"', 3);
    const std::string name = line.substr(3, end - 3);
    const std::size_t fill = line.find("fillcolor=");
    std::string color;
    if (fill != std::string::npos) {
      color = line.substr(fill + 10, line.find_first_of(",]", fill) - fill - 10);
      EXPECT_THAT(line, HasSubstr("style=filled")) << line;
    }
    fills[name] = color;
  }
  return fills;
}

// A closed stdout must not lend its number to the report file: the status
// report would land in the JSON.
TEST(RunReport, ClosedStdoutNeverEndsUpInTheReport) {
  for (const char* closed : {">&-", "2>&-"}) {
    TempDir dir;
    const std::string command = DojobberBin().string() + " run --plugin movie --root WatchMovie " +
                                "--default-retry-delay 0 --report " + (dir / "r.json").string() +
                                " --dot " + (dir / "g.dot").string() + " " + closed;
    const ProcessResult result = RunProcess({"/bin/sh", "-c", command});
    SCOPED_TRACE(closed);
    // Without stdout the status report is lost: 4, said on stderr.
    EXPECT_EQ(result.exit_code, closed == std::string(">&-") ? 4 : 1) << result.err;
    const Json report = ParseJson(ReadFile(dir / "r.json"));
    EXPECT_EQ(report["root"], "WatchMovie");
    EXPECT_TRUE(ReadFile(dir / "g.dot").starts_with("digraph dojobber {"));
    EXPECT_EQ(ReadFile(dir / "g.dot").find("Result:"), std::string::npos);
  }
}

// A reader that goes away (`| head`) costs dojobber that output, not the run:
// it goes on, writes its report and exits with 4.
TEST(RunReport, ReaderThatGoesAwayCostsOnlyThatOutput) {
  TempDir dir;
  const std::string command =
      DojobberBin().string() +
      " run --plugin synth --root Root --arg shape=wide --arg n=20000 -v --report " +
      (dir / "r.json").string() + " 2>&1 | head -c 1 >/dev/null; exit ${PIPESTATUS[0]}";
  const ProcessResult result = RunProcess({"/bin/bash", "-c", command});
  EXPECT_EQ(result.exit_code, 4) << "141 is death by SIGPIPE";
  const Json report = ParseJson(ReadFile(dir / "r.json"));
  EXPECT_EQ(report["success"], true);
  EXPECT_EQ(report["counts"]["ok"], 20001);
}

TEST(RunDot, ColoursEachJobByItsFinalStatus) {
  TempDir dir;
  const ProcessResult result = RunMovie(
      "WatchMovie", {"--dot", (dir / "run.dot").string(), "--report", (dir / "r.json").string()});
  ASSERT_EQ(result.exit_code, 1) << result.err;
  const std::string dot = ReadFile(dir / "run.dot");
  const Json report = ParseJson(ReadFile(dir / "r.json"));
  const std::map<std::string, std::string> fills = NodeFills(dot);

  const std::map<std::string, std::string> kFillOf = {
      {"ok", "green"}, {"changed", "darkgreen"}, {"failed", "red"}, {"blocked", ""}};
  ASSERT_EQ(fills.size(), report["jobs"].size()) << dot;
  for (const auto& [name, job] : report["jobs"].items()) {
    ASSERT_TRUE(fills.contains(name)) << name;
    EXPECT_EQ(fills.at(name), kFillOf.at(job["status"].get<std::string>())) << name;
  }
  EXPECT_EQ(fills.at("FindTVRemote"), "green");
  EXPECT_EQ(fills.at("PopcornBowl"), "darkgreen");
  EXPECT_EQ(fills.at("TurnOnTV"), "red");
  EXPECT_EQ(fills.at("StartMovie"), "");
  EXPECT_THAT(dot, HasSubstr("\n  \"StartMovie\" -> \"TurnOnTV\";\n"));
  EXPECT_EQ(dir.Entries(), (std::vector<std::string>{"r.json", "run.dot"}));
}

TEST(RunDot, DryRunLeavesFailedChecksRedAndBlockedJobsUnfilled) {
  TempDir dir;
  const ProcessResult result = RunMovie("WatchMovie", {"-n", "--dot", (dir / "run.dot").string()});
  ASSERT_EQ(result.exit_code, 1) << result.err;
  const std::map<std::string, std::string> fills = NodeFills(ReadFile(dir / "run.dot"));

  EXPECT_EQ(fills.at("ValidateMovie"), "green");
  EXPECT_EQ(fills.at("FluffPillows"), "red");
  EXPECT_EQ(fills.at("DetermineDetails"), "");
  for (const auto& [name, fill] : fills) EXPECT_NE(fill, "darkgreen") << name;
}

TEST(RunDot, WriteFailureAfterTheRunExitsFour) {
  TempDir dir;
  const ProcessResult result = RunDojobberUnder(
      NoFileCanGrow(), {"run", "--plugin", "movie", "--root", "Food", "--default-retry-delay", "0",
                        "--dot", (dir / "g.dot").string()});

  EXPECT_EQ(result.exit_code, 4);
  EXPECT_THAT(result.out, HasSubstr("Result: SUCCESS\n"));
  EXPECT_EQ(Lines(result.err).size(), 1u) << result.err;
  EXPECT_THAT(result.err, HasSubstr((dir / "g.dot").string()));
  EXPECT_EQ(dir.Entries(), std::vector<std::string>{});
}

// What the movie's PickTimeAndDate logs: one of its two start times, at random.
constexpr const char* kPickedLine = "Picked (2024-04-08 18:18|2099-09-14 16:57) UTC\\.";

// Schema 2: what the run was (how it was started, where its tries ran) and
// each try's phases and worker, as the movie example's defaults give them.
TEST(RunReportSchema2, SaysWhatRanWhereAndHowEachPhaseWent) {
  TempDir dir;
  const std::string path = (dir / "r.json").string();
  const ProcessResult result =
      RunMovie("WatchMovie", {"--report", path, "-j", "2", "--", "first word"});
  ASSERT_EQ(result.exit_code, 1) << result.err;
  const Json report = ReadJsonReport(path);
  EXPECT_EQ(report["executor"], "in-process");
  EXPECT_EQ(report["parallelism"], 2);
  EXPECT_EQ(report["log_lines_kept"], 50);
  EXPECT_EQ(report["positional"], Json::parse(R"(["first word"])"));
  ASSERT_TRUE(report["command_line"].is_array());
  EXPECT_EQ(report["command_line"][0], DojobberBin().string());
  EXPECT_EQ(report["command_line"].back(), "first word");
  ASSERT_EQ(report["plugins"].size(), 1u) << report["plugins"];
  const fs::path plugin = report["plugins"][0]["path"].get<std::string>();
  EXPECT_TRUE(plugin.is_absolute()) << plugin;
  EXPECT_TRUE(fs::equivalent(plugin, MoviePlugin())) << plugin;
  // `--version` says "plugin ABI: dojobber-sdk-N;...": the plugin was built for N.
  const std::string version = RunDojobber({"--version"}).out;
  EXPECT_THAT(version, HasSubstr("dojobber-sdk-" +
                                 std::to_string(report["plugins"][0]["abi"].get<int>()) + ";"));
  EXPECT_THAT(version,
              HasSubstr("dojobber " + report["dojobber_version"].get<std::string>() + "\n"));
  EXPECT_THAT(report["started_at"].get<std::string>(),
              ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
                                      "\\.[0-9]{3}Z"));
  EXPECT_LE(report["started_at"].get<std::string>(), report["ended_at"].get<std::string>());

  const Json& tv = report["jobs"]["TurnOnTV"];
  EXPECT_EQ(tv["kind"], "job");
  ASSERT_EQ(tv["history"].size(), 3u);
  for (const Json& entry : tv["history"]) {
    EXPECT_EQ(entry["check"], "failed") << entry;
    EXPECT_EQ(entry["run"], "passed") << entry;
    EXPECT_EQ(entry["recheck"], "failed") << entry;
    EXPECT_THAT(entry["worker"].get<std::string>(), ::testing::MatchesRegex("thread [12]"));
    EXPECT_EQ(entry["fatal"], false);
    EXPECT_EQ(entry["timed_out"], false);
  }
  const Json& ok = report["jobs"]["ValidateMovie"]["history"][0];
  EXPECT_EQ(ok["check"], "passed");
  EXPECT_EQ(ok["run"], nullptr);
  EXPECT_EQ(ok["recheck"], nullptr);
  EXPECT_EQ(report["jobs"]["PrepareRoom"]["kind"], "dummy");
  EXPECT_EQ(report["jobs"]["Pizza"]["kind"], "runonly");
  EXPECT_EQ(report["jobs"]["StartMovie"]["history"], Json::array());
  // Log lines with their try; cleanups per job.
  const Json& picked = report["jobs"]["PickTimeAndDate"]["log"];
  ASSERT_EQ(picked.size(), 1u) << picked;
  EXPECT_EQ(picked[0]["try"], 1);
  EXPECT_THAT(picked[0]["line"].get<std::string>(), ::testing::MatchesRegex(kPickedLine));
  EXPECT_EQ(report["jobs"]["PickTimeAndDate"]["log_dropped"], 0);
  EXPECT_EQ(report["jobs"]["CleanCouch"]["cleanup"],
            Json::parse(R"({"outcome": "ok", "error": null})"));
  EXPECT_EQ(report["jobs"]["TurnOnTV"]["cleanup"], nullptr);
}

TEST(RunReportSchema2, APluginGivenByARelativePathIsReportedAbsolute) {
  TempDir dir;
  const std::string path = (dir / "r.json").string();
  const fs::path plugin = MoviePlugin();
  ProcessOptions in_plugin_folder;
  in_plugin_folder.cwd = plugin.parent_path();
  const ProcessResult result = RunDojobber({"run", "--plugin", "./" + plugin.filename().string(),
                                            "--root", "FindTVRemote", "--report", path},
                                           in_plugin_folder);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const Json report = ReadJsonReport(path);
  EXPECT_EQ(report["plugins"][0]["path"], (plugin.parent_path() / plugin.filename()).string());
  EXPECT_EQ(report["command_line"][3], "./" + plugin.filename().string());
}

TEST(RunReportSchema2, IsolatedTriesNameTheirProcess) {
  TempDir dir;
  const std::string path = (dir / "r.json").string();
  const ProcessResult result = RunMovie("WatchMovie", {"--report", path, "--isolate"});
  ASSERT_EQ(result.exit_code, 1) << result.err;
  const Json report = ReadJsonReport(path);
  EXPECT_EQ(report["executor"], "isolate");
  std::set<std::string> workers;
  for (const Json& entry : report["jobs"]["TurnOnTV"]["history"]) {
    EXPECT_THAT(entry["worker"].get<std::string>(), ::testing::MatchesRegex("pid [0-9]+"));
    EXPECT_EQ(entry["recheck"], "failed") << entry;
    workers.insert(entry["worker"].get<std::string>());
  }
  EXPECT_EQ(workers.size(), 3u) << "each try has a process of its own";
  EXPECT_THAT(report["jobs"]["PickTimeAndDate"]["log"][0]["line"].get<std::string>(),
              ::testing::MatchesRegex(kPickedLine));
}

TEST(RunReportSchema2, ATimedOutTryFailsThePhaseItWasIn) {
  for (const char* executor : {"local", "isolate"}) {
    TempDir dir;
    const std::string path = (dir / "r.json").string();
    const ProcessResult result =
        RunDojobber({"run", "--plugin", TestPlugin("faults").string(), "--root", "Hang",
                     "--executor", executor, "--report", path});
    ASSERT_EQ(result.exit_code, 1) << executor << result.err;
    const Json entry = ReadJsonReport(path)["jobs"]["Hang"]["history"][0];
    EXPECT_EQ(entry["timed_out"], true) << executor << entry;
    EXPECT_EQ(entry["check"], "failed") << executor << entry;
    EXPECT_EQ(entry["run"], nullptr) << executor << entry;
  }
}

TEST(RunReportSchema2, KeepsTheLastLogLinesOfAJobAndCountsTheRest) {
  TempDir dir;
  const std::string path = (dir / "r.json").string();
  const ProcessResult result = RunDojobber(
      {"run", "--plugin", TestPlugin("faults").string(), "--root", "Chatty", "--report", path});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const Json chatty = ReadJsonReport(path)["jobs"]["Chatty"];
  ASSERT_EQ(chatty["log"].size(), 50u);
  EXPECT_EQ(chatty["log_dropped"], 4096 - 50);
  const std::string line(1023, 'x');
  EXPECT_EQ(chatty["log"][0]["line"], "4046 " + line);
  EXPECT_EQ(chatty["log"][49]["line"], "4095 " + line);
  EXPECT_EQ(chatty["log"][49]["try"], 1);
}

TEST(RunReportSchema2, GivesEachJobItsCleanupOutcome) {
  TempDir dir;
  const std::string path = (dir / "r.json").string();
  const ProcessResult result = RunDojobber({"run", "--plugin", TestPlugin("cleanup_fails").string(),
                                            "--root", "CleanupRoot", "--report", path});
  ASSERT_EQ(result.exit_code, 3) << result.err;
  const Json report = ReadJsonReport(path);
  const Json& leaky = report["jobs"]["Leaky"]["cleanup"];
  EXPECT_EQ(leaky["outcome"], "failed");
  EXPECT_EQ(leaky["error"], report["cleanup"]["error"]);
  EXPECT_EQ(report["jobs"]["First"]["cleanup"],
            Json::parse(R"({"outcome": "pending", "error": null})"));
  EXPECT_EQ(report["jobs"]["CleanupRoot"]["cleanup"]["outcome"], "ok");

  const ProcessResult without =
      RunDojobber({"run", "--plugin", TestPlugin("cleanup_fails").string(), "--root", "CleanupRoot",
                   "--no-cleanup", "--report", path});
  ASSERT_EQ(without.exit_code, 0) << without.err;
  // Kept in a variable: a range-for over a temporary's items() would read
  // the report after it was destroyed.
  const Json without_report = ReadJsonReport(path);
  for (const auto& [name, job] : without_report["jobs"].items()) {
    EXPECT_EQ(job["cleanup"], nullptr) << name;
  }
}

}  // namespace
}  // namespace dojobber::e2e
