#ifndef DOJOBBER_CLI_JOB_SOURCE_H_
#define DOJOBBER_CLI_JOB_SOURCE_H_

#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/expected.h"
#include "core/job_registry.h"
#include "core/plugin_loader.h"

namespace dojobber::cli {

/// The options every subcommand shares: which plugins, which arguments.
struct JobSourceOptions {
  std::vector<std::string> plugins;
  std::vector<std::string> args;        ///< `key=value` strings from --arg.
  std::vector<std::string> positional;  ///< Words after `--`.
};

/// Adds --plugin and --arg to a subcommand.
void AddJobSourceOptions(CLI::App& command, JobSourceOptions& options);
/// Adds only --plugin (required, repeatable).
void AddPluginOption(CLI::App& command, JobSourceOptions& options);

/// Plugins loaded into a registry. The plugins outlive the registry (members
/// are destroyed in reverse order), so no factory outlives its library.
struct LoadedJobs {
  std::vector<std::filesystem::path> plugin_paths;  ///< As resolved, in load order.
  core::PluginSet plugins;
  core::JobRegistry registry;
  explicit LoadedJobs(Arguments args) : registry(std::move(args)) {}
};

/// How LoadJobs checks the arguments against the declared parameters.
enum class ArgumentCheck {
  kFull,        ///< Values, unknown keys and required keys: what a run needs.
  kNoMissing,   ///< Values and unknown keys; a missing required key is fine
                ///< (graph, list: showing jobs needs no values).
  kNone,        ///< Nothing (a worker, whose orchestrator checked).
  kListParams,  ///< Nothing, and a registration that stopped on a missing or
                ///< unconvertible declared value is no failure: its
                ///< declarations so far are listed (params, run --help).
};

/// Parses the arguments, resolves and loads every plugin in order, then
/// checks the arguments as `check` says.
core::Expected<std::unique_ptr<LoadedJobs>> LoadJobs(const JobSourceOptions& options,
                                                     ArgumentCheck check);

/// Turns `key=value` strings into keyword arguments; the value may contain
/// `=` and spaces, and a later key overrides an earlier one.
core::Expected<Arguments::Keywords> ParseKeywords(const std::vector<std::string>& pairs);

}  // namespace dojobber::cli

#endif  // DOJOBBER_CLI_JOB_SOURCE_H_
