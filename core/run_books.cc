#include "core/run_books.h"

#include <cstdlib>

namespace dojobber::core {

RunBooks::RunBooks(const Graph& graph, bool no_act, std::uint64_t seed, RunObserver* tries)
    : graph_(graph),
      no_act_(no_act),
      tries_(tries),
      unmet_deps_(graph.size()),
      tries_used_(graph.size(), 0),
      status_(graph.size(), JobStatus::kPending),
      time_(graph.size()),
      fatal_(graph.size()),
      jitter_(seed) {
  for (JobId id = 0; id < graph.size(); ++id) {
    unmet_deps_[id] = static_cast<std::uint32_t>(graph.deps(id).size());
  }
}

void RunBooks::BeginTry(JobId id, Clock::TimePoint now) {
  ++tries_used_[id];
  time_[id] = now;
  if (tries_ != nullptr) tries_->OnTryStart({id, tries_used_[id], now});
}

TryVerdict RunBooks::EndTry(JobId id, TryEnd end) {
  const TryVerdict verdict = Decide(id, end);
  if (tries_ != nullptr)
    tries_->OnTryEnd({id, tries_used_[id], end.status, verdict.done, verdict.retry_at});
  return verdict;
}

TryVerdict RunBooks::Decide(JobId id, TryEnd end) {
  const JobStatus outcome = end.status;
  if (Succeeded(id) || !(core::Succeeded(outcome) || outcome == JobStatus::kFailed)) {
    std::abort();  // This is a bug: a job ends once, with a try's outcome.
  }
  status_[id] = outcome;
  if (!core::Succeeded(outcome)) {
    fatal_[id] = end.fatal;
    if (FailedForGood(id)) return {};
    const int n = tries_used_[id];
    const RetryPolicy policy = graph_.retry_policy(id);
    const double draw = policy.jitter > 0 ? jitter_.Draw(graph_.name(id), n) : 0;
    time_[id] += SecondsToDuration(RetryDelaySeconds(policy, n, draw));  // From the try's start.
    return {.done = false, .retry_at = time_[id]};
  }
  ++succeeded_;
  for (JobId dependent : graph_.dependents(id)) --unmet_deps_[dependent];
  return {};
}

JobStatus RunBooks::FinalStatus(JobId id) const {
  return status_[id] == JobStatus::kPending ? JobStatus::kBlocked : status_[id];
}

}  // namespace dojobber::core
