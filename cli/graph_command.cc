#include "cli/graph_command.h"

#include <iostream>
#include <optional>
#include <string>

#include "cli/error_output.h"
#include "cli/exit_code.h"
#include "cli/graph_output.h"
#include "cli/validators.h"
#include "core/dot_render.h"
#include "core/dot_writer.h"
#include "core/graph.h"
#include "core/job_list.h"

namespace dojobber::cli {
namespace {

void AddRootOption(CLI::App& command, ShowOptions& options) {
  command
      .add_option("-r,--root", options.roots,
                  "Show only this job and what it depends on (repeatable: the union, in the "
                  "order given)")
      ->check(Word())
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->type_name("JOB");
}

int FlushStdout() {
  if (std::cout.flush()) return kSuccess;
  return Fail("cannot write to standard output", kOutputFailed);
}

// Loads the plugins and builds the graph to show; prints the error if any.
template <class Show>
int WithGraph(const ShowOptions& options, Show show) {
  auto jobs = LoadJobs(options.source, ArgumentCheck::kNoMissing);
  if (!jobs) return Fail(jobs.message(), kUsage);
  auto graph = core::Graph::BuildFromRoots((*jobs)->registry, options.roots, core::JobDefaults{});
  if (!graph) return Fail(graph.message(), kUsage);
  return static_cast<int>(show(*graph));
}

}  // namespace

CLI::App* SetupGraphCommand(CLI::App& app, ShowOptions& options) {
  CLI::App* graph = app.add_subcommand(
      "graph", "Print the job graph in Graphviz DOT, or draw it as SVG, PNG or PDF");
  AddJobSourceOptions(*graph, options.source);
  AddRootOption(*graph, options);
  graph
      ->add_option("-o,--output", options.output_path,
                   "Write the graph here instead of printing DOT, " + GraphFormatsHelp())
      ->check(FileName())
      ->type_name("FILE");
  graph->footer("Example: dojobber graph --plugin movie --root WatchMovie -o movie.svg");
  return graph;
}

int RunGraphCommand(const ShowOptions& options) {
  std::optional<GraphOutput> file;
  if (!options.output_path.empty()) {
    auto opened = GraphOutput::Open("--output", options.output_path);
    if (!opened) return Fail(opened.message(), kUsage);
    file.emplace(std::move(*opened));
  }
  return WithGraph(options, [&](const core::Graph& graph) -> int {
    if (!file) {
      core::WriteDot(std::cout, graph);
      return FlushStdout();
    }
    if (core::Status fits = file->CheckSize(graph, false); !fits) {
      return Fail(fits.message(), kUsage);
    }
    if (core::Status written = file->Write(graph, nullptr); !written) {
      return Fail(written.message(), kOutputFailed);
    }
    if (core::Status committed = file->Commit(); !committed) {
      return Fail(committed.message(), kOutputFailed);
    }
    return kSuccess;
  });
}

CLI::App* SetupListCommand(CLI::App& app, ShowOptions& options) {
  CLI::App* list = app.add_subcommand(
      "list", "List the jobs with their kind, tries, retry delay and dependencies");
  AddJobSourceOptions(*list, options.source);
  AddRootOption(*list, options);
  return list;
}

int RunListCommand(const ShowOptions& options) {
  return WithGraph(options, [](const core::Graph& graph) -> int {
    core::WriteJobList(std::cout, graph);
    return FlushStdout();
  });
}

}  // namespace dojobber::cli
