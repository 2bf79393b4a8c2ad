#ifndef DOJOBBER_CLI_EXPLAIN_COMMAND_H_
#define DOJOBBER_CLI_EXPLAIN_COMMAND_H_

#include <string>

#include <CLI/CLI.hpp>

namespace dojobber::cli {

struct ExplainOptions {
  std::string job;
  std::string report_path;
};

/// `dojobber explain JOB --report FILE`: adds the subcommand and binds it.
CLI::App* SetupExplainCommand(CLI::App& app, ExplainOptions& options);
/// Prints why JOB ended as it did; returns 0 when it succeeded, 1 when not,
/// 2 when the report cannot be read or has no JOB.
int RunExplainCommand(const ExplainOptions& options);

}  // namespace dojobber::cli

#endif  // DOJOBBER_CLI_EXPLAIN_COMMAND_H_
