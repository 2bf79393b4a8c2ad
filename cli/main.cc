// dojobber: the command line. Maps each subcommand onto core; no engine
// logic lives here.

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <new>
#include <stop_token>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <dojobber/version.h>

#include "cli/error_output.h"
#include "cli/exit_code.h"
#include "cli/explain_command.h"
#include "cli/graph_command.h"
#include "cli/interrupts.h"
#include "cli/params_command.h"
#include "cli/report_command.h"
#include "cli/run_command.h"
#include "cli/worker_command.h"
#include "core/command_groups.h"

namespace {

constexpr const char* kFooter = R"(Examples:
  dojobber run --plugin movie --root WatchMovie
  dojobber run --plugin movie --root WatchMovie -v --arg battery_state=charged
  dojobber run --plugin ./build/my_jobs.so --root Deploy --no-act
  dojobber run --plugin movie --root WatchMovie --graph movie.svg
  dojobber graph --plugin movie --root WatchMovie -o movie.png
  dojobber list --plugin movie
  dojobber params --plugin movie
  dojobber explain WatchMovie --report movie.json
  dojobber report movie.json --html movie.html

Exit status:
  0 every job succeeded        1 some job failed or is blocked
  2 bad usage, plugin or graph, or --lock held (nothing ran)
  3 a Cleanup failed           4 stdout, the report or graph file could not be written
  5 dojobber itself failed (out of memory)
  6 with --detailed-exitcode: changes pending (--no-act) or made, no failure
  130 interrupted (Ctrl-C, SIGTERM or SIGHUP)

Environment:
  DOJOBBER_PLUGIN_PATH  colon-separated folders searched for plugin names
  NO_COLOR              never colour the status report, and no progress line
                        unless --progress always)";

// Everything after the first `--` is the jobs' positional arguments; CLI11
// sees only what comes before.
std::vector<std::string> SplitPositional(int argc, char** argv, std::vector<char*>& front) {
  std::vector<std::string> positional;
  int i = 0;
  for (; i < argc; ++i) {
    if (i > 0 && std::string_view(argv[i]) == "--") break;
    front.push_back(argv[i]);
  }
  for (++i; i < argc; ++i) positional.emplace_back(argv[i]);
  return positional;
}

// A closed standard stream would lend its number to the next file opened
// (the report), and the status report would be written into that file.
// Park /dev/null there, read-only, so that writes fail as they would have.
void ReserveStandardDescriptors() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    const int opened = ::open("/dev/null", O_RDONLY);  // The lowest free number: fd.
    if (opened >= 0 && opened != fd) {
      ::dup2(opened, fd);
      ::close(opened);
    }
  }
}

int Dispatch(int argc, char** argv, const std::stop_token& stop);

// After `run --help`: what `params` shows for the plugins given, which are
// loaded without their arguments checked.
int ShowRunParams(const dojobber::cli::JobSourceOptions& source) {
  using namespace dojobber::cli;
  auto jobs = LoadJobs(source, ArgumentCheck::kListParams);
  if (!jobs) return Fail(jobs.message(), kUsage);
  std::cout << "\nKeyword arguments (--arg KEY=VALUE):\n";
  WriteParams(std::cout, **jobs);
  if (!std::cout.flush()) return Fail("cannot write to standard output", kOutputFailed);
  return kSuccess;
}

}  // namespace

int main(int argc, char** argv) {
  ReserveStandardDescriptors();
  // A try's own process on a cluster node: no stop signals of ours there.
  if (argc > 1 && std::string_view(argv[1]) == "worker") {
    return dojobber::cli::RunWorkerCommand(argc, argv);
  }
  // A job that calls exit() in-process ends dojobber with its commands
  // still running on other tries' threads: they go with it. (A normal exit
  // has none left; a SIGKILL of dojobber cannot be answered.)
  std::atexit([] { dojobber::core::KillAllCommandGroups(); });
  dojobber::cli::Interrupts interrupts;
  try {
    return interrupts.Run([&](std::stop_token stop) { return Dispatch(argc, argv, stop); });
  } catch (const std::bad_alloc&) {
    dojobber::cli::PrintError("out of memory");
  } catch (const std::exception& error) {
    dojobber::cli::PrintError(std::string("internal error: ") + error.what());
  }
  return dojobber::cli::kInternalError;
}

namespace {

int Dispatch(int argc, char** argv, const std::stop_token& stop) {
  using namespace dojobber::cli;
  CLI::App app{
      "dojobber runs a graph of small, idempotent jobs in dependency order: each job is "
      "checked, run if the check fails, and checked again. Failed jobs are retried, their "
      "dependents blocked; running again gets closer to done.",
      "dojobber"};
  app.set_version_flag(
      "--version", std::string("dojobber ") + DOJOBBER_VERSION + "\nplugin ABI: " + DOJOBBER_ABI);
  app.require_subcommand(1);
  app.footer(kFooter);

  RunOptions run_options;
  ShowOptions graph_options;
  ShowOptions list_options;
  CLI::App* run = SetupRunCommand(app, run_options);
  CLI::App* graph = SetupGraphCommand(app, graph_options);
  CLI::App* list = SetupListCommand(app, list_options);
  ExplainOptions explain_options;
  CLI::App* explain = SetupExplainCommand(app, explain_options);
  ReportOptions report_options;
  CLI::App* report = SetupReportCommand(app, report_options);
  JobSourceOptions params_options;
  CLI::App* params = SetupParamsCommand(app, params_options);

  std::vector<char*> front;
  const std::vector<std::string> positional = SplitPositional(argc, argv, front);
  // CLI11 would call an unknown command a missing one; name it instead.
  if (front.size() > 1 && front[1][0] != '-') {
    const std::string_view command = front[1];
    if (command != "run" && command != "graph" && command != "list" && command != "explain" &&
        command != "report" && command != "params") {
      return Fail(
          "unknown subcommand '" + std::string(command) +
              "' (subcommands: run, graph, list, explain, report, params; see dojobber --help)",
          kUsage);
    }
  }
  try {
    app.parse(static_cast<int>(front.size()), front.data());
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {  // --help, --version
      const int code = app.exit(e);
      // `run --plugin P --help`: the help, then the plugins' parameters.
      if (dynamic_cast<const CLI::CallForHelp*>(&e) != nullptr && run->parsed() &&
          !run_options.source.plugins.empty()) {
        return ShowRunParams(run_options.source);
      }
      return code;
    }
    return Fail(std::string(e.what()) + " (see dojobber --help)", kUsage);
  }

  if (run->parsed()) {
    run_options.source.positional = positional;
    run_options.command_line.assign(argv, argv + argc);
    return RunRunCommand(run_options, stop);
  }
  if (graph->parsed()) {
    graph_options.source.positional = positional;
    return RunGraphCommand(graph_options);
  }
  // Like graph, writes its output files whole before it ends.
  if (report->parsed()) return RunReportCommand(report_options);
  // Reading a report or listing jobs leaves nothing to finish or clean up:
  // a Ctrl-C ends them at once. (`graph` writes an output file, which it
  // finishes, so that no temporary is left.)
  ExitAtFirstStop();
  if (explain->parsed()) return RunExplainCommand(explain_options);
  if (params->parsed()) {
    params_options.positional = positional;
    return RunParamsCommand(params_options);
  }
  list_options.source.positional = positional;
  (void)list;
  return RunListCommand(list_options);
}

}  // namespace
