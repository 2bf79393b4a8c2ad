#include "cli/report_command.h"

#include <unistd.h>

#include <iostream>
#include <optional>

#include "cli/error_output.h"
#include "cli/exit_code.h"
#include "cli/graph_output.h"
#include "cli/report_file.h"
#include "cli/same_file.h"
#include "cli/terminal.h"
#include "cli/validators.h"
#include "core/atomic_file.h"
#include "core/dot_render.h"
#include "core/html_report.h"
#include "core/saved_report.h"
#include "core/status_report.h"

namespace dojobber::cli {

CLI::App* SetupReportCommand(CLI::App& app, ReportOptions& options) {
  CLI::App* report = app.add_subcommand(
      "report",
      "Show a saved run again from its JSON report (run --report): the status table as run "
      "printed it, or the HTML report, or the graph coloured by status");
  report->add_option("file", options.report_path, "The JSON report of the run (run --report)")
      ->required()
      ->type_name("FILE.json");
  report
      ->add_option("--html", options.html_path,
                   "Write the HTML report here (one self-contained page) instead of printing "
                   "the status table")
      ->check(FileName())
      ->type_name("FILE");
  report
      ->add_option("-o,--output", options.graph_path,
                   "Write the graph coloured by final status here instead of printing the status "
                   "table, " +
                       GraphFormatsHelp())
      ->check(FileName())
      ->type_name("FILE");
  report->footer(
      "Exit status: 0 written, 2 the report cannot be read or is not a dojobber report (or an "
      "output cannot be opened), 4 an output could not be written.\n"
      "Example: dojobber report movie.json --html movie.html");
  return report;
}

int RunReportCommand(const ReportOptions& options) {
  // An output over the report would destroy the very record it renders.
  if (const std::optional<std::string> clash = SameFileClash({{"the report", options.report_path},
                                                              {"--html", options.html_path},
                                                              {"--output", options.graph_path}})) {
    return Fail(*clash, kUsage);
  }
  // Outputs first, as run opens them: a bad path costs nothing.
  std::optional<core::AtomicFile> html;
  if (!options.html_path.empty()) {
    auto opened = core::AtomicFile::Open(options.html_path);
    if (!opened) return Fail(opened.message(), kUsage);
    html.emplace(std::move(*opened));
  }
  std::optional<GraphOutput> graph_file;
  if (!options.graph_path.empty()) {
    auto opened = GraphOutput::Open("--output", options.graph_path);
    if (!opened) return Fail(opened.message(), kUsage);
    graph_file.emplace(std::move(*opened));
  }
  auto saved = ReadReportFile(options.report_path, core::ReadSavedReport);
  if (!saved) return Fail(saved.message(), kUsage);
  const core::Graph& graph = *saved->graph;

  if (!html && !graph_file) {
    const bool color = IsTerminal(STDOUT_FILENO) && !PlainOutputRequested();
    core::WriteStatusReport(
        std::cout, graph, saved->result,
        {.color = color, .no_act = saved->no_act, .plan = saved->plan ? &*saved->plan : nullptr});
    if (!std::cout.flush()) return Fail("cannot write to standard output", kOutputFailed);
    return kSuccess;
  }
  if (graph_file) {
    if (core::Status fits = graph_file->CheckSize(graph, true); !fits) {
      return Fail(fits.message(), kUsage);
    }
    if (core::Status written = graph_file->Write(graph, &saved->result); !written) {
      return Fail(written.message(), kOutputFailed);
    }
  }
  if (html) core::WriteHtmlReport(html->stream(), *saved);
  for (core::Status committed : {html ? html->Commit() : core::Status(),
                                 graph_file ? graph_file->Commit() : core::Status()}) {
    if (!committed) return Fail(committed.message(), kOutputFailed);
  }
  return kSuccess;
}

}  // namespace dojobber::cli
