#ifndef DOJOBBER_CORE_SLURM_LAUNCHER_H_
#define DOJOBBER_CORE_SLURM_LAUNCHER_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "core/process_executor.h"

namespace dojobber::core {

/// How to run tries as Slurm job steps.
struct SlurmOptions {
  /// The worker's command line on a node: an absolute path to dojobber,
  /// `worker`, and the run's plugins (absolute paths) and arguments.
  std::vector<std::string> worker;
  std::string srun = "srun";  ///< Looked up in PATH unless it has a '/'.
  std::string scontrol = "scontrol";
  std::string scancel = "scancel";
  std::string partition;               ///< --partition; empty: the cluster's default.
  std::string account;                 ///< --account; empty: the user's default.
  std::vector<std::string> srun_args;  ///< Passed to srun as they are, before the worker.
  /// Every step of the run carries this job name, so that whatever is left
  /// of the run can be cancelled at its end (scancel --name).
  std::string job_name;
};

/// The srun command line for one try or cleanup of a job with `spec`'s
/// resource hints and a time limit of `timeout_seconds` (0: none): one task
/// on one node, `--cpus-per-task` and `--mem` from the hints, and Slurm's
/// `--time` a little above the timeout as a backstop (dojobber itself ends
/// the step at the timeout).
std::vector<std::string> SrunCommand(const SlurmOptions& options, const JobSpec& spec,
                                     double timeout_seconds);

/// Whether the cluster can take tries: srun is on PATH, the controller
/// answers (`scontrol ping`), and the partition, if one is named, exists.
/// One line naming what is missing otherwise.
Status CheckSlurm(const SlurmOptions& options);

/// Starts each try's process as a Slurm job step (`--executor slurm`): srun
/// runs `dojobber worker` on a node and carries the protocol on its stdin
/// and stdout; the job's output comes back on its stderr, where srun's own
/// lines (a step that Slurm ended: node failure, cancelled, out of memory,
/// could not start) are kept as the try's cause rather than passed on.
/// A step is ended by SIGTERM to srun, which cancels it at once, then by
/// SIGKILL; at the end of the run every step left of it is cancelled.
class SlurmLauncher final : public Launcher {
 public:
  explicit SlurmLauncher(SlurmOptions options) : options_(std::move(options)) {}
  ~SlurmLauncher() override;  ///< Cancels whatever is left of the run's steps.
  SlurmLauncher(const SlurmLauncher&) = delete;
  SlurmLauncher& operator=(const SlurmLauncher&) = delete;

  Status Start(const RunScope& scope) override;
  Expected<std::unique_ptr<TryProcess>> Launch(const RunScope& scope, JobId job) override;

 private:
  SlurmOptions options_;
  std::atomic<bool> launched_{false};  // Set by the workers' launches.
};

/// The executor for `--executor slurm`.
std::unique_ptr<Executor> MakeSlurmExecutor(SlurmOptions options, double stop_grace_seconds = 2);

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_SLURM_LAUNCHER_H_
