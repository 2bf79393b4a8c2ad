#include "tests/e2e/hardening_support.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>

#include <nlohmann/json.hpp>

namespace dojobber::e2e {
namespace fs = std::filesystem;
namespace {

// The pids of this process's children, from /proc (every thread's list:
// a child belongs to the thread that forked it, or to the main thread when
// it was re-parented here).
std::vector<pid_t> Children() {
  std::vector<pid_t> pids;
  std::error_code error;
  for (const fs::directory_entry& task : fs::directory_iterator("/proc/self/task", error)) {
    std::ifstream in(task.path() / "children");
    pid_t pid = 0;
    while (in >> pid) pids.push_back(pid);
  }
  return pids;
}

// Reaps every child that has ended; returns whether any is left.
bool ReapEnded() {
  while (true) {
    const pid_t pid = waitpid(-1, nullptr, WNOHANG);
    if (pid > 0) continue;
    return pid == 0;  // 0: some are left, still running; -1 (ECHILD): none.
  }
}

}  // namespace

const std::vector<RunMode>& AllRunModes() {
  static const std::vector<RunMode> kModes = {
      {"j1", {"-j", "1"}},
      {"j4", {"-j", "4"}},
      {"isolate_j1", {"--isolate", "-j", "1"}},
      {"isolate_j4", {"--isolate", "-j", "4"}},
  };
  return kModes;
}

std::string RunModeName(const testing::TestParamInfo<RunMode>& info) { return info.param.name; }

OrphanWatch::OrphanWatch() {
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) ADD_FAILURE() << "PR_SET_CHILD_SUBREAPER failed";
}

OrphanWatch::~OrphanWatch() {
  for (pid_t pid : Children()) kill(pid, SIGKILL);
  while (waitpid(-1, nullptr, 0) > 0) {
  }
  prctl(PR_SET_CHILD_SUBREAPER, 0);
}

std::vector<pid_t> OrphanWatch::Leftovers(std::chrono::milliseconds grace) {
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (ReapEnded() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ReapEnded();
  return Children();
}

std::vector<std::string> NoFileCanGrow() {
  // An ignored signal stays ignored across exec.
  return {"/bin/sh", "-c", "ulimit -f 0 && trap '' XFSZ && exec \"$@\"", "sh"};
}

std::vector<fs::path> TemporaryFiles(const fs::path& dir) {
  std::vector<fs::path> found;
  std::error_code error;
  for (fs::recursive_directory_iterator it(dir, error), end; !error && it != end;
       it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.starts_with(".dojobber-") && name.ends_with(".tmp")) found.push_back(it->path());
  }
  return found;
}

testing::AssertionResult EndedWith(const ProcessResult& result, int exit_code,
                                   const fs::path& report, bool report_required) {
  auto failure = [&]() {
    return testing::AssertionFailure() << "\nexit status: " << result.exit_code << "\nstderr:\n"
                                       << result.err << "\n";
  };
  if (result.timed_out) return failure() << "the run did not end";
  if (result.exit_code != exit_code) return failure() << "expected exit status " << exit_code;
  if (report.empty()) return testing::AssertionSuccess();
  std::error_code error;
  if (!fs::exists(report, error)) {
    if (report_required) return failure() << "no report at " << report;
    return testing::AssertionSuccess();
  }
  std::ifstream in(report);
  std::stringstream text;
  text << in.rdbuf();
  const nlohmann::json parsed = nlohmann::json::parse(text.str(), nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("jobs") ||
      !parsed["jobs"].is_object()) {
    return failure() << "the report at " << report
                     << " is not a whole report: " << text.str().substr(0, 200);
  }
  return testing::AssertionSuccess();
}

testing::AssertionResult IsRefusedLeavingNothing(const ProcessResult& result, const TempDir& dir,
                                                 const std::vector<std::string>& before,
                                                 std::initializer_list<std::string_view> needles) {
  testing::AssertionResult usage = IsUsageError(result, needles);
  if (!usage) return usage;
  const std::vector<std::string> after = dir.Entries();
  if (after != before) {
    testing::AssertionResult failure = testing::AssertionFailure();
    failure << "the directory changed; now it holds:";
    for (const std::string& name : after) failure << " " << name;
    return failure;
  }
  return testing::AssertionSuccess();
}

}  // namespace dojobber::e2e
