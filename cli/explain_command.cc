#include "cli/explain_command.h"

#include <iostream>

#include "cli/error_output.h"
#include "cli/exit_code.h"
#include "cli/report_file.h"
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
  const core::Expected<bool> explained =
      ReadReportFile(options.report_path, [&options](std::istream& report) {
        return core::ExplainJob(report, options.job, std::cout);
      });
  if (!explained) return Fail(explained.message(), kUsage);
  if (!std::cout.flush()) return Fail("cannot write to standard output", kOutputFailed);
  return *explained ? kSuccess : kJobsFailed;
}

}  // namespace dojobber::cli
