#ifndef DOJOBBER_CLI_REPORT_COMMAND_H_
#define DOJOBBER_CLI_REPORT_COMMAND_H_

#include <string>

#include <CLI/CLI.hpp>

namespace dojobber::cli {

struct ReportOptions {
  std::string report_path;  ///< The saved JSON report.
  std::string html_path;    ///< --html: write the HTML report here.
  std::string graph_path;   ///< -o: write the graph coloured by status here.
};

/// `dojobber report FILE.json [--html OUT] [-o GRAPH]`: adds the subcommand
/// and binds it.
CLI::App* SetupReportCommand(CLI::App& app, ReportOptions& options);
/// Re-renders a saved JSON report: the status table as `run` prints it
/// (without --html and -o), the HTML report, the graph. Returns 0 when
/// written, 2 for an unreadable or invalid report or output path, 4 when an
/// output could not be written.
int RunReportCommand(const ReportOptions& options);

}  // namespace dojobber::cli

#endif  // DOJOBBER_CLI_REPORT_COMMAND_H_
