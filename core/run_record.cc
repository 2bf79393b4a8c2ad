#include "core/run_record.h"

#include <utility>
#include <vector>

namespace dojobber::core {

RunRecord::RunRecord(const Graph& graph, Clock::TimePoint started)
    : graph_(graph), started_(started), killed_by_stop_(graph.size(), 0) {
  result_.jobs.resize(graph.size());
}

void RunRecord::EndTry(JobId id, int try_number, TryOutcome outcome, Clock::TimePoint begin,
                       Clock::TimePoint end) {
  JobReport& job = result_.jobs[id];
  if (try_number > 1) {
    job.earlier_tries.push_back({job.last_start_s, job.end_s, std::move(job.error),
                                 std::move(job.run_error), job.last_try});
  }
  job.last_try = {.phases = outcome.phases,
                  .fatal = outcome.fatal,
                  .timed_out = outcome.timed_out,
                  .worker = WorkerIndex(outcome.worker)};
  job.error = std::move(outcome.error);
  job.failed_by_check = outcome.failed_by_check;
  job.run_error = std::move(outcome.run_error);
  job.fatal = outcome.fatal;
  killed_by_stop_[id] = outcome.killed_by_stop ? 1 : 0;
  job.result = std::move(outcome.result);
  job.seconds += DurationToSeconds(end - begin);
  job.last_start_s = DurationToSeconds(begin - started_);
  if (try_number == 1) job.start_s = job.last_start_s;
  job.end_s = DurationToSeconds(end - started_);
}

std::uint32_t RunRecord::WorkerIndex(const std::string& worker) {
  if (worker.empty()) return 0;
  std::lock_guard lock(workers_mutex_);
  const auto [it, added] =
      worker_index_.try_emplace(worker, static_cast<std::uint32_t>(result_.worker_names.size()));
  if (added) result_.worker_names.push_back(worker);
  return it->second;
}

RunResult RunRecord::Finish(const RunBooks& books, bool interrupted, Clock::TimePoint now) {
  result_.seconds = DurationToSeconds(now - started_);
  std::size_t succeeded = 0;
  for (JobId id = 0; id < graph_.size(); ++id) {
    JobReport& job = result_.jobs[id];
    job.status = books.FinalStatus(id);
    job.tries = books.tries_used(id);
    if (Succeeded(job.status)) ++succeeded;
  }
  result_.success = succeeded == graph_.size();
  result_.partial_success = succeeded > 0;
  result_.interrupted = interrupted;
  if (interrupted) MarkInterrupted(books);
  return std::move(result_);
}

// A job's outcome was cut short by the stop unless it succeeded or it, or a
// job it depends on, failed for good (no tries left; in a dry run, its one
// try). A dry run's try killed by the stop is the exception: its Check gave
// no verdict, where a real run's killed try is a failed try like any other.
// Ids are in post-order, so each job's dependencies are settled before it.
void RunRecord::MarkInterrupted(const RunBooks& books) {
  std::vector<bool> settled(graph_.size());
  for (JobId id = 0; id < graph_.size(); ++id) {
    bool dead = books.FailedForGood(id) && !(books.no_act() && killed_by_stop_[id] != 0);
    for (JobId dep : graph_.deps(id)) dead = dead || (settled[dep] && !books.Succeeded(dep));
    settled[id] = books.Succeeded(id) || dead;
    result_.jobs[id].interrupted = !settled[id];
  }
}

}  // namespace dojobber::core
