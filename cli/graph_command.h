#ifndef DOJOBBER_CLI_GRAPH_COMMAND_H_
#define DOJOBBER_CLI_GRAPH_COMMAND_H_

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/job_source.h"

namespace dojobber::cli {

/// Options of `dojobber graph` and `dojobber list`, which both show a graph
/// without running it.
struct ShowOptions {
  JobSourceOptions source;
  std::vector<std::string> roots;  ///< --root, repeatable; none: every registered job.
  std::string output_path;         ///< graph only; empty: stdout.
};

/// `dojobber graph`: the graph in Graphviz DOT.
CLI::App* SetupGraphCommand(CLI::App& app, ShowOptions& options);
int RunGraphCommand(const ShowOptions& options);

/// `dojobber list`: one line per job.
CLI::App* SetupListCommand(CLI::App& app, ShowOptions& options);
int RunListCommand(const ShowOptions& options);

}  // namespace dojobber::cli

#endif  // DOJOBBER_CLI_GRAPH_COMMAND_H_
