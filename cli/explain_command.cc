#include "cli/explain_command.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ios>
#include <iostream>
#include <system_error>

#include "cli/error_output.h"
#include "cli/exit_code.h"
#include "core/explain.h"

namespace dojobber::cli {

CLI::App* SetupExplainCommand(CLI::App& app, ExplainOptions& options) {
  CLI::App* explain = app.add_subcommand(
      "explain",
      "Why a job of a saved run ended as it did: the path from it down to each failed job "
      "that blocked it, one line per hop, with statuses, tries and errors");
  explain->add_option("job", options.job, "The job to explain")->required()->type_name("JOB");
  explain->add_option("--report", options.report_path, "The JSON report of the run (run --report)")
      ->required()
      ->type_name("FILE");
  explain->footer(
      "Exit status: 0 the job succeeded, 1 it failed or is blocked, 2 no such job or no "
      "readable report.\n"
      "Example: dojobber explain WatchMovie --report movie.json");
  return explain;
}

int RunExplainCommand(const ExplainOptions& options) {
  const std::string& shown = options.report_path;
  auto unreadable = [&shown](const std::string& reason) {
    return Fail("cannot read " + shown + ": " + reason, kUsage);
  };
  std::error_code ec;
  // Only a regular file: reading a directory through a stream throws, and
  // opening a named pipe blocks until some process writes to it.
  const std::filesystem::file_status status = std::filesystem::status(options.report_path, ec);
  if (std::filesystem::is_directory(status)) return unreadable(std::strerror(EISDIR));
  if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    return unreadable("not a regular file");
  }
  std::ifstream report(options.report_path, std::ios::binary);
  if (!report) return unreadable(std::strerror(errno));
  core::Expected<bool> explained = core::Failure{""};
  try {
    explained = core::ExplainJob(report, options.job, std::cout);
  } catch (const std::ios_base::failure& error) {
    return unreadable(error.what());
  }
  if (report.bad()) return unreadable(std::strerror(errno));
  if (!explained) return Fail(shown + ": " + explained.message(), kUsage);
  if (!std::cout.flush()) return Fail("cannot write to standard output", kOutputFailed);
  return *explained ? kSuccess : kJobsFailed;
}

}  // namespace dojobber::cli
