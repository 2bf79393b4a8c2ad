#include "core/run_books.h"

#include <cstdlib>

namespace dojobber::core {

RunBooks::RunBooks(const Graph& graph, bool no_act)
    : graph_(graph),
      no_act_(no_act),
      unmet_deps_(graph.size()),
      tries_used_(graph.size(), 0),
      status_(graph.size(), JobStatus::kPending),
      last_start_(graph.size()) {
  for (JobId id = 0; id < graph.size(); ++id) {
    unmet_deps_[id] = static_cast<std::uint32_t>(graph.deps(id).size());
  }
}

Clock::TimePoint RunBooks::NextTryAt(JobId id) const {
  return last_start_[id] + SecondsToDuration(graph_.retry_delay(id));
}

void RunBooks::BeginTry(JobId id, Clock::TimePoint now) {
  ++tries_used_[id];
  last_start_[id] = now;
}

TryVerdict RunBooks::EndTry(JobId id, JobStatus outcome) {
  if (Succeeded(id) || !(core::Succeeded(outcome) || outcome == JobStatus::kFailed)) {
    std::abort();  // This is a bug: a job ends once, with a try's outcome.
  }
  status_[id] = outcome;
  if (!core::Succeeded(outcome)) {
    if (FailedForGood(id)) return {};
    return {.done = false, .retry_at = NextTryAt(id)};
  }
  ++succeeded_;
  for (JobId dependent : graph_.dependents(id)) --unmet_deps_[dependent];
  return {};
}

JobStatus RunBooks::FinalStatus(JobId id) const {
  return status_[id] == JobStatus::kPending ? JobStatus::kBlocked : status_[id];
}

}  // namespace dojobber::core
