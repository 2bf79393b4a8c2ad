#ifndef DOJOBBER_CLI_PARAMS_COMMAND_H_
#define DOJOBBER_CLI_PARAMS_COMMAND_H_

#include <ostream>

#include <CLI/CLI.hpp>

#include "cli/job_source.h"

namespace dojobber::cli {

/// `dojobber params --plugin P`: adds the subcommand and binds it.
CLI::App* SetupParamsCommand(CLI::App& app, JobSourceOptions& options);
/// Loads the plugins (arguments unchecked) and prints their parameters;
/// returns an ExitCode.
int RunParamsCommand(const JobSourceOptions& options);

/// Writes the parameters of every loaded plugin: one table for a single
/// plugin, else each plugin's path, its table and a blank line.
void WriteParams(std::ostream& out, const LoadedJobs& jobs);

}  // namespace dojobber::cli

#endif  // DOJOBBER_CLI_PARAMS_COMMAND_H_
