#ifndef DOJOBBER_CORE_RUN_RESULT_H_
#define DOJOBBER_CORE_RUN_RESULT_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/compact_vector.h"
#include "core/graph.h"
#include "core/log_tail.h"
#include "core/optional_string.h"
#include "core/root_causes.h"

namespace dojobber::core {

/// A job's status. kPending only exists while a run is in progress; at the end
/// a job that was never tried is kBlocked.
enum class JobStatus : std::uint8_t { kPending, kOk, kChanged, kFailed, kBlocked };

/// "ok", "changed", "failed", "blocked" (or "pending").
const char* StatusName(JobStatus status);
inline bool Succeeded(JobStatus status) {
  return status == JobStatus::kOk || status == JobStatus::kChanged;
}

/// How one phase of a try went: not reached (or not called), passed
/// (Check returned, Run returned) or failed (threw, ctx.Fail(), or the try
/// ended in it: a time limit, a crash of its process).
enum class PhaseResult : std::uint8_t { kNotReached, kPassed, kFailed };

/// The phases of one try, as they ended.
struct TryPhases {
  PhaseResult check = PhaseResult::kNotReached;
  PhaseResult run = PhaseResult::kNotReached;
  PhaseResult recheck = PhaseResult::kNotReached;
};

/// What the report says of each try beyond its times and errors. Small on
/// purpose: every job of a million-job run holds one.
struct TryDetail {
  TryPhases phases;
  bool fatal = false;      ///< Failed with dojobber::Fatal.
  bool timed_out = false;  ///< Ended by its time limit.
  /// Where it ran: an index into RunResult::worker_names; 0: not known.
  std::uint32_t worker = 0;
};

/// One try of a job that was not its last, as the report's history gives it.
struct TryRecord {
  double start_s = 0;        ///< When it started, in seconds from the run's start.
  double end_s = 0;          ///< When it ended, likewise.
  OptionalString error;      ///< Its error; none if it succeeded.
  OptionalString run_error;  ///< What its Run threw, if it did.
  TryDetail detail;
};

/// The end of one job in a run. A run keeps one for each job to its end, so
/// its size counts a million times: fields that are nearly always empty take
/// one pointer each (OptionalString, CompactVector), and the small fields
/// are grouped so that no padding falls between them.
struct JobReport {
  JobStatus status = JobStatus::kPending;
  /// The last try failed by its Check's (or recheck's) own verdict; see
  /// TryOutcome::failed_by_check. What tells a dry run's "would run" from
  /// "failed" (core/dry_run_plan.h).
  bool failed_by_check = false;
  bool fatal = false;  ///< The last try failed with dojobber::Fatal.
  /// The run was stopped before this job's outcome was settled: it was never
  /// tried, had tries left, or (in a dry run) its one try was killed by the
  /// stop, and no dependency had finally failed. In a dry run every try
  /// that ended by itself is settled: no job is retried.
  bool interrupted = false;
  int tries = 0;
  OptionalString error;      ///< The last try's error; none if it succeeded.
  OptionalString run_error;  ///< What Run threw in the last try, if it did.
  nlohmann::json result;     ///< What the last try recorded, or null.
  double seconds = 0;        ///< Time spent in this job's tries.
  double start_s = 0;        ///< When its first try started, in seconds from the run's start.
  double end_s = 0;          ///< When its last try ended, likewise. Both 0 if never tried.
  double last_start_s = 0;   ///< When its last try started, likewise.
  /// Every try but the last, in order (the last one is the fields above):
  /// empty, and costing one null pointer, for a job tried once.
  CompactVector<TryRecord> earlier_tries;
  TryDetail last_try;  ///< The last try's phases, worker and time limit.
};

// 96 bytes on a 64-bit target; a million-job run holds a million of them.
static_assert(sizeof(JobReport) <= 96, "JobReport grew: see its comment");

/// How the cleanups of one job went, over all of its tries kept for one.
/// kNone: it was owed none (no Cleanup, no object created).
enum class CleanupOutcome : std::uint8_t { kNone, kOk, kFailed, kPending, kSkipped };

/// "ok", "failed", "pending", "skipped" (or "none").
const char* CleanupOutcomeName(CleanupOutcome outcome);

/// How the cleanups went.
struct CleanupReport {
  std::size_t ran = 0;      ///< Cleanups called, the failing one included.
  std::size_t pending = 0;  ///< Cleanups not called (after a failure).
  std::size_t skipped = 0;  ///< Timed-out tries still running: not cleaned up.
  struct FailedCleanup {
    JobId job;
    int try_number;
    std::string error;
  };
  std::optional<FailedCleanup> failure;
  /// Per job, indexed by JobId (empty when no cleanup was owed at all): of
  /// its kept tries, `kFailed` if one's Cleanup failed, else `kPending` if
  /// one was not called after another job's failure, else `kSkipped` if one
  /// was skipped (its timed-out thread still runs), else `kOk`.
  std::vector<CleanupOutcome> jobs;
  bool ok() const { return !failure; }
};

/// The outcome of a run: one JobReport per graph job, indexed by JobId.
struct RunResult {
  std::vector<JobReport> jobs;
  bool success = false;          ///< Every job succeeded.
  bool partial_success = false;  ///< At least one job succeeded.
  double seconds = 0;            ///< Wall time of the run, cleanups excluded.
  bool interrupted = false;      ///< A stop was requested before the run ended, even
                                 ///< if every job succeeded anyway.
  /// Under -j N: why fewer workers than asked for could start (the system
  /// ran out of threads); empty when all did. The run went on with fewer.
  std::string worker_shortfall;
  int workers = 1;         ///< Workers that ran the jobs.
  std::uint64_t seed = 0;  ///< Where the retry jitter was drawn from (RunOptions::seed).
  /// In-process tries that timed out and whose threads are still running.
  int abandoned_tries = 0;
  std::optional<CleanupReport> cleanup;  ///< Set when cleanups ran with the run.
  /// Why each blocked job is blocked; computed once at the end of the run.
  RootCauses root_causes;
  /// The names TryDetail::worker refers to: "thread 2", "pid 4711", "slurm
  /// job 678 step 2 on node1". Index 0 is "" (not known).
  std::vector<std::string> worker_names{""};
  /// Each job's last log lines (LogTails::kKept), from its tries and cleanups.
  LogTails logs;
  /// Wall-clock time of the run's start and of the end of its last try (the
  /// span of `seconds`).
  std::chrono::system_clock::time_point started_at{};
  std::chrono::system_clock::time_point ended_at{};
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_RUN_RESULT_H_
