// The outputs part of the bad-input sweep: every output option (`run
// --report`, `run --dot`, `run --graph`, `graph -o`) given every kind of
// path that cannot be written. Each is refused before anything runs: exit
// status 2, one "dojobber: ..." line naming the path, nothing on stdout, no
// job run (the faults plugin's Survivor would leave a marker), no report and
// no temporary file. None may block: a named pipe that no process reads would
// make a plain open() wait for ever.

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"
#include "tests/e2e/hardening_support.h"

namespace dojobber::e2e {
namespace {

namespace fs = std::filesystem;

// One unwritable path: made in `dir` (the working directory of the run) by
// `make`, which returns the path to give and what the one line must name,
// or std::nullopt with `skip` set when this machine cannot have it.
struct BadPath {
  std::string name;
  std::function<std::optional<std::string>(const TempDir& dir, std::string& needle,
                                           std::string& skip)>
      make;
};

// The option under test, and the command line around it.
struct Output {
  std::string name;
  std::function<std::vector<std::string>(const TempDir& dir, const std::string& path)> args;
};

std::vector<std::string> RunSurvivor(const TempDir& dir) {
  return {"run",      "--plugin", TestPlugin("faults").string(),        "--root",
          "Survivor", "--arg",    "marker=" + (dir / "marker").string()};
}

const std::vector<Output>& Outputs() {
  static const std::vector<Output> kOutputs = {
      {"Report",
       [](const TempDir& dir, const std::string& path) {
         std::vector<std::string> args = RunSurvivor(dir);
         args.insert(args.end(), {"--report", path});
         return args;
       }},
      {"Dot",
       [](const TempDir& dir, const std::string& path) {
         std::vector<std::string> args = RunSurvivor(dir);
         args.insert(args.end(), {"--dot", path});
         return args;
       }},
      {"Graph",
       [](const TempDir& dir, const std::string& path) {
         std::vector<std::string> args = RunSurvivor(dir);
         args.insert(args.end(), {"--graph", path});
         return args;
       }},
      {"GraphOutput",
       [](const TempDir&, const std::string& path) {
         return std::vector<std::string>{
             "graph", "--plugin", TestPlugin("faults").string(), "--root", "Survivor", "-o", path};
       }},
  };
  return kOutputs;
}

const std::vector<BadPath>& BadPaths() {
  static const std::vector<BadPath> kPaths = {
      {"Directory",
       [](const TempDir& dir, std::string& needle, std::string&) -> std::optional<std::string> {
         fs::create_directory(dir / "folder");
         needle = "folder";
         return "folder";
       }},
      {"InAMissingDirectory",
       [](const TempDir&, std::string& needle, std::string&) -> std::optional<std::string> {
         needle = "missing/out";
         return "missing/out";
       }},
      {"InAnUnwritableDirectory",
       [](const TempDir& dir, std::string& needle,
          std::string& skip) -> std::optional<std::string> {
         if (::geteuid() != 0) {
           fs::create_directory(dir / "read-only");
           fs::permissions(dir / "read-only", fs::perms(0555));
           needle = "read-only/out";
           return "read-only/out";
         }
         // Permissions do not stop root; sysfs takes no new file from anyone.
         if (!fs::is_directory("/sys/kernel")) {
           skip = "running as root, and no /sys/kernel to stand for an unwritable directory";
           return std::nullopt;
         }
         needle = "/sys/kernel/dojobber-out";
         return needle;
       }},
      {"FifoWithoutAReader",
       [](const TempDir& dir, std::string& needle, std::string&) -> std::optional<std::string> {
         if (::mkfifo((dir / "fifo").c_str(), 0600) != 0) ADD_FAILURE() << "mkfifo failed";
         needle = "fifo";
         return "fifo";
       }},
      {"DevFull",
       [](const TempDir&, std::string& needle, std::string& skip) -> std::optional<std::string> {
         if (!fs::exists("/dev/full")) {
           skip = "no /dev/full";
           return std::nullopt;
         }
         needle = "/dev/full";
         return needle;
       }},
      {"Empty",
       [](const TempDir&, std::string& needle, std::string&) -> std::optional<std::string> {
         needle = "empty file name";
         return "";
       }},
      {"WithANewline",
       [](const TempDir&, std::string& needle, std::string&) -> std::optional<std::string> {
         needle = "control character";
         return "out\nput";
       }},
  };
  return kPaths;
}

struct Case {
  Output output;
  BadPath path;
};

void PrintTo(const Case& param, std::ostream* out) {
  *out << param.output.name << " " << param.path.name;
}

std::vector<Case> AllCases() {
  std::vector<Case> cases;
  for (const Output& output : Outputs()) {
    for (const BadPath& path : BadPaths()) cases.push_back({output, path});
  }
  return cases;
}

class BadOutputPath : public testing::TestWithParam<Case> {};

TEST_P(BadOutputPath, IsRefusedLeavingNothing) {
  TempDir dir;
  std::string needle;
  std::string skip;
  const std::optional<std::string> path = GetParam().path.make(dir, needle, skip);
  if (!path) GTEST_SKIP() << skip;
  const std::vector<std::string> before = dir.Entries();
  ProcessOptions options;
  options.cwd = dir.path();
  options.timeout = std::chrono::seconds(20);  // A blocked open() fails here.
  const ProcessResult result = RunDojobber(GetParam().output.args(dir, *path), options);

  EXPECT_TRUE(IsRefusedLeavingNothing(result, dir, before, {needle}));
  EXPECT_EQ(TemporaryFiles(dir.path()), std::vector<fs::path>{});
  if (fs::exists(dir / "read-only")) fs::permissions(dir / "read-only", fs::perms(0755));
}

INSTANTIATE_TEST_SUITE_P(Sweep, BadOutputPath, testing::ValuesIn(AllCases()),
                         [](const testing::TestParamInfo<Case>& param) {
                           return param.param.output.name + "_" + param.param.path.name;
                         });

// --report and --dot naming one file, however it is spelled, would have one
// write undo the other. (report_test.cc and usage_errors_test.cc have the
// other spellings and the devices that may be shared.)
TEST(BadOutputPath, ReportAndDotNamingOneFileAreRefusedLeavingNothing) {
  const std::vector<std::pair<std::string, std::string>> spellings = {
      {"out", "out"}, {"./out", "out"}, {"out", "sub/../out"}};
  for (const auto& [report, dot] : spellings) {
    SCOPED_TRACE(report + " and " + dot);
    TempDir dir;
    fs::create_directory(dir / "sub");
    const std::vector<std::string> before = dir.Entries();
    ProcessOptions options;
    options.cwd = dir.path();
    std::vector<std::string> args = RunSurvivor(dir);
    args.insert(args.end(), {"--report", report, "--dot", dot});
    EXPECT_TRUE(IsRefusedLeavingNothing(RunDojobber(args, options), dir, before,
                                        {"--report and --dot name the same file"}));
    EXPECT_EQ(TemporaryFiles(dir.path()), std::vector<fs::path>{});
  }
}

// The same through links: a symbolic link to where the report goes (also
// before that file exists: writing the log through the link would create
// it) and a hard link to an existing report.
TEST(BadOutputPath, OutputsNamingOneFileThroughALinkAreRefusedLeavingNothing) {
  for (const bool hard : {false, true}) {
    SCOPED_TRACE(hard ? "hard link" : "symbolic link");
    TempDir dir;
    if (hard) {
      WriteFile(dir / "report.json", "{}\n");
      fs::create_hard_link(dir / "report.json", dir / "link.json");
    } else {
      fs::create_symlink("report.json", dir / "link.json");
    }
    const std::vector<std::string> before = dir.Entries();
    ProcessOptions options;
    options.cwd = dir.path();
    std::vector<std::string> args = RunSurvivor(dir);
    args.insert(args.end(), {"--log", "link.json", "--report", "report.json"});
    EXPECT_TRUE(IsRefusedLeavingNothing(RunDojobber(args, options), dir, before,
                                        {"--report and --log name the same file: link.json"}));
  }
}

}  // namespace
}  // namespace dojobber::e2e
