#ifndef DOJOBBER_CLI_RUN_COMMAND_H_
#define DOJOBBER_CLI_RUN_COMMAND_H_

#include <limits>
#include <stop_token>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/job_source.h"

namespace dojobber::cli {

struct RunOptions {
  JobSourceOptions source;
  std::vector<std::string> roots;  ///< --root, repeatable: the run covers their union.
  bool no_act = false;
  bool detailed_exitcode = false;  ///< --detailed-exitcode: 6 when there are changes.
  bool verbose = false;
  bool debug = false;
  bool quiet = false;
  bool no_cleanup = false;
  int jobs = 1;
  std::string executor = "local";  ///< local, isolate (--isolate), slurm.
  std::string slurm_partition;
  std::string slurm_account;
  std::vector<std::string> srun_args;
  double default_timeout = 0;  ///< 0: no timeout.
  int default_tries = 3;
  double default_retry_delay = 1.0;
  double default_retry_backoff = 1.0;
  double default_retry_max_delay = std::numeric_limits<double>::infinity();  ///< inf: no cap.
  double default_retry_jitter = 0;
  int seed = -1;  ///< --seed; -1: none given, a random one is used.
  std::string report_path;
  std::string dot_path;           ///< --dot: the graph in DOT whatever the name.
  std::string graph_path;         ///< --graph: the format from the name (cli/graph_output.h).
  std::string html_path;          ///< --html: the HTML report.
  std::string lock_path;          ///< --lock: empty when not asked for.
  double lock_wait = 0;           ///< --lock-wait: seconds to wait for a held lock.
  std::string progress = "auto";  ///< --progress: auto, always, never.
  std::string log_path;           ///< --log: appended to; empty when not asked for.
  std::vector<std::string> command_line;  ///< argv as given, for the report.
};

/// `dojobber run`: adds the subcommand and binds it to `options`.
CLI::App* SetupRunCommand(CLI::App& app, RunOptions& options);
/// Runs the graph; returns the exit status. `stop` is requested by Ctrl-C.
int RunRunCommand(const RunOptions& options, const std::stop_token& stop);

}  // namespace dojobber::cli

#endif  // DOJOBBER_CLI_RUN_COMMAND_H_
