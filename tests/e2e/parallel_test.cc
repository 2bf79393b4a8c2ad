// `-j N` through the binary, and the synth plugin that the benchmarks use.

#include <map>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_support.h"

namespace dojobber::e2e {
namespace {

std::map<std::string, std::string> Statuses(const std::vector<StatusRow>& rows) {
  std::map<std::string, std::string> statuses;
  for (const StatusRow& row : rows)
    statuses[row.name] = row.status + "/" + std::to_string(row.tries);
  return statuses;
}

TEST(ParallelRun, MovieReachesTheSameStatusesAndTriesAsSerial) {
  const ProcessResult serial = RunMovie("WatchMovie");
  const ProcessResult parallel = RunMovie("WatchMovie", {"-j", "8"});
  EXPECT_EQ(serial.exit_code, 1);
  EXPECT_EQ(parallel.exit_code, 1);
  EXPECT_EQ(Statuses(ParseStatusTable(serial.out)), Statuses(ParseStatusTable(parallel.out)));
}

// A phase line (`Name.check: pass`, `Name.recheck: fail "why"`) or a job's
// log line (`[Name] text`).
bool IsWholeTraceLine(const std::string& line) {
  if (line.starts_with("[")) return line.find("] ") != std::string::npos;
  for (const char* phase : {".check: ", ".run: ", ".recheck: ", ".cleanup: "}) {
    const std::size_t at = line.find(phase);
    if (at == std::string::npos || at == 0) continue;
    const std::string rest = line.substr(at + std::string(phase).size());
    if (rest == "pass" || rest == "fail") return true;
    if (rest.starts_with("fail \"") && rest.ends_with("\"")) return true;
  }
  return false;
}

TEST(ParallelRun, TraceLinesStayWhole) {
  const ProcessResult result = RunMovie("WatchMovie", {"-j", "8", "-v"});
  for (const std::string& line : Lines(result.err)) {
    EXPECT_TRUE(IsWholeTraceLine(line)) << "torn or unknown line: " << line;
  }
  EXPECT_EQ(CountLines(result.err, "TurnOnTV.recheck: fail \"Remote batteries are dead.\""), 3);
}

TEST(ParallelRun, ManyWorkersOnALayeredGraph) {
  TempDir dir;
  const ProcessResult result =
      RunDojobber({"run", "--plugin", "synth", "--root", "Root", "-j", "16", "-q", "--arg",
                   "shape=layered", "--arg", "n=3000", "--arg", "width=50", "--arg",
                   "mode=converge", "--report", (dir / "r.json").string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const nlohmann::json report = nlohmann::json::parse(ReadFile(dir / "r.json"));
  EXPECT_EQ(report["success"], true);
  // Every job ran after all of its dependencies had finished.
  for (const auto& [name, job] : report["jobs"].items()) {
    for (const auto& dep : job["deps"]) {
      EXPECT_LE(report["jobs"][dep.get<std::string>()]["end_s"].get<double>(),
                job["start_s"].get<double>())
          << name << " started before " << dep;
    }
  }
}

TEST(ParallelRun, JobsMustBeAWholeNumberAboveZero) {
  for (const char* bad : {"0", "-2", "abc", "1.5"}) {
    EXPECT_TRUE(IsUsageError(RunMovie("WatchMovie", {"-j", bad}), {"--jobs", bad})) << bad;
  }
}

TEST(SynthPlugin, BuildsEachShape) {
  struct Case {
    const char* shape;
    const char* root_deps;
  };
  for (const Case& c :
       {Case{"chain", "J4"}, Case{"wide", "J0, J1, J2, J3, J4"}, Case{"layered", "J4"}}) {
    const ProcessResult result = RunDojobber({"list", "--plugin", "synth", "--root", "Root",
                                              "--arg", std::string("shape=") + c.shape, "--arg",
                                              "n=5", "--arg", "width=2", "--arg", "fanin=1"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.out.find(std::string("Root  dummy        3  1s      ") + c.root_deps + "\n"),
              std::string::npos)
        << c.shape << "\n"
        << result.out;
  }
}

TEST(SynthPlugin, RefusesUnknownOrInvalidArguments) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"shape=circle", "n=3"}, "shape must be chain, wide or layered, not 'circle'"},
      {{"n=0"}, "n must be between 1 and 100000000"},
      {{"n=ten"}, "argument 'n': \"ten\" is not an integer"},
      {{}, "argument 'n' is required"},
      {{"n=3", "colour=blue"}, "unknown argument 'colour'"},
      {{"n=3", "mode=fast"}, "mode must be converged or converge, not 'fast'"},
      {{"n=3", "width=0"}, "width must be at least 1"},
  };
  for (const auto& [args, message] : cases) {
    std::vector<std::string> command = {"run", "--plugin", "synth", "--root", "Root"};
    for (const std::string& arg : args) {
      command.push_back("--arg");
      command.push_back(arg);
    }
    EXPECT_TRUE(IsUsageError(RunDojobber(command), {"synth.so", message})) << message;
  }
}

}  // namespace
}  // namespace dojobber::e2e
